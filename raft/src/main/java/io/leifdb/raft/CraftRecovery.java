package io.leifdb.raft;

import io.leifdb.raft.Message.FragmentRequest;
import io.leifdb.raft.Message.FragmentResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CRaft leader recovery. A new leader may hold only fragments of its uncommitted suffix, and must
 * not replicate what it cannot rebuild. It asks every voter for what it holds there, and once a
 * majority (itself included) answered it rebuilds each entry from k matching (index, term)
 * fragments or a full copy. Every committed entry can be rebuilt from any majority (F + k holders
 * meet every majority in k voters), so the first entry it cannot rebuild, past any index a voter
 * reported committed, was never committed: it truncates there.
 */
final class CraftRecovery {
    private final Raft r;
    private final CraftLeader leader;
    private long lo;
    private long hi;
    private final Map<Long, FragmentResponse> answers = new TreeMap<>();

    CraftRecovery(Raft r, CraftLeader leader) {
        this.r = r;
        this.leader = leader;
    }

    /** Returns false when there is nothing to recover: the uncommitted suffix holds no fragment. */
    boolean begin() {
        long first = r.log.committed + 1;
        hi = r.log.lastIndex();
        lo = 0;
        if (first <= hi) {
            for (Entry e : r.log.slice(first, hi + 1, Long.MAX_VALUE)) {
                if (e.type() == EntryType.FRAGMENT) {
                    lo = e.index();
                    break;
                }
            }
        }
        if (lo == 0) {
            return false;
        }
        for (long v : r.tracker.conf.voters()) {
            if (v != r.id) {
                ask(v);
            }
        }
        maybeFinish(); // a lone voter is its own majority
        return true;
    }

    private void ask(long voter) {
        r.send(new FragmentRequest(r.id, voter, r.term, lo, hi));
    }

    /** A voter we have not heard from answered a heartbeat: our request may have been lost. */
    void onHeartbeatResponse(long from) {
        if (!answers.containsKey(from) && r.tracker.isVoter(from)) {
            ask(from);
        }
    }

    void onResponse(FragmentResponse m) {
        Progress pr = r.tracker.get(m.from());
        if (pr != null) {
            pr.recentActive = true;
            pr.ticksSinceContact = 0;
        }
        if (m.lo() != lo || !r.tracker.isVoter(m.from()) || m.from() == r.id) {
            return;
        }
        answers.put(m.from(), m);
        maybeFinish();
    }

    private void maybeFinish() {
        int have = answers.size() + (r.tracker.isVoter(r.id) ? 1 : 0);
        if (have >= r.tracker.quorum() && leader.recovering()) {
            finish();
        }
    }

    private void finish() {
        long knownCommit = r.log.committed;
        for (FragmentResponse a : answers.values()) {
            knownCommit = Math.max(knownCommit, a.commit());
        }
        List<Entry> suffix = new ArrayList<>();
        for (Entry own : r.log.slice(lo, hi + 1, Long.MAX_VALUE)) {
            if (own.type() != EntryType.FRAGMENT) {
                suffix.add(own);
                continue;
            }
            Entry full = leader.coding.rebuild(own, heldAt(own.index()));
            if (full != null) {
                suffix.add(full);
            } else if (own.index() <= knownCommit) {
                suffix.add(own); // committed, so decodable from every majority; only compaction hides it here
            } else {
                break; // never committed: drop it and everything after it
            }
        }
        // Rewrite the suffix with full entries (truncating where we stopped), then add the no-op.
        long last = lo - 1 + suffix.size();
        suffix.add(Entry.noop(r.term, last + 1));
        r.log.append(suffix);
        r.log.commitTo(Math.min(knownCommit, last));
        // Our rewritten entries count for us only once durable again.
        Progress self = r.tracker.get(r.id);
        if (self != null) {
            self.match = Math.min(self.match, lo - 1);
        }
        leader.replicate();
    }

    private List<Entry> heldAt(long index) {
        List<Entry> out = new ArrayList<>();
        for (FragmentResponse a : answers.values()) {
            long i = a.entries().isEmpty() ? -1 : index - a.entries().getFirst().index();
            if (i >= 0 && i < a.entries().size() && a.entries().get((int) i).index() == index) {
                out.add(a.entries().get((int) i));
            }
        }
        return out;
    }
}
