package io.leifdb.raft;

import io.leifdb.raft.Message.AppendEntries;
import io.leifdb.raft.Message.Heartbeat;
import io.leifdb.raft.Message.InstallSnapshot;

/**
 * A member that lost state it had acknowledged (a wiped or rolled-back disk) must not vote as if it
 * had not: its lost incarnation may have been part of the quorum that committed an entry, and a
 * vote from its emptier log could elect a leader without that entry (§5.4.1 assumes every vote
 * comes from durable state). Until caught up it grants no vote or pre-vote and never campaigns,
 * and it still answers AppendEntries, heartbeats, snapshots and ReadIndex like a follower.
 *
 * <p><b>Caught up</b> means: it accepted an AppendEntries from the leader of term T (the
 * consistency check passed, §5.3) whose commit index c is within what that message proved to
 * match, and its entry at c has term T; or it installed a snapshot from the leader of T whose last
 * entry has term T. Why that is enough: the leader of T has then committed an entry of its own
 * term, so its commit covers every entry committed in an earlier term (Figure 8, §5.4.2; Leader
 * Completeness, §5.4), those the lost incarnation acknowledged included, and our log matches the
 * leader's through c (Log Matching, §5.3).
 *
 * <p>A heartbeat never catches a node up: it carries no (prevLogIndex, prevLogTerm) to prove that
 * the logs match, and its commit is bounded by the leader's match index for us, which describes our
 * lost incarnation. So in the terms before and including the one it was caught up in, a heartbeat
 * does not move our commit index; one that claims more than we have committed draws a reject at
 * index 0 with our commit index as the hint, and the leader probes again from there.
 */
final class CatchUp {
    private final Raft r;
    private boolean catchingUp;
    /** Heartbeats of this term or older carry a match index of our lost incarnation; 0 = none, or caught up before. */
    private long distrustedTerm;

    CatchUp(Raft r, boolean catchingUp) {
        this.r = r;
        this.catchingUp = catchingUp;
        this.distrustedTerm = catchingUp ? Long.MAX_VALUE : 0;
    }

    /** Whether this member may not vote or campaign yet. */
    boolean active() {
        return catchingUp;
    }

    /** An AppendEntries of the current term passed the consistency check, proving our log through {@code lastNew}. */
    void onAppendAccepted(AppendEntries m, long lastNew) {
        if (catchingUp && m.commit() > 0 && m.commit() <= lastNew && r.log.termOrZero(m.commit()) == m.term()) {
            caughtUp(m.from());
        }
    }

    /** We now hold the leader's snapshot, or already held its last entry. */
    void onSnapshot(InstallSnapshot m) {
        SnapshotMeta meta = m.snapshot().meta();
        if (catchingUp && meta.term() == m.term() && r.log.committed >= meta.index()) {
            caughtUp(m.from());
        }
    }

    /** Whether a heartbeat's commit index may be trusted; if not, the leader is told where we really are. */
    boolean trustsHeartbeat(Heartbeat m) {
        if (m.term() > distrustedTerm) {
            return true;
        }
        if (m.commit() > r.log.committed) {
            // Index 0 always matches, so a reject there can only mean lost entries (see Replication.handleHeartbeat).
            r.send(new Message.AppendResponse(r.id, m.from(), r.term, true, 0, r.log.committed, 0));
        }
        return false;
    }

    private void caughtUp(long leader) {
        catchingUp = false;
        distrustedTerm = r.term;
        if (r.vote == 0) {
            r.vote = leader; // our lost incarnation may have voted in this term: spend the vote on its leader
        }
    }
}
