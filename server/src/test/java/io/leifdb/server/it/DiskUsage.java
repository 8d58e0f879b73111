package io.leifdb.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Bytes a node's data directory really holds. WAL segments are preallocated with zeros, so a
 * segment counts only up to its last non-zero byte; every other file counts its full size.
 */
public final class DiskUsage {
    private DiskUsage() {
    }

    public static long bytes(Path dataDir) {
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(Files::isRegularFile).mapToLong(DiskUsage::fileBytes).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long fileBytes(Path p) {
        try {
            if (!p.getParent().getFileName().toString().equals("wal")) return Files.size(p);
            return writtenEnd(p);
        } catch (java.nio.file.NoSuchFileException gone) {
            return 0; // deleted while we walked (compaction, RocksDB)
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One past the last non-zero byte. */
    private static long writtenEnd(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            long end = ch.size();
            while (end > 0) {
                int n = (int) Math.min(buf.capacity(), end);
                buf.clear().limit(n);
                ch.read(buf, end - n);
                for (int i = n - 1; i >= 0; i--) {
                    if (buf.get(i) != 0) return end - n + i + 1;
                }
                end -= n;
            }
            return 0;
        }
    }
}
