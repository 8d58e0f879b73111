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
 * <p><b>Caught up</b> by the leader of term T takes two steps:
 * <ol>
 *   <li>It accepted an AppendEntries of T (the consistency check passed, §5.3) whose commit index
 *       c is within what that message proved to match, is at least every commit index a heartbeat
 *       of T showed it, and names an entry of term T; or it installed a snapshot of T whose last
 *       entry has term T. The leader has then committed an entry of its own term, so c covers every
 *       entry committed in an earlier term (Figure 8, §5.4.2; Leader Completeness, §5.4), those the
 *       lost incarnation acknowledged included, and our log matches the leader's through c.</li>
 *   <li>Then a heartbeat of T claims no more than we have committed. A heartbeat's commit is
 *       min(the leader's match index for us, its commit), and that match may still be our lost
 *       incarnation's acknowledgement of entries of T itself, which step 1 does not cover (the
 *       simulation found it through a snapshot below the leader's commit, before this step
 *       existed). While it claims more, we answer with a reject at index 0 and our commit index,
 *       and the leader starts over from there.</li>
 * </ol>
 * A heartbeat alone never catches a node up and, in the terms up to the one it was caught up in,
 * never moves its commit index: it carries no (prevLogIndex, prevLogTerm) to prove the logs match.
 *
 * <p>The driver must also start the node at the highest term that n - q + 1 other members report
 * (q a majority of n), written in its hard state: a member that restarts at term 0 acknowledges a
 * stale leader of a term below one its lost incarnation had adopted, and that leader commits with
 * it (simulation: wiped-member with {@code Wiped.CATCHES_UP}, seed 68). Those answers meet every
 * majority that may have counted the lost incarnation, so no term it helped elect lies above them.
 *
 * <p>Not covered: a lost vote in a term whose election was still under way when the others were
 * asked; and, with five or more members, a stale match above the leader's commit that the leader
 * counts toward a later commit before it hears of the loss.
 */
final class CatchUp {
    private final Raft r;
    private boolean catchingUp;
    /** The term the two figures below belong to. */
    private long seenTerm;
    /** The highest commit index of {@link #seenTerm} that passed step 1 (0 = none yet). */
    private long ownTermCommit;
    /** The highest commit index a heartbeat of {@link #seenTerm} claimed. */
    private long heartbeatCommit;
    /** Heartbeats of this term or older carry a match index of our lost incarnation; 0 = none. */
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
        startTerm(m.term());
        if (catchingUp && m.commit() <= lastNew && r.log.termOrZero(m.commit()) == m.term()) {
            ownTermCommit = Math.max(ownTermCommit, m.commit());
        }
    }

    /** We now hold the leader's snapshot, or already held its last entry. */
    void onSnapshot(InstallSnapshot m) {
        startTerm(m.term());
        SnapshotMeta meta = m.snapshot().meta();
        if (catchingUp && meta.term() == m.term() && r.log.committed >= meta.index()) {
            ownTermCommit = Math.max(ownTermCommit, meta.index());
        }
    }

    /** Whether a heartbeat's commit index may be trusted; if not, the leader is told where we really are. */
    boolean trustsHeartbeat(Heartbeat m) {
        if (m.term() > distrustedTerm) {
            return true;
        }
        startTerm(m.term());
        if (catchingUp) {
            heartbeatCommit = Math.max(heartbeatCommit, m.commit());
        }
        if (m.commit() > r.log.committed) {
            // Index 0 always matches, so a reject there can only mean lost entries (see Replication.handleHeartbeat).
            r.send(new Message.AppendResponse(r.id, m.from(), r.term, true, 0, r.log.committed, 0));
        } else if (catchingUp && ownTermCommit > 0 && ownTermCommit >= heartbeatCommit) {
            caughtUp(m.from());
        }
        return false;
    }

    /** Both figures describe one leader: a new term starts them over. */
    private void startTerm(long term) {
        if (term != seenTerm) {
            seenTerm = term;
            ownTermCommit = 0;
            heartbeatCommit = 0;
        }
    }

    private void caughtUp(long leader) {
        catchingUp = false;
        distrustedTerm = r.term;
        if (r.vote == 0) {
            r.vote = leader; // our lost incarnation may have voted in this term: spend the vote on its leader
        }
    }
}
