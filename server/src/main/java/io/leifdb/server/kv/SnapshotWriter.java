package io.leifdb.server.kv;

import io.leifdb.server.config.DataDir;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Receives a snapshot streamed by a {@link SnapshotReader} into a staging directory and, on
 * {@link #finish()}, renames it into place as a complete snapshot. Every chunk's CRC32C is
 * checked before it is written, and every file's size and CRC32C against {@code snapshot.meta}
 * once it is whole. Chunks must arrive in the reader's order. Not thread-safe. {@link #close()}
 * without {@code finish()} discards the staging directory.
 */
public final class SnapshotWriter implements AutoCloseable {
    private final Path snapshotsDir;
    private final Path staging;
    private final Set<String> completed = new HashSet<>();
    private final Map<String, SnapshotManifest.FileEntry> expected = new HashMap<>();
    private SnapshotManifest manifest;
    private String current;
    private FileChannel channel;
    private CRC32C fileCrc;
    private long position;
    private boolean finished;
    private boolean failed;

    SnapshotWriter(Path snapshotsDir, Path staging) {
        this.snapshotsDir = snapshotsDir;
        this.staging = staging;
    }

    /**
     * Writes one chunk. A chunk whose checksum fails is refused before anything is written, so
     * the sender may resend it; any other error (order, size, whole-file CRC) fails the transfer.
     *
     * @throws SnapshotCorruptException if the chunk or a completed file fails a check
     */
    public void accept(SnapshotChunk chunk) throws IOException {
        if (finished || failed) throw new IllegalStateException("snapshot transfer is " + (finished ? "finished" : "failed"));
        if (!chunk.intact()) throw new SnapshotCorruptException("chunk " + chunk + " failed its CRC32C check");
        try {
            if (!chunk.file().equals(current)) startFile(chunk.file(), chunk.offset());
            if (chunk.offset() != position) {
                throw new SnapshotCorruptException("chunk of " + current + " at offset " + chunk.offset()
                        + ", expected " + position);
            }
            SnapshotManifest.FileEntry want = expected.get(current);
            if (want != null && position + chunk.data().length > want.size()) {
                throw new SnapshotCorruptException("file " + current + " grows past its size " + want.size());
            }
            ByteBuffer buf = ByteBuffer.wrap(chunk.data());
            while (buf.hasRemaining()) channel.write(buf);
            fileCrc.update(chunk.data());
            position += chunk.data().length;
            if (chunk.last()) completeFile();
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private void startFile(String name, long offset) throws IOException {
        if (current != null) throw new SnapshotCorruptException("file " + name + " started before the last chunk of " + current);
        if (manifest == null && !name.equals(SnapshotManifest.FILE_NAME)) {
            throw new SnapshotCorruptException("transfer must start with " + SnapshotManifest.FILE_NAME + ", got " + name);
        }
        if (manifest != null && !expected.containsKey(name)) {
            throw new SnapshotCorruptException("file " + name + " is not in the snapshot manifest");
        }
        if (completed.contains(name)) throw new SnapshotCorruptException("file " + name + " sent twice");
        if (offset != 0) throw new SnapshotCorruptException("file " + name + " starts at offset " + offset);
        current = name;
        channel = DataDir.open(staging.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        fileCrc = new CRC32C();
        position = 0;
    }

    private void completeFile() throws IOException {
        channel.force(true);
        channel.close();
        channel = null;
        if (manifest == null) {
            manifest = SnapshotManifest.decode(Files.readAllBytes(staging.resolve(current)));
            for (SnapshotManifest.FileEntry f : manifest.files()) expected.put(f.name(), f);
        } else {
            SnapshotManifest.FileEntry want = expected.get(current);
            if (position != want.size()) {
                throw new SnapshotCorruptException("file " + current + " has " + position + " bytes, expected " + want.size());
            }
            if ((int) fileCrc.getValue() != want.crc32c()) {
                throw new SnapshotCorruptException("file " + current + " failed its whole-file CRC32C check");
            }
        }
        completed.add(current);
        current = null;
    }

    /**
     * Checks that every file of the manifest arrived whole, then renames the staging directory to
     * {@code snapshots/<index>-<term>/}. If that snapshot already exists, the copy is dropped.
     */
    public SnapshotInfo finish() throws IOException {
        if (finished || failed) throw new IllegalStateException("snapshot transfer is " + (finished ? "finished" : "failed"));
        if (manifest == null) throw new SnapshotCorruptException("snapshot transfer ended before " + SnapshotManifest.FILE_NAME);
        if (current != null) throw new SnapshotCorruptException("snapshot transfer ended inside file " + current);
        for (String name : expected.keySet()) {
            if (!completed.contains(name)) throw new SnapshotCorruptException("snapshot file " + name + " never arrived");
        }
        DurableFiles.fsyncDir(staging);
        Path target = snapshotsDir.resolve(SnapshotStore.dirName(manifest.index(), manifest.term()));
        finished = true;
        if (Files.exists(target)) {
            DurableFiles.deleteTree(staging);
        } else {
            DurableFiles.renameDurably(staging, target);
        }
        return SnapshotInfo.of(target, manifest);
    }

    /** Abandons an unfinished transfer and deletes what was staged. */
    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
        if (!finished) {
            failed = true;
            DurableFiles.deleteTree(staging);
        }
    }
}
