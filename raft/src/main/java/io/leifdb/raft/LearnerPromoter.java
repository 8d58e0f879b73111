package io.leifdb.raft;

import java.util.TreeSet;

/**
 * The leader's automatic promotion of caught-up learners ({@link AutoPromotion}), checked once per
 * tick. A promotion is an ordinary single-server change (thesis §4.1): it waits until no change is
 * uncommitted and an entry of the leader's term has committed, never runs during a leadership
 * transfer, and adds one voter at a time. A learner qualifies when its match index is within the
 * bound of the leader's last index, it is replicating (not probing or taking a snapshot) and was
 * heard from within an election timeout, and the voters heard from lately, the learner included,
 * still make a quorum of the larger configuration, so a promotion never leaves the cluster unable
 * to commit. Learners are tried in id order, so a run replays from its seed.
 */
final class LearnerPromoter {
    private final Raft r;

    LearnerPromoter(Raft r) {
        this.r = r;
    }

    void tick() {
        AutoPromotion rule = r.config.autoPromotion();
        if (!rule.enabled() || r.role != Role.LEADER || r.transfer.inProgress() || r.recovering()
                || r.membership.changePending()
                || !r.membership.termCommitted()) {
            return;
        }
        ConfState cur = r.tracker.conf;
        for (long learner : cur.learners()) {
            if (caughtUp(learner, rule) && liveQuorumWith(learner)) {
                TreeSet<Long> voters = new TreeSet<>(cur.voters());
                TreeSet<Long> learners = new TreeSet<>(cur.learners());
                voters.add(learner);
                learners.remove(learner);
                ConfState next = new ConfState(voters, learners);
                if (CodedVoterChange.allows(r, next)) {
                    r.proposeConfChange(next);
                }
                return; // one at a time: the next waits until this one commits
            }
        }
    }

    private boolean caughtUp(long learner, AutoPromotion rule) {
        Progress p = r.tracker.get(learner);
        return p != null && p.state == Progress.State.REPLICATE && recent(p)
                && p.match >= r.log.lastIndex() - rule.maxLag();
    }

    private boolean liveQuorumWith(long learner) {
        int live = 1; // the learner, just heard from
        for (long voter : r.tracker.conf.voters()) {
            Progress p = r.tracker.get(voter);
            if (voter == r.id || (p != null && recent(p))) {
                live++;
            }
        }
        return live >= (r.tracker.conf.voters().size() + 1) / 2 + 1;
    }

    private boolean recent(Progress p) {
        return p.ticksSinceContact < r.config.electionTick();
    }
}
