package io.leifdb.server.storage;

import io.leifdb.server.config.DataDir;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The WAL's directory: an exclusive lock so two processes never share a log, and directory fsync. */
final class WalDirectory implements AutoCloseable {
    private final Path dir;
    private final FileChannel lockChannel;

    private WalDirectory(Path dir, FileChannel lockChannel) {
        this.dir = dir;
        this.lockChannel = lockChannel;
    }

    /** Creates {@code dir} if needed and locks it; the lock dies with the process, even on SIGKILL. */
    static WalDirectory lock(Path dir) {
        FileChannel ch = null;
        try {
            DataDir.create(dir);
            ch = DataDir.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) throw new OverlappingFileLockException();
            return new WalDirectory(dir, ch);
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new StorageException("WAL directory " + dir + " is in use by another process");
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StorageException("cannot open WAL directory " + dir + ": " + e.getMessage(), e);
        }
    }

    Path path() {
        return dir;
    }

    /** Makes file creations and deletions in the directory durable. */
    void fsync() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        lockChannel.close();
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // already failing; the original error is the one to report
        }
    }
}
