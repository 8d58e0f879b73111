package io.leifdb.raft.driver;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Entry;
import io.leifdb.raft.HardState;
import io.leifdb.raft.LogStorage;
import io.leifdb.raft.Snapshot;

import java.util.List;

/**
 * The durable log the {@link RaftDriver} writes and the core reads. Writes are buffered until
 * {@link #sync()} (or a ticket from {@link #startSync()} is forced) makes them durable; a crash may
 * lose any of the unsynced ones, and recovery must then present a log that is a prefix of what was
 * written, never one with a hole. Called only from the thread that owns the driver, except
 * {@link SyncTicket#force()}.
 */
public interface LogStore extends LogStorage {
    /** Entries that overwrite the log from their first index on (a follower's conflicting suffix goes). */
    void append(List<Entry> entries);

    void setHardState(HardState hs);

    /** The applied membership, which snapshots record; set when a configuration entry is applied. */
    void setConfState(ConfState cs);

    /** A snapshot received from the leader replaces the whole log (§7). */
    void applySnapshot(Snapshot snapshot);

    /** Makes everything written so far durable; throws rather than return without that. */
    void sync();

    /** What is written so far, to be made durable by {@link SyncTicket#force()} on another thread. */
    SyncTicket startSync();

    /** A ticket from {@link #startSync()} was forced: what it covers is durable. */
    void finishSync(SyncTicket ticket);
}
