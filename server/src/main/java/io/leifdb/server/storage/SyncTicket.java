package io.leifdb.server.storage;

import java.io.IOException;

/**
 * Everything a {@link SegmentedWal} had written when {@link SegmentedWal#startSync} was called,
 * through log index {@link #lastIndex()}, to be made durable by {@link #force()} on any thread.
 */
public final class SyncTicket {
    final Segment segment;
    final long end;
    private final long lastIndex;

    SyncTicket(Segment segment, long end, long lastIndex) {
        this.segment = segment;
        this.end = end;
        this.lastIndex = lastIndex;
    }

    public long lastIndex() {
        return lastIndex;
    }

    /**
     * fdatasync of the segment that was active. Earlier segments were synced when the log rolled
     * past them; if this one was too, a failure here (its channel may be closed) loses nothing.
     *
     * @throws IOException when the data may not be durable
     */
    public void force() throws IOException {
        try {
            segment.forceConcurrently();
        } catch (IOException e) {
            if (!segment.sealed()) throw e;
        }
    }
}
