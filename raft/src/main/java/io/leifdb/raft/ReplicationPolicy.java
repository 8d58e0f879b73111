package io.leifdb.raft;

import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * The seam between Raft's machinery and its replication rule, so that erasure-coded replication
 * (CRaft) is a second policy rather than a fork. The core calls it on the leader only, from the
 * thread that owns the core; implementations must be pure and deterministic.
 */
public interface ReplicationPolicy {

    /**
     * What the leader observes when it decides how far the log is committed.
     *
     * @param voterMatch for every voter (the leader included), the highest index known durable there
     * @param term       the leader's current term
     * @param commit     the commit index so far; a result at or below it changes nothing
     * @param termAt     term of a log index, 0 when the index is compacted or past the end
     */
    record CommitView(Map<Long, Long> voterMatch, long term, long commit, LongUnaryOperator termAt) {
        public CommitView {
            voterMatch = Map.copyOf(voterMatch);
        }
    }

    /** The entry (or the leader's encoding of it, e.g. a fragment) that {@code peer} receives. */
    Entry payloadFor(long peer, Entry entry);

    /** The highest index that counts as committed; the core never moves commit backwards. */
    long commitIndex(CommitView view);
}
