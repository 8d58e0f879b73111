package io.leifdb.raft;

/**
 * The state Raft requires on stable storage before answering any RPC (Figure 2):
 * the current term, the vote cast in it (0 for none), and the commit index (kept so a restart
 * need not relearn it; losing it is safe).
 */
public record HardState(long term, long vote, long commit) {
    public static final HardState EMPTY = new HardState(0, 0, 0);
}
