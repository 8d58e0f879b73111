package io.leifdb.raft;

/**
 * Bugs the simulation must catch within its default seed count (issue 12), each planted only
 * through {@link RaftConfig#withPlantedBugs} by a test. A node never sets one. Each names the rule
 * it breaks.
 */
public enum PlantedBug {
    /** A follower sends its acknowledgement before its fsync (Figure 2: persist before responding). */
    FOLLOWER_SENDS_BEFORE_FSYNC,
    /** A leader serves a read from its state without the ReadIndex round (§6.4: it may be deposed). */
    READ_WITHOUT_READ_INDEX,
    /** A new leader serves ReadIndex before an entry of its term commits (§8: it does not know the commit index). */
    READ_BEFORE_TERM_COMMIT,
    /** A node applies entries it has not seen committed (§5.3: apply only committed entries). */
    APPLY_UNCOMMITTED,
    /**
     * Log recovery after a crash drops the last synced record (durability). Planted in the simulated
     * disk, which stands for {@code WalRecovery}; the real recovery is tested on every power-loss state.
     */
    RECOVERY_DROPS_SYNCED_RECORD,
    /**
     * CRaft: a leader counts coded commits with the k of its own variables instead of the code each
     * entry was sent in (the cluster's): below it, some majority can no longer decode a committed entry.
     */
    CODED_QUORUM_FROM_OWN_K,
    /**
     * CRaft: a leader picks k from the voters that answer heartbeats rather than those that keep up
     * with its log, so one slow member stalls every coded commit (liveness, FlexRaft's point).
     */
    CODE_FROM_HEARTBEATS,
    /**
     * CRaft: a leader allows a voter change whatever {@link CodingParams#storedK} says, so a majority of the
     * new voters may hold fewer than k distinct shares of a committed coded entry (issue 14, part 4).
     */
    VOTER_CHANGE_IGNORES_STORED_K,
    /**
     * CRaft: the repair rule takes a value whose voters hold a duplicated fragment id (a snapshot copy that
     * kept the leader's fragment) for full, so the scrub never re-encodes it and losing F members can lose it.
     */
    SNAPSHOT_FALLBACK_WITHOUT_REPAIR,
    /** A leader appends a membership change while another is uncommitted (thesis §4.1: one at a time). */
    SECOND_UNCOMMITTED_CHANGE,
    /**
     * A new leader appends a membership change before an entry of its term commits (thesis §4.1, the
     * fix of 2015): a change of an earlier term that it never saw commit can then be lost after it.
     */
    CHANGE_BEFORE_TERM_COMMIT
}
