package io.leifdb.raft;

/**
 * The core refused a proposal or read: this node is not the leader, a leadership transfer is in
 * progress, or (for reads on a follower) no leader is known. Nothing was appended, so the caller
 * may retry elsewhere. {@link #leader()} is the leader this node knows of, 0 if none.
 */
public final class ProposalDroppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long leader;

    public ProposalDroppedException(String message, long leader) {
        super(message, null, false, false);
        this.leader = leader;
    }

    public long leader() {
        return leader;
    }
}
