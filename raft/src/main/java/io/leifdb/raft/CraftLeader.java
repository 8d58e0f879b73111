package io.leifdb.raft;

import io.leifdb.raft.ProposalDroppedException.Reason;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * A CRaft leader's state for one term: whether it still recovers, the k it codes new entries with,
 * the code each uncommitted entry was sent in, the fragments it encoded, and who acknowledged
 * holding which uncommitted index.
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
    /** The cluster's codes for the voters in force ({@link #sync}: a CONFIG entry may change them). */
    ErasureCoding coding;
    /** The membership {@link #coding} was built for. */
    private ConfState codedFor;
    /** The leader's last index when the voters last changed in this term: entries up to it go whole. */
    private long wholeThrough;
    /** Non-null until the recovery phase ends: no proposals, reads or appends meanwhile. */
    CraftRecovery recovery;
    /** Whether new entries are coded: {@link #k} is at least 2. */
    boolean coded;
    /** The k for new entries, picked each tick from the voters that keep up; 1 = full copies. */
    int k = 1;
    /** Invariant: an index of this term is sent in one code only, the one recorded here (absent: whole). */
    private final TreeMap<Long, Integer> codeOf = new TreeMap<>();
    private final TreeMap<Long, Held> held = new TreeMap<>();
    private final EncodeCache encoded = new EncodeCache(ENCODE_CACHE, ENCODE_CACHE_BYTES);
    /** Per voter, the highest index it acknowledged in this term (tagged replies say so even after a rewind). */
    private final Map<Long, Long> acked = new HashMap<>();
    /** Who keeps up, for adaptive k. */
    private final VoterPace pace;
    private long ticks;
    /** The tick the commit index last moved at. */
    private long committedAt;
    /** Entries up to here were already sent again whole after k dropped. */
    private long resentThrough;
    /** After a resend whole, lag and pace move k again from this tick on ({@link #settled}). */
    private long calmFrom;
    /** The k the voters keeping up allowed at each of the last two windows' ticks, by tick modulo their length. */
    private int[] wanted;
    /** Whether k dropped in this term: until then it rises as soon as the voters allow. */
    private boolean damped;
    private long knownCommitted;

    CraftLeader(Raft r, ErasureCoding coding) {
        this.r = r;
        this.coding = coding;
        this.codedFor = r.tracker.conf;
        this.pace = new VoterPace(r, this::ackedBy);
    }

    boolean recovering() {
        return recovery != null;
    }

    /** Called by becomeLeader: recover first when our uncommitted suffix holds fragments. */
    void start() {
        // A voter counts as live only once heard from in this term: start in full mode, not coded.
        r.tracker.progress.forEach((id, p) -> p.ticksSinceContact = id == r.id ? 0 : r.config.electionTick());
        pace.reset(r.log.lastIndex() + 1); // a voter keeps up only once it acknowledged something of this term
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
        pickK();
        for (Map.Entry<Long, Progress> e : r.tracker.progress.entrySet()) {
            if (e.getKey() != r.id) {
                e.getValue().next = Math.min(e.getValue().next, r.log.committed + 1);
            }
        }
        r.replication.bcastAppend();
    }

    /**
     * What {@code to} receives for {@code e}: its own fragment of the entry's code, or a full copy.
     * Entries of earlier terms always go whole: a voter may hold them in another leader's code.
     */
    Entry payload(long to, Entry e) {
        int id = coding.fragmentId(to);
        if (id < 0 || e.type() != EntryType.NORMAL || e.term() != r.term) {
            return r.policy.payloadFor(to, e);
        }
        Integer code = codeOf.get(e.index());
        int use = code != null ? code : k;
        if (use < 2 || use > k) {
            if (code == null) {
                codeOf.put(e.index(), 1); // first sent whole: whole for the rest of the term, never a fragment later
            }
            return r.policy.payloadFor(to, e); // whole, or coded with a k that no longer finds F + k holders
        }
        Entry[] frags = encoded.get(e.index());
        if (code == null && e.index() <= wholeThrough && (frags == null || frags[0].term() != e.term())) {
            // Committed before the voters changed: a fragment for new positions would join no codeword held.
            return r.policy.payloadFor(to, e);
        }
        if (frags == null || frags[0].term() != e.term()) {
            frags = coding.encode(e, use);
            if (frags == null) {
                return r.policy.payloadFor(to, e);
            }
            encoded.put(e.index(), frags);
            codeOf.put(e.index(), use);
        }
        return frags[id];
    }

    /** A tagged success from {@code from}: record, once per voter and index, how it holds each index. */
    void onAck(long from, FragmentAck ack) {
        long last = r.log.lastIndex();
        acked.merge(from, Math.min(ack.hi(), last), Math::max);
        if (ack.kind() == FragmentAck.Kind.COMMITTED) {
            knownCommitted = Math.max(knownCommitted, Math.min(ack.hi(), last));
            return;
        }
        if (!r.tracker.isVoter(from)) {
            return;
        }
        boolean full = ack.kind() == FragmentAck.Kind.FULL;
        if (!full && ack.fragmentId() != coding.fragmentId(from)) {
            return; // not the fragment this voter must hold: it proves nothing
        }
        for (long j = Math.max(ack.lo(), r.log.committed + 1); j <= Math.min(ack.hi(), last); j++) {
            if (!full && !sameCode(j, ack)) {
                continue; // a fragment of another code than the one this entry was sent in counts for nothing
            }
            Held h = held.computeIfAbsent(j, x -> new Held());
            if (full) {
                h.full.add(from);
                h.fragments.remove(from);
            } else if (!h.full.contains(from)) {
                h.fragments.put(from, ack.fragmentId());
            }
        }
    }

    private boolean sameCode(long index, FragmentAck ack) {
        Integer code = codeOf.get(index);
        return code != null && code == ack.k() && ack.k() + ack.m() == r.tracker.conf.voters().size();
    }

    NavigableMap<Long, ReplicationPolicy.Holders> holders() {
        TreeMap<Long, ReplicationPolicy.Holders> out = new TreeMap<>();
        int own = r.policy instanceof CraftPolicy p ? p.dataShards(r.tracker.conf.voters().size()) : 0;
        held.forEach((j, h) -> {
            int code = codeOf.getOrDefault(j, 0);
            if (code > 1 && r.config.planted(PlantedBug.CODED_QUORUM_FROM_OWN_K)) {
                code = own;
            }
            out.put(j, new ReplicationPolicy.Holders(h.full, h.fragments, code));
        });
        return out;
    }

    long knownCommitted() {
        return knownCommitted;
    }

    /** Commit moved: forget what no longer matters. */
    void onCommit(long commit) {
        committedAt = ticks;
        held.headMap(commit, true).clear();
        codeOf.headMap(commit, true).clear();
        encoded.dropThrough(commit - 2 * (long) r.config.maxInflightMsgs());
    }

    /**
     * Once per tick: pick k from the voters that keep up. When it drops below the code of an
     * uncommitted entry that would wait for a voter not about to hold it ({@link #mustResendWhole}),
     * every uncommitted entry is sent again, those in full; followers replace their fragments in
     * place, and the entries commit on a majority of full copies (or F + k of their own code).
     */
    void tick() {
        ticks++;
        pace.record(ticks);
        if (recovering()) {
            return;
        }
        sync();
        recordClusterParams();
        pickK();
        if (mustResendWhole()) {
            resentThrough = r.log.lastIndex();
            rewindFollowers();
            r.replication.bcastAppend();
        }
    }

    /**
     * Whether the last uncommitted entry coded with more than the new k (not yet resent) could wait
     * long: fewer than F + its k voters hold it or, at their pace over the window, will within
     * {@link VoterPace#DRAIN_WINDOWS} windows, or the commit index has not moved for an election timeout.
     * Resending 1 MiB entries whole to every follower costs the links seconds, so a voter that is
     * merely behind is waited for: measured, resending at every drop of k kept the followers behind
     * and k flapping.
     */
    private boolean mustResendWhole() {
        Map.Entry<Long, Integer> last = null;
        for (Map.Entry<Long, Integer> e : codeOf.tailMap(Math.max(r.log.committed, resentThrough), false)
                .descendingMap().entrySet()) {
            if (e.getValue() > k) {
                last = e;
                break;
            }
        }
        if (last == null) {
            return false;
        }
        if (ticks - committedAt >= r.config.electionTick()) {
            return true;
        }
        long j = last.getKey();
        int soon = 0;
        for (long v : r.tracker.conf.voters()) {
            if (pace.holdsSoon(v, j)) {
                soon++;
            }
        }
        return soon < coding.tolerated() + last.getValue();
    }

    /**
     * Follows the membership in force (called when it changes, and each tick). When the voters change,
     * fragment ids move: what was encoded for the old positions is dropped, every uncommitted index goes
     * whole (acknowledged fragments of old ids never count), and followers are rewound to resend it, as
     * when k drops.
     */
    void sync() {
        ConfState conf = r.tracker.conf;
        if (conf == codedFor) {
            return;
        }
        boolean moved = !conf.voters().equals(codedFor.voters());
        codedFor = conf;
        coding = r.policy.coding(conf);
        if (!moved) {
            return;
        }
        encoded.clear();
        pace.retain(conf.voters());
        wholeThrough = r.log.lastIndex();
        for (long j = r.log.committed + 1; j <= r.log.lastIndex(); j++) {
            codeOf.put(j, 1);
        }
        held.values().forEach(h -> h.fragments.clear());
        rewindFollowers();
    }

    private void rewindFollowers() {
        for (Map.Entry<Long, Progress> e : r.tracker.progress.entrySet()) {
            Progress pr = e.getValue();
            if (e.getKey() != r.id && pr.state != Progress.State.SNAPSHOT
                    && (pr.match > r.log.committed || pr.next > r.log.committed + 1)) {
                pr.match = Math.min(pr.match, r.log.committed);
                pr.becomeProbe();
            }
        }
    }

    private void pickK() {
        if (coding == null || r.tracker.conf.coding() == null) {
            // Nothing is coded before the cluster's parameters are in the log, so their storedK is exact.
            k = 1;
        } else if (r.policy instanceof CraftPolicy p && !p.adaptiveK()) {
            k = liveVoters() >= coding.tolerated() + coding.k() ? coding.k() : 1; // before issue 14: all or nothing
        } else if (r.config.planted(PlantedBug.CODE_FROM_HEARTBEATS)) {
            k = coding.dataShardsFor(liveVoters());
        } else {
            k = settled(coding.dataShardsFor(pace.keepingUp(coding, k)));
        }
        k = Math.max(1, k);
        coded = k >= 2;
    }

    /**
     * Damps adaptive k, which follows lag and pace, both noisy: it drops once the voters keeping up
     * were too few at every tick of a window, and after a drop rises only once they were enough at
     * every tick of two. While entries sent again whole are uncommitted, and two windows after (the
     * span of {@link VoterPace#pace}), it holds: the resend stalls every follower's acknowledged index,
     * so lag and pace then measure the resend. Voters gone silent or receiving a snapshot lower it at
     * once. Measured with a 10 Mbit/s follower (docs/benchmarks.md), undamped k rose back to that
     * follower's code and fell to full copies, each drop resending megabytes: 0.78x full replication.
     */
    private int settled(int want) {
        int window = pace.window();
        if (wanted == null) {
            wanted = new int[2 * window];
            Arrays.fill(wanted, Integer.MAX_VALUE);
        }
        if (r.log.committed < resentThrough) {
            calmFrom = ticks + 2L * window;
        }
        wanted[(int) (ticks % wanted.length)] = ticks < calmFrom ? k : want; // what a resend measured counts for nothing
        int liveCap = coding.dataShardsFor(pace.liveVoters());
        if (liveCap < k) {
            return Math.min(want, liveCap); // a silent voter is no measurement noise: no damping after
        }
        if (ticks < calmFrom) {
            return k;
        }
        int low = 0;
        int lowWant = Integer.MIN_VALUE;
        int least = Integer.MAX_VALUE;
        for (int back = 0; back < wanted.length; back++) {
            int w = wanted[(int) Math.floorMod(ticks - back, (long) wanted.length)];
            least = Math.min(least, w);
            if (back < window && w < k) {
                low++;
                lowWant = Math.max(lowWant, w);
            }
        }
        if (k >= 2 && low == window) {
            damped = true;
            return lowWant;
        }
        if (want > k && !damped) {
            return want;
        }
        return Math.max(k, least);
    }

    private long ackedBy(long voter) {
        if (voter == r.id) {
            return r.log.lastIndex();
        }
        Progress p = r.tracker.get(voter);
        return Math.max(p == null ? 0 : p.match, acked.getOrDefault(voter, 0L));
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

    /**
     * The cluster has no coding parameters in its log yet (a new cluster, or data written before
     * they were cluster state): record this leader's variables, once its term has a committed entry
     * and no membership change is pending.
     */
    private void recordClusterParams() {
        ConfState cur = r.tracker.conf;
        if (cur.coding() != null || !(r.policy instanceof CraftPolicy p) || r.log.termOrZero(r.log.committed) != r.term
                || r.transfer.inProgress()) {
            return;
        }
        try {
            r.proposeConfChange(cur.withCoding(p.variables()));
        } catch (ProposalDroppedException e) {
            if (e.reason() != Reason.CHANGE_PENDING) {
                throw e;
            }
        }
    }
}
