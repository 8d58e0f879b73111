package io.leifdb.raft.sim;

import io.leifdb.raft.Entry;
import io.leifdb.raft.PlainRaftPolicy;
import io.leifdb.raft.ReplicationPolicy;

/**
 * A deliberately broken commit rule, planted to prove the simulation has teeth: it commits any
 * index a majority holds, without requiring that the entry belong to the leader's current term.
 * That is the original LeifDB's bug 3, and exactly what Figure 8 of the Raft paper shows to be
 * unsafe (§5.4.2): an old-term entry counted onto a majority can still be overwritten.
 */
final class CountingReplicasPolicy implements ReplicationPolicy {
    @Override
    public Entry payloadFor(long peer, Entry entry) {
        return entry;
    }

    @Override
    public long commitIndex(CommitView view) {
        return Math.max(view.commit(), PlainRaftPolicy.quorumIndex(view.voterMatch().values()));
    }
}
