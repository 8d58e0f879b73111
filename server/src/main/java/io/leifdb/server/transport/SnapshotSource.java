package io.leifdb.server.transport;

import io.leifdb.server.kv.SnapshotChunk;

import java.io.IOException;

/**
 * The sending side of a snapshot: yields the pieces of its files in order. The transport calls
 * {@link #next()} from a single thread of its own (blocking disk reads are fine there) and always
 * calls {@link #close()} exactly once, whether the transfer succeeded or not.
 */
public interface SnapshotSource extends AutoCloseable {
    /** The next chunk, or {@code null} once every file has been yielded. */
    SnapshotChunk next() throws IOException;

    @Override
    void close() throws IOException;
}
