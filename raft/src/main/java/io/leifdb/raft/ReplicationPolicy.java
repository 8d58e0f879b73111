package io.leifdb.raft;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

/**
 * The seam between Raft's machinery and its replication rule, so that erasure-coded replication
 * (CRaft) is a second policy rather than a fork. The core calls it from the thread that owns the
 * core; implementations must be pure and deterministic, and may be shared by many nodes.
 *
 * <p>A plain policy decides the payload each peer gets and the commit index. A policy that also
 * returns an {@link ErasureCoding} from {@link #coding} turns on the rest of CRaft in the core:
 * coded payloads while enough voters are live, acknowledgements tagged with a
 * {@link FragmentAck}, and a recovery phase before a new leader serves clients.
 */
public interface ReplicationPolicy {

    /**
     * What the leader observes when it decides how far the log is committed.
     *
     * @param voterMatch     for every voter (the leader included), the highest index known durable there
     * @param term           the leader's current term
     * @param commit         the commit index so far; a result at or below it changes nothing
     * @param termAt         term of a log index, 0 when the index is compacted or past the end
     * @param self           the leader's id; its own log holds full entries through its voterMatch
     * @param holders        CRaft: for uncommitted indexes, which voters hold them and how (from tagged acks)
     * @param knownCommitted CRaft: the highest index some voter reported as already committed
     */
    record CommitView(Map<Long, Long> voterMatch, long term, long commit, LongUnaryOperator termAt, long self,
                      NavigableMap<Long, Holders> holders, long knownCommitted) {
        public CommitView {
            voterMatch = Map.copyOf(voterMatch);
            holders = new TreeMap<>(holders);
        }

        /** The view of plain Raft, which counts matches only. */
        public CommitView(Map<Long, Long> voterMatch, long term, long commit, LongUnaryOperator termAt) {
            this(voterMatch, term, commit, termAt, 0, new TreeMap<>(), 0);
        }
    }

    /**
     * Who holds one index of the leader's log: voters with a full copy, and voters with a fragment
     * (by id) of the entry's code, whose k it names (0 or 1: the entry travels in full only).
     */
    record Holders(Set<Long> full, Map<Long, Integer> fragments, int k) {
        public Holders {
            full = Set.copyOf(full);
            fragments = Map.copyOf(fragments);
        }
    }

    /** The entry (or the leader's encoding of it) that {@code peer} receives when full copies are sent. */
    Entry payloadFor(long peer, Entry entry);

    /** The highest index that counts as committed; the core never moves commit backwards. */
    long commitIndex(CommitView view);

    /** The erasure code for membership {@code conf}, or null to replicate full copies only (the default). */
    default ErasureCoding coding(ConfState conf) {
        return null;
    }
}
