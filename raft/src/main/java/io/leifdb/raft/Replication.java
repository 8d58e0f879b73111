package io.leifdb.raft;

import io.leifdb.raft.Message.AppendEntries;
import io.leifdb.raft.Message.AppendResponse;
import io.leifdb.raft.Message.FragmentRequest;
import io.leifdb.raft.Message.FragmentResponse;
import io.leifdb.raft.Message.Heartbeat;
import io.leifdb.raft.Message.HeartbeatResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Log replication (§5.3): the leader's AppendEntries and heartbeats, flow-controlled per peer, the
 * follower's consistency check, and the commit rule delegated to the {@link ReplicationPolicy}.
 */
final class Replication {
    private final Raft r;

    Replication(Raft r) {
        this.r = r;
    }

    // ---- leader --------------------------------------------------------------------------------

    void tickLeader() {
        r.electionElapsed++;
        r.heartbeatElapsed++;
        r.tracker.progress.forEach((id, p) -> p.ticksSinceContact = id == r.id ? 0 : p.ticksSinceContact + 1);
        if (r.electionElapsed >= r.config.electionTick()) {
            r.electionElapsed = 0;
            // §9.6 check-quorum: a leader cut off from a majority stops acting as one.
            if (r.config.checkQuorum()) {
                if (!r.tracker.quorumActive(r.id)) {
                    r.becomeFollower(r.term, 0);
                    return;
                }
                r.tracker.resetRecentActive(r.id);
            }
            r.transfer.abort(); // thesis §3.10: a transfer that took an election timeout has failed
        }
        if (r.craft != null) {
            r.craft.tick(); // CRaft: coded or full copies, by who is live
        }
        if (r.heartbeatElapsed >= r.config.heartbeatTick()) {
            r.heartbeatElapsed = 0;
            bcastHeartbeat(0);
        }
        r.membership.releaseDeparting(); // one gone for an election timeout is released
    }

    /**
     * Tells every peer that the commit index moved. A peer with appends in flight learns it from
     * the append its reply triggers (see {@link #handleAppendResponse}), so under load the commit
     * rides on entries instead of costing every peer an empty AppendEntries per commit.
     */
    void bcastCommit() {
        for (Map.Entry<Long, Progress> e : r.tracker.progress.entrySet()) {
            long peer = e.getKey();
            if (peer == r.id) continue;
            Progress pr = e.getValue();
            boolean replyDue = pr.state == Progress.State.REPLICATE && pr.inflights.count() > 0;
            sendAppend(peer, !replyDue);
        }
    }

    void bcastAppend() {
        for (long peer : r.tracker.progress.keySet()) {
            if (peer != r.id) {
                sendAppend(peer, true);
            }
        }
    }

    /**
     * Sends the next batch to {@code to}: from its next index, at most maxSizePerMsg bytes (at
     * least one entry), unless its progress is paused (its window full by count or by bytes). Falls back to a snapshot when that part of
     * the log was compacted. Returns whether anything was sent.
     */
    boolean sendAppend(long to, boolean sendIfEmpty) {
        Progress pr = r.tracker.get(to);
        if (r.role != Role.LEADER || pr == null || pr.isPaused() || r.recovering()) {
            return false;
        }
        long prevIndex = pr.next - 1;
        long prevTerm;
        List<Entry> batch;
        try {
            prevTerm = r.log.term(prevIndex);
            batch = r.log.entriesFrom(pr.next, r.config.maxSizePerMsg());
        } catch (LogUnavailableException e) {
            return r.snapshots.send(to, pr);
        }
        if (batch.isEmpty() && !sendIfEmpty) {
            return false;
        }
        List<Entry> payload = new ArrayList<>(batch.size());
        long bytes = 0; // what travels counts against the window: a fragment weighs its own size
        for (Entry e : batch) {
            Entry p = r.craft != null ? r.craft.payload(to, e) : r.policy.payloadFor(to, e);
            payload.add(p);
            bytes += p.sizeBytes();
        }
        r.send(new AppendEntries(r.id, to, r.term, prevIndex, prevTerm, payload, r.log.committed));
        pr.sentCommit = r.log.committed;
        pr.sent(prevIndex + batch.size(), batch.size(), bytes);
        return true;
    }

    /** Heartbeats carry no entries (bug 12) and a commit index the peer is known to hold. */
    void bcastHeartbeat(long readContext) {
        if (r.role != Role.LEADER) {
            return;
        }
        for (Map.Entry<Long, Progress> e : r.tracker.progress.entrySet()) {
            if (e.getKey() != r.id) {
                long commit = Math.min(e.getValue().match, r.log.committed);
                r.send(new Heartbeat(r.id, e.getKey(), r.term, commit, readContext));
            }
        }
    }

    void handleAppendResponse(AppendResponse m) {
        Progress pr = r.tracker.get(m.from());
        if (pr == null) {
            return;
        }
        pr.recentActive = true;
        pr.ticksSinceContact = 0;
        if (m.reject() && m.index() == 0) {
            // The peer lost entries it had acknowledged (a wiped disk): start over from what it has.
            if (m.hintIndex() < pr.match) {
                pr.resetAfterDataLoss(m.hintIndex());
                sendAppend(m.from(), true);
            }
            return;
        }
        if (m.reject()) {
            // Fast backtracking: skip every entry of the conflicting term at once (§5.3, bug 12).
            long hint = m.hintIndex();
            if (m.hintTerm() > 0) {
                hint = r.log.findConflictByTerm(m.hintIndex(), m.hintTerm());
            }
            if (pr.maybeDecrTo(m.index(), hint)) {
                if (pr.state == Progress.State.REPLICATE) {
                    pr.becomeProbe();
                }
                sendAppend(m.from(), true);
            }
            return;
        }
        if (r.craft != null && !m.held().isEmpty()) {
            m.held().forEach(h -> r.craft.onAck(m.from(), h)); // CRaft: tags may commit even when match stays put
            if (maybeCommit()) {
                bcastAppend();
            }
        }
        boolean wasPaused = pr.isPaused();
        if (!pr.maybeUpdate(m.index())) {
            return;
        }
        switch (pr.state) {
            case PROBE -> pr.becomeReplicate();
            case SNAPSHOT -> {
                if (pr.match >= pr.pendingSnapshot) {
                    pr.becomeProbe();
                    pr.becomeReplicate();
                }
            }
            case REPLICATE -> pr.inflights.freeLE(m.index());
        }
        if (maybeCommit()) {
            bcastCommit();
        } else if (wasPaused) {
            sendAppend(m.from(), true);
        }
        // Pipelining: fill the inflight window while there is more to send.
        while (sendAppend(m.from(), false)) {
            // keep sending
        }
        if (pr.state == Progress.State.REPLICATE && pr.inflights.count() == 0 && pr.sentCommit < r.log.committed) {
            sendAppend(m.from(), true); // its last reply is in: nothing else will carry the commit index to it
        }
        r.transfer.onProgress(m.from(), pr);
        if (r.tracker.departing.contains(m.from())) {
            r.membership.releaseDeparting();
        }
    }

    void handleHeartbeatResponse(HeartbeatResponse m) {
        Progress pr = r.tracker.get(m.from());
        if (pr == null) {
            return;
        }
        pr.recentActive = true;
        pr.ticksSinceContact = 0;
        pr.probeSent = false;
        // A full window (by count or bytes) may hold lost messages: free one so a send can detect it.
        if (pr.state == Progress.State.REPLICATE && pr.inflights.full()) {
            pr.inflights.freeFirstOne();
        }
        if (pr.match < r.log.lastIndex()) {
            sendAppend(m.from(), true);
        }
        if (m.readContext() != 0) {
            r.readIndex.ack(m.from(), m.readContext());
        }
        if (r.recovering()) {
            r.craft.recovery.onHeartbeatResponse(m.from());
        }
    }

    /** The leader's own log became durable through {@code index}: only now does it count itself. */
    void selfPersisted(long index) {
        Progress self = r.tracker.get(r.id);
        if (self != null && self.maybeUpdate(index) && maybeCommit()) {
            bcastCommit();
        }
    }

    /** Ask the policy how far the log is committed; returns whether commit moved. */
    boolean maybeCommit() {
        if (r.recovering()) {
            return false;
        }
        ReplicationPolicy.CommitView view = r.craft == null
                ? new ReplicationPolicy.CommitView(r.tracker.voterMatches(), r.term, r.log.committed, r.log::termOrZero)
                : new ReplicationPolicy.CommitView(r.tracker.voterMatches(), r.term, r.log.committed,
                        r.log::termOrZero, r.id, r.craft.holders(), r.craft.knownCommitted());
        long next = Math.min(r.policy.commitIndex(view), r.log.lastIndex());
        if (next <= r.log.committed) {
            return false;
        }
        r.log.commitTo(next);
        if (r.craft != null) {
            r.craft.onCommit(next);
        }
        r.readIndex.onCommit();
        r.membership.afterCommit();
        return r.role == Role.LEADER;
    }

    // ---- follower ------------------------------------------------------------------------------

    /** §5.3 consistency check; a short or divergent log answers with a hint, never throws (bug 7). */
    void handleAppend(AppendEntries m) {
        ErasureCoding coding = r.policy.coding(r.tracker.conf);
        if (m.prevLogIndex() < r.log.committed) {
            // Everything through our commit already matches the leader (§5.4 Leader Completeness).
            List<FragmentAck> held = coding == null ? List.of() : List.of(FragmentAck.committed(r.log.committed));
            r.send(new AppendResponse(r.id, m.from(), r.term, false, r.log.committed, 0, 0, held));
            return;
        }
        long lastNew = r.log.maybeAppend(m.prevLogIndex(), m.prevLogTerm(), m.commit(), m.entries());
        if (lastNew >= 0) {
            r.catchUp.onAppendAccepted(m, lastNew);
            List<FragmentAck> held = List.of();
            long from = Math.max(m.commit() + 1, r.log.firstIndex());
            if (coding != null && lastNew >= from) {
                // CRaft: say how we hold everything the leader has not committed yet, so that a lost
                // reply costs nothing and the leader counts each voter once per index.
                held = coding.describe(r.id, r.log.slice(from, lastNew + 1, Long.MAX_VALUE));
            }
            r.send(new AppendResponse(r.id, m.from(), r.term, false, lastNew, 0, 0, held));
            return;
        }
        long hintIndex = r.log.findConflictByTerm(Math.min(m.prevLogIndex(), r.log.lastIndex()), m.prevLogTerm());
        long hintTerm = r.log.termOrZero(hintIndex);
        r.send(new AppendResponse(r.id, m.from(), r.term, true, m.prevLogIndex(), hintIndex, hintTerm));
    }

    /** CRaft recovery: hand a new leader what we hold of its uncommitted suffix, and our commit index. */
    void handleFragmentRequest(FragmentRequest m) {
        long lo = Math.max(m.lo(), r.log.firstIndex());
        long hi = Math.min(m.hi(), r.log.lastIndex());
        List<Entry> held = lo > hi ? List.of() : r.log.slice(lo, hi + 1, Long.MAX_VALUE);
        r.send(new FragmentResponse(r.id, m.from(), r.term, m.lo(), r.log.committed, held));
    }

    void handleHeartbeat(Heartbeat m) {
        if (!r.catchUp.trustsHeartbeat(m)) {
            r.send(new HeartbeatResponse(r.id, m.from(), r.term, m.readContext()));
            return;
        }
        if (m.commit() > r.log.lastIndex()) {
            // The leader thinks we hold entries we do not: our storage was lost. A reject at index 0
            // (which no real append can draw, since index 0 always matches) tells it where we end.
            r.send(new AppendResponse(r.id, m.from(), r.term, true, 0, r.log.lastIndex(), 0));
        }
        r.log.commitTo(Math.min(m.commit(), r.log.lastIndex()));
        r.send(new HeartbeatResponse(r.id, m.from(), r.term, m.readContext()));
    }
}
