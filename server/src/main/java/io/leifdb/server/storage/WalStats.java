package io.leifdb.server.storage;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * What the WAL tells about its work, for /metrics: written by the log's owner (and the fsync of a
 * {@link WalSyncTicket} on its own thread), read from any thread. Storage stays free of a metrics library.
 */
public final class WalStats {
    private final LongAdder writtenBytes = new LongAdder();
    private volatile LongConsumer fsyncNanos = n -> { };
    private volatile long entryBytes;
    private volatile int segments;

    /** {@code listener} hears the duration of every fsync that makes entries durable (group commit, leader ticket). */
    public void onFsync(LongConsumer listener) {
        fsyncNanos = listener;
    }

    /** Bytes written to segment files since the log was opened. */
    public long writtenBytes() {
        return writtenBytes.sum();
    }

    /** Bytes of entry records in the log, i.e. since the last snapshot (what the snapshot threshold counts). */
    public long entryBytes() {
        return entryBytes;
    }

    /** Segment files the log holds, the active one included. */
    public int segments() {
        return segments;
    }

    void wrote(int bytes) {
        writtenBytes.add(bytes);
    }

    void fsynced(long nanos) {
        fsyncNanos.accept(nanos);
    }

    void publish(long entryBytesNow, int segmentsNow) {
        entryBytes = entryBytesNow;
        segments = segmentsNow;
    }
}
