package io.leifdb.raft;

import io.leifdb.raft.Message.TimeoutNow;

/**
 * Leadership transfer (thesis §3.10): bring the target's log up to date, then tell it to campaign
 * at once with TimeoutNow. Proposals are refused meanwhile; the transfer is abandoned after an
 * election timeout.
 */
final class LeaderTransfer {
    private final Raft r;
    private long transferee;

    LeaderTransfer(Raft r) {
        this.r = r;
    }

    boolean inProgress() {
        return transferee != 0;
    }

    long transferee() {
        return transferee;
    }

    void start(long to) {
        if (r.role != Role.LEADER || r.recovering() || to == r.id || !r.tracker.isVoter(to) || to == transferee) {
            return;
        }
        transferee = to;
        r.electionElapsed = 0; // the abort deadline counts from here
        Progress pr = r.tracker.get(to);
        if (pr.match == r.log.lastIndex()) {
            r.send(new TimeoutNow(r.id, to, r.term));
        } else {
            r.replication.sendAppend(to, true);
        }
    }

    /** The target acknowledged entries: once it holds our whole log it may take over. */
    void onProgress(long from, Progress pr) {
        if (from == transferee && pr.match == r.log.lastIndex()) {
            r.send(new TimeoutNow(r.id, from, r.term));
        }
    }

    void abort() {
        transferee = 0;
    }
}
