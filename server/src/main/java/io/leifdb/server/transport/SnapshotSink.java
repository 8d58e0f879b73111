package io.leifdb.server.transport;

import io.leifdb.server.kv.SnapshotChunk;

import java.io.IOException;

/**
 * The receiving side of a snapshot, opened by {@link GrpcTransport.Listener#openSnapshotSink}.
 * The transport calls it from one thread at a time: {@link #accept} for every chunk (whose CRC32C
 * and offset it has already checked), then exactly one of {@link #finish} or {@link #abort}.
 * Only after {@code finish} returns does the core see the InstallSnapshot message.
 */
public interface SnapshotSink {
    /** Writes one piece; may block on disk I/O. A throw aborts the transfer. */
    void accept(SnapshotChunk chunk) throws IOException;

    /** Makes every file durable and staged for the core to install. A throw aborts the transfer. */
    void finish() throws IOException;

    /** Discards whatever was written; must not throw. Also called after a failed accept or finish. */
    void abort();
}
