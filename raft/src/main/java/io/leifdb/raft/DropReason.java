package io.leifdb.raft;

/** Why the core refused an inbound message without acting on it; counted in {@link Status#dropped()}. */
public enum DropReason {
    /** The sender is neither in the membership in force nor a server the driver knows, or claims our own id. */
    NOT_A_MEMBER,
    /** A term above {@link Admission#MAX_TERM} or below zero: no member reaches it, and {@code term + 1} must not overflow. */
    TERM_OUT_OF_RANGE,
    /** An index above {@link Admission#MAX_INDEX} or below zero, or an acknowledgement beyond the leader's log. */
    INDEX_OUT_OF_RANGE,
    /** Fields that contradict each other: entries whose indexes do not follow prevLogIndex one by one. */
    MALFORMED,
    /** TimeoutNow from anyone but the leader of our current term (thesis §3.10: only the leader transfers). */
    TIMEOUT_NOW_NOT_FROM_LEADER
}
