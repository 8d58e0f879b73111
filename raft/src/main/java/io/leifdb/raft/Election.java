package io.leifdb.raft;

import io.leifdb.raft.Message.RequestVote;
import io.leifdb.raft.Message.VoteResponse;

/** Leader election (§5.2, §5.4.1) with the pre-vote phase of thesis §9.6. */
final class Election {
    private final Raft r;

    Election(Raft r) {
        this.r = r;
    }

    /** Followers and candidates: start an election once the randomized timeout passes (§5.2). */
    void tick() {
        r.electionElapsed++;
        if (r.promotable() && r.electionElapsed >= r.randomizedElectionTimeout) {
            r.electionElapsed = 0;
            hup(false);
        }
    }

    /** Start an election; a transfer (TimeoutNow) skips pre-vote and overrides leader leases. */
    void hup(boolean transfer) {
        if (r.role == Role.LEADER || !r.promotable()) {
            return;
        }
        campaign(r.config.preVote() && !transfer, transfer);
    }

    private void campaign(boolean pre, boolean transfer) {
        long voteTerm;
        if (pre) {
            r.becomePreCandidate();
            voteTerm = r.term + 1;
        } else {
            r.becomeCandidate();
            voteTerm = r.term;
        }
        r.tracker.recordVote(r.id, true);
        if (r.tracker.tally() == ProgressTracker.VoteResult.WON) {
            won(pre); // a single voter wins at once
            return;
        }
        long lastIndex = r.log.lastIndex();
        long lastTerm = r.log.lastTerm();
        for (long voter : r.tracker.conf.voters()) {
            if (voter != r.id) {
                r.send(new RequestVote(r.id, voter, voteTerm, lastIndex, lastTerm, pre, transfer));
            }
        }
    }

    private void won(boolean pre) {
        if (pre) {
            campaign(false, false);
        } else {
            r.becomeLeader();
        }
    }

    /**
     * §5.2 one vote per term, first come first served; §5.4.1 only for a log at least as
     * up-to-date as ours, compared by (lastLogTerm, lastLogIndex), never by commit index (bug 2).
     */
    void handleVoteRequest(RequestVote m) {
        if (r.catchUp.active()) {
            // A node that lost acknowledged entries cannot tell whether this log lacks them (see CatchUp).
            r.send(new VoteResponse(r.id, m.from(), r.term, false, m.preVote()));
            return;
        }
        boolean canVote = r.vote == m.from()
                || (r.vote == 0 && r.lead == 0)
                || (m.preVote() && m.term() > r.term);
        if (canVote && r.log.isUpToDate(m.lastLogIndex(), m.lastLogTerm())) {
            r.send(new VoteResponse(r.id, m.from(), m.term(), true, m.preVote()));
            if (!m.preVote()) {
                r.electionElapsed = 0;
                r.vote = m.from();
            }
        } else {
            r.send(new VoteResponse(r.id, m.from(), r.term, false, m.preVote()));
        }
    }

    void handleVoteResponse(VoteResponse m) {
        boolean pre = r.role == Role.PRE_CANDIDATE;
        if (m.preVote() != pre) {
            return; // an answer to the other phase
        }
        if (pre && m.granted() && m.term() != r.term + 1) {
            return; // a grant of an earlier pre-vote round, arriving late (a duplicate or a replay)
        }
        r.tracker.recordVote(m.from(), m.granted());
        switch (r.tracker.tally()) {
            case WON -> won(pre);
            case LOST -> r.becomeFollower(r.term, 0);
            case PENDING -> {
            }
        }
    }
}
