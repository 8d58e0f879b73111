package io.leifdb.raft;

import io.leifdb.raft.ProposalDroppedException.Reason;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Single-server membership changes (thesis §4.1, §4.3): a CONFIG entry takes effect as soon as it
 * is in the log, committed or not, and is undone if a new leader truncates it. At most one may be
 * uncommitted, and only after the leader committed an entry of its own term.
 */
final class Membership {
    private final Raft r;
    /** The membership in force before any CONFIG entry still in the log (initial or snapshot's). */
    private ConfState base;
    private final TreeMap<Long, ConfState> inLog = new TreeMap<>();

    Membership(Raft r, ConfState base) {
        this.r = r;
        this.base = base;
    }

    ConfState current() {
        Map.Entry<Long, ConfState> last = inLog.lastEntry();
        return last == null ? base : last.getValue();
    }

    /** Entries were appended from {@code batch}'s first index on, replacing what was there. */
    void onAppend(List<Entry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        ConfState before = current();
        inLog.tailMap(batch.getFirst().index(), true).clear();
        for (Entry e : batch) {
            if (e.type() == EntryType.CONFIG) {
                inLog.put(e.index(), ConfStateCodec.decode(e.data()));
            }
        }
        if (!current().equals(before)) {
            adopt();
        }
    }

    void onRestore(Snapshot snap) {
        base = snap.meta().conf();
        inLog.clear();
        adopt();
    }

    private void adopt() {
        r.tracker.applyConf(current(), r.log.lastIndex());
        if (r.craft != null) {
            r.craft.sync(); // CRaft: fragment ids are positions among the voters in force
        }
        if (r.role == Role.FOLLOWER || r.role == Role.LEARNER) {
            r.role = r.tracker.isVoter(r.id) || !r.tracker.isMember(r.id) ? Role.FOLLOWER : Role.LEARNER;
        }
    }

    /** Leader: the checks of thesis §4.1 before a change may be appended. */
    void checkProposal(ConfState next) {
        ConfState cur = current();
        if (changePending()) {
            throw new ProposalDroppedException(Reason.CHANGE_PENDING, "a membership change is still uncommitted", r.lead);
        }
        if (!termCommitted()) {
            // Without this, a change from an earlier term could be lost after this one (thesis §4.1 fix).
            throw new ProposalDroppedException(Reason.TERM_NOT_COMMITTED,
                    "leader has not committed an entry of its term yet", r.lead);
        }
        long changed = next.voters().stream().filter(v -> !cur.voters().contains(v)).count()
                + cur.voters().stream().filter(v -> !next.voters().contains(v)).count();
        if (changed > 1) {
            throw new IllegalArgumentException("only one voter may be added or removed at a time: " + cur.voters()
                    + " -> " + next.voters());
        }
        if (next.voters().isEmpty()) {
            throw new IllegalArgumentException("membership needs at least one voter");
        }
    }

    /** Whether {@code id} votes in the membership before the latest change, which is uncommitted. */
    boolean votedBeforePendingChange(long id) {
        Map.Entry<Long, ConfState> last = inLog.lastEntry();
        if (last == null || last.getKey() <= r.log.committed) {
            return false;
        }
        Map.Entry<Long, ConfState> before = inLog.lowerEntry(last.getKey());
        return (before == null ? base : before.getValue()).voters().contains(id);
    }

    /** Whether the latest CONFIG entry in the log is above the commit index (thesis §4.1: one at a time). */
    boolean changePending() {
        if (r.config.planted(PlantedBug.SECOND_UNCOMMITTED_CHANGE)) {
            return false;
        }
        Map.Entry<Long, ConfState> last = inLog.lastEntry();
        return last != null && last.getKey() > r.log.committed;
    }

    /** Whether an entry of the leader's term has committed, which a change must wait for (thesis §4.1 fix). */
    boolean termCommitted() {
        return r.config.planted(PlantedBug.CHANGE_BEFORE_TERM_COMMIT) || r.log.termOrZero(r.log.committed) == r.term;
    }

    /**
     * Leader: once the latest change commits, a leader it removed hands over by stepping down (thesis
     * §4.2.2), and members it removed are released (see {@link #releaseDeparting}).
     */
    void afterCommit() {
        Map.Entry<Long, ConfState> last = inLog.lastEntry();
        releaseDeparting();
        if (r.role == Role.LEADER && !r.tracker.isVoter(r.id) && last != null && last.getKey() <= r.log.committed) {
            r.becomeFollower(r.term, 0);
        }
    }

    /**
     * Leader: a member the latest change removed is sent the log until it holds that change; once the
     * change commits, it gets a last heartbeat carrying the commit and is dropped. A removed member
     * holding its removal may campaign until it knows the change committed ({@link Raft#promotable()}),
     * so this spares the cluster its pre-votes. One not heard from for an election timeout is dropped
     * at once: it may be gone for good, and if it returns, its pre-votes change nothing while a leader
     * lives (§9.6).
     */
    void releaseDeparting() {
        Map.Entry<Long, ConfState> last = inLog.lastEntry();
        if (r.role != Role.LEADER || r.tracker.departing.isEmpty() || (last != null && last.getKey() > r.log.committed)) {
            return;
        }
        long change = last == null ? 0 : last.getKey();
        for (long peer : List.copyOf(r.tracker.departing)) {
            Progress p = r.tracker.get(peer);
            if (p == null || p.ticksSinceContact >= r.config.electionTick()) {
                r.tracker.dropDeparting(peer);
            } else if (p.match >= change) {
                r.send(new Message.Heartbeat(r.id, peer, r.term, Math.min(p.match, r.log.committed), 0));
                r.tracker.dropDeparting(peer);
            }
        }
    }
}
