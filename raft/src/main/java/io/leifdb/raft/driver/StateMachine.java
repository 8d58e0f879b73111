package io.leifdb.raft.driver;

import io.leifdb.raft.Entry;
import io.leifdb.raft.Snapshot;

import java.util.List;

/**
 * The applied side: committed entries go in, in index order and only once durable in the local
 * log; {@code O} is what a proposer learns of its command. Called only from the driver's thread.
 */
public interface StateMachine<O> {
    /** The last applied index; it may be ahead of the log's durable commit index after a crash. */
    long appliedIndex();

    /**
     * Applies {@code committed} and returns one outcome per entry, in the same order: null for an
     * entry that answers no proposal (a no-op, a configuration, one applied before a restart).
     */
    List<O> apply(List<Entry> committed);

    /** Replaces the whole state by the leader's snapshot the core accepted (§7). */
    void installSnapshot(Snapshot snapshot);

    /** Called after every Ready: snapshots and compacts the log when its own rule says so. */
    void maybeSnapshot();
}
