package io.leifdb.server.kv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Streams a complete snapshot as {@link SnapshotChunk}s: {@code snapshot.meta} first, then each
 * data file in manifest order, each cut into chunks of at most the chunk size (an empty file
 * still yields one empty chunk, so the receiver creates it). Not thread-safe; close it when done
 * so the snapshot may be deleted by retention again.
 *
 * <p>{@link #next()} throws {@link UncheckedIOException} if a file cannot be read.
 */
public final class SnapshotReader implements Iterator<SnapshotChunk>, AutoCloseable {
    /** The chunk size used for transfer between nodes. */
    public static final int DEFAULT_CHUNK_SIZE = 1 << 20;

    private final SnapshotInfo info;
    private final int chunkSize;
    private final List<String> files = new ArrayList<>();
    private final Runnable onClose;
    private int fileIndex;
    private FileChannel channel;
    private long offset;
    private long size;
    private boolean done;
    private boolean closed;

    SnapshotReader(SnapshotInfo info, SnapshotManifest manifest, int chunkSize, Runnable onClose) {
        if (chunkSize < 1) throw new IllegalArgumentException("chunk size must be >= 1, was " + chunkSize);
        this.info = info;
        this.chunkSize = chunkSize;
        this.onClose = onClose;
        files.add(SnapshotManifest.FILE_NAME);
        for (SnapshotManifest.FileEntry f : manifest.files()) files.add(f.name());
    }

    /** The snapshot being streamed. */
    public SnapshotInfo info() {
        return info;
    }

    @Override
    public boolean hasNext() {
        return !done && !closed;
    }

    @Override
    public SnapshotChunk next() {
        if (!hasNext()) throw new NoSuchElementException();
        try {
            if (channel == null) openCurrent();
            int len = (int) Math.min(chunkSize, size - offset);
            ByteBuffer buf = ByteBuffer.allocate(len);
            while (buf.hasRemaining()) {
                if (channel.read(buf, offset + buf.position()) < 0) {
                    throw new IOException("snapshot file " + files.get(fileIndex) + " shrank while being read");
                }
            }
            String name = files.get(fileIndex);
            long at = offset;
            offset += len;
            boolean fileDone = offset >= size;
            if (fileDone) {
                channel.close();
                channel = null;
                fileIndex++;
            }
            done = fileIndex == files.size();
            return SnapshotChunk.of(name, at, buf.array(), fileDone);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void openCurrent() throws IOException {
        Path file = info.dir().resolve(files.get(fileIndex));
        channel = FileChannel.open(file, StandardOpenOption.READ);
        size = channel.size();
        offset = 0;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // Read-only channel: nothing is lost if closing it fails.
        } finally {
            onClose.run();
        }
    }
}
