package io.leifdb.raft;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * A CRaft leader's state for one term: whether it still recovers, whether it replicates coded or
 * full copies, the fragments it encoded, and who acknowledged holding which uncommitted index.
 */
final class CraftLeader {
    /** Encoded entries kept for resends; a miss just encodes again. */
    private static final int ENCODE_CACHE = 1024;
    /** Fragment bytes kept for resends: about 38 entries of 1 MiB at k = 3 of 5. */
    private static final long ENCODE_CACHE_BYTES = 64L << 20;

    private static final class Held {
        final Set<Long> full = new HashSet<>();
        final Map<Long, Integer> fragments = new HashMap<>();
    }

    private final Raft r;
    final ErasureCoding coding;
    /** Non-null until the recovery phase ends: no proposals, reads or appends meanwhile. */
    CraftRecovery recovery;
    boolean coded;
    private final TreeMap<Long, Held> held = new TreeMap<>();
    private final EncodeCache encoded = new EncodeCache(ENCODE_CACHE, ENCODE_CACHE_BYTES);
    private long knownCommitted;

    CraftLeader(Raft r, ErasureCoding coding) {
        this.r = r;
        this.coding = coding;
    }

    boolean recovering() {
        return recovery != null;
    }

    /** Called by becomeLeader: recover first when our uncommitted suffix holds fragments. */
    void start() {
        // A voter counts as live only once heard from in this term: start in full mode, not coded.
        r.tracker.progress.forEach((id, p) -> p.ticksSinceContact = id == r.id ? 0 : r.config.electionTick());
        CraftRecovery rec = new CraftRecovery(r, this);
        recovery = rec;
        if (!rec.begin()) {
            // §8: the no-op of the new term, appended at once when there is nothing to recover.
            r.log.append(java.util.List.of(Entry.noop(r.term, r.log.lastIndex() + 1)));
            replicate();
        }
    }

    /**
     * Recovery is over and the no-op appended: serve clients and replicate. Every uncommitted
     * entry is sent again, so that each voter's reply says how it holds it: only tagged replies
     * of this term count toward commit.
     */
    void replicate() {
        recovery = null;
        coded = coding.codedMode(liveVoters());
        for (Map.Entry<Long, Progress> e : r.tracker.progress.entrySet()) {
            if (e.getKey() != r.id) {
                e.getValue().next = Math.min(e.getValue().next, r.log.committed + 1);
            }
        }
        r.replication.bcastAppend();
    }

    /** What {@code to} receives for {@code e}: its own fragment in coded mode, a full copy otherwise. */
    Entry payload(long to, Entry e) {
        int id = coding.fragmentId(to);
        if (!coded || id < 0 || e.type() != EntryType.NORMAL) {
            return r.policy.payloadFor(to, e);
        }
        Entry[] frags = encoded.get(e.index());
        if (frags == null || frags[0].term() != e.term()) {
            frags = coding.encode(e);
            if (frags == null) {
                return r.policy.payloadFor(to, e);
            }
            encoded.put(e.index(), frags);
        }
        return frags[id];
    }

    /** A tagged success from {@code from}: record, once per voter and index, how it holds each index. */
    void onAck(long from, FragmentAck ack) {
        long last = r.log.lastIndex();
        if (ack.kind() == FragmentAck.Kind.COMMITTED) {
            knownCommitted = Math.max(knownCommitted, Math.min(ack.hi(), last));
            return;
        }
        if (!r.tracker.isVoter(from)) {
            return;
        }
        boolean full = ack.kind() == FragmentAck.Kind.FULL;
        if (!full && (ack.k() != coding.k() || ack.m() != coding.m() || ack.fragmentId() != coding.fragmentId(from))) {
            return; // not the fragment this voter must hold: it proves nothing
        }
        for (long j = Math.max(ack.lo(), r.log.committed + 1); j <= Math.min(ack.hi(), last); j++) {
            Held h = held.computeIfAbsent(j, x -> new Held());
            if (full) {
                h.full.add(from);
                h.fragments.remove(from);
            } else if (!h.full.contains(from)) {
                h.fragments.put(from, ack.fragmentId());
            }
        }
    }

    NavigableMap<Long, ReplicationPolicy.Holders> holders() {
        TreeMap<Long, ReplicationPolicy.Holders> out = new TreeMap<>();
        held.forEach((j, h) -> out.put(j, new ReplicationPolicy.Holders(h.full, h.fragments)));
        return out;
    }

    long knownCommitted() {
        return knownCommitted;
    }

    /** Commit moved: forget what no longer matters. */
    void onCommit(long commit) {
        held.headMap(commit, true).clear();
        encoded.dropThrough(commit - 2 * (long) r.config.maxInflightMsgs());
    }

    /**
     * Once per tick: pick the mode from the voters heard from within an election timeout. Falling
     * back to full copies re-sends every uncommitted entry in full: followers replace their
     * fragments in place, and the entries then commit on a majority of full copies.
     */
    void tick() {
        if (recovering()) {
            return;
        }
        boolean next = coding.codedMode(liveVoters());
        if (coded && !next) {
            for (Map.Entry<Long, Progress> e : r.tracker.progress.entrySet()) {
                Progress pr = e.getValue();
                if (e.getKey() != r.id && pr.state != Progress.State.SNAPSHOT
                        && (pr.match > r.log.committed || pr.next > r.log.committed + 1)) {
                    pr.match = Math.min(pr.match, r.log.committed);
                    pr.becomeProbe();
                }
            }
            coded = false;
            r.replication.bcastAppend();
        }
        coded = next;
    }

    private int liveVoters() {
        int live = 0;
        for (long v : r.tracker.conf.voters()) {
            Progress p = r.tracker.get(v);
            if (v == r.id || (p != null && p.ticksSinceContact < r.config.electionTick())) {
                live++;
            }
        }
        return live;
    }
}
