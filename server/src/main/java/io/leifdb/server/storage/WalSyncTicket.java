package io.leifdb.server.storage;

import io.leifdb.raft.driver.SyncTicket;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Everything a {@link SegmentedWal} had written when {@link SegmentedWal#startSync} was called,
 * through log index {@link #lastIndex()}, to be made durable by {@link #force()} on any thread.
 */
public final class WalSyncTicket implements SyncTicket {
    final Segment segment;
    final long end;
    private final long lastIndex;
    /** Told of a failed force, so the log refuses to go on: see {@link SegmentedWal#finishSync}. */
    private final Consumer<IOException> onFailure;
    private final WalStats stats;

    WalSyncTicket(Segment segment, long end, long lastIndex, Consumer<IOException> onFailure, WalStats stats) {
        this.segment = segment;
        this.end = end;
        this.lastIndex = lastIndex;
        this.onFailure = onFailure;
        this.stats = stats;
    }

    @Override
    public long lastIndex() {
        return lastIndex;
    }

    /**
     * fdatasync of the segment that was active. Earlier segments were synced when the log rolled
     * past them; if this one was too, a failure here (its channel may be closed) loses nothing.
     *
     * @throws IOException when the data may not be durable
     */
    @Override
    public void force() throws IOException {
        long start = System.nanoTime();
        try {
            segment.forceConcurrently();
            stats.fsynced(System.nanoTime() - start);
        } catch (IOException e) {
            if (segment.sealed()) return;
            onFailure.accept(e);
            throw e;
        }
    }
}
