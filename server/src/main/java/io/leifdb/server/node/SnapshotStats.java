package io.leifdb.server.node;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/** Snapshots this member took and installed: written on the driver thread, read by /metrics. */
final class SnapshotStats {
    private final AtomicLong taken = new AtomicLong();
    private final AtomicLong installed = new AtomicLong();
    private volatile long lastBytes;
    private volatile LongConsumer durationNanos = n -> { };

    /** {@code listener} hears how long each snapshot took, from checkpoint to compacted RocksDB. */
    void onTaken(LongConsumer listener) {
        durationNanos = listener;
    }

    void taken(long bytes, long nanos) {
        taken.incrementAndGet();
        lastBytes = bytes;
        durationNanos.accept(nanos);
    }

    void installed(long bytes) {
        installed.incrementAndGet();
        lastBytes = bytes;
    }

    long taken() {
        return taken.get();
    }

    long installed() {
        return installed.get();
    }

    /** Size of the newest snapshot, taken or installed (0 before any since start). */
    long lastBytes() {
        return lastBytes;
    }
}
