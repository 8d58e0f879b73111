package io.leifdb.raft;

/**
 * The core refused a proposal or read: this node is not the leader, a leadership transfer is in
 * progress, or (for reads on a follower) no leader is known. Nothing was appended, so the caller
 * may retry elsewhere. {@link #leader()} is the leader this node knows of, 0 if none;
 * {@link #reason()} says why, so a driver can tell "ask the leader" from "wait" from "refused".
 */
public final class ProposalDroppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why nothing was appended. */
    public enum Reason {
        /** This node does not lead (for a read: and knows no leader). */
        NOT_LEADER,
        /** Thesis §3.10: proposals wait while leadership is handed over. */
        TRANSFERRING,
        /** CRaft: a new leader recovers its coded suffix before it serves. */
        RECOVERING,
        /** Thesis §4.1: a configuration change is still uncommitted. */
        CHANGE_PENDING,
        /** Thesis §4.1 (fix): the leader has not yet committed an entry of its own term. */
        TERM_NOT_COMMITTED,
        /** CRaft: this voter change could leave a coded value undecodable by a majority ({@code CodedVoterChange}). */
        CODED
    }

    private final long leader;
    private final Reason reason;

    public ProposalDroppedException(Reason reason, String message, long leader) {
        super(message, null, false, false);
        this.reason = reason;
        this.leader = leader;
    }

    public long leader() {
        return leader;
    }

    public Reason reason() {
        return reason;
    }
}
