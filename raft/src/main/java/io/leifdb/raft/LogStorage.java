package io.leifdb.raft;

import java.util.List;

/**
 * The stable (already durable) part of the log, as the core reads it. The driver implements it
 * on the write-ahead log; tests use {@link MemoryStorage}. Calls never block on the network and
 * are made only from the thread that owns the core.
 *
 * <p>The log holds indexes {@code firstIndex()..lastIndex()}; {@code firstIndex() - 1} is the
 * snapshot's index, whose term {@link #term} must still answer.
 */
public interface LogStorage {
    /** Hard state and membership as last persisted. */
    HardState hardState();

    ConfState confState();

    /** The latest snapshot's metadata ((0, 0, empty) if none). */
    SnapshotMeta snapshotMeta();

    long firstIndex();

    long lastIndex();

    /** Term of {@code index}, for {@code firstIndex()-1 <= index <= lastIndex()}; else throws {@link LogUnavailableException}. */
    long term(long index);

    /** Entries in [lo, hi), at least one if any exist, stopping before {@code maxBytes} is passed. */
    List<Entry> entries(long lo, long hi, long maxBytes);

    /**
     * The latest snapshot, which a leader sends to a peer whose next entry was compacted (§7).
     * Storages that stream snapshot files out of band return the metadata with empty data.
     */
    default Snapshot snapshot() {
        return new Snapshot(snapshotMeta(), new byte[0]);
    }
}
