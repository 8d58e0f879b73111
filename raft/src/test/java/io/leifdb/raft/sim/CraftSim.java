package io.leifdb.raft.sim;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.ErasureCoding;
import io.leifdb.raft.FollowerShare;
import io.leifdb.raft.Message;
import io.leifdb.raft.Snapshot;
import io.leifdb.raft.craft.Fragment;
import io.leifdb.raft.craft.FragmentCodec;
import io.leifdb.raft.craft.ReedSolomonCoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a simulated run needs under CRaft: the decodability invariant (every committed entry can
 * be decoded from every majority of durable logs), checked after every step; the mapping of each
 * fragment to the full entry it came from, so that the Raft invariants compare whole entries and
 * every fragment is checked against its entry; and reads of coded values.
 *
 * <p>Read model: a node that serves a read of a value it holds as a fragment gathers fragments of
 * the same entry (index, term) from the logs of nodes that are up. An (index, term) names one
 * immutable entry (§5.3 log matching), so where the fragments come from cannot change the value
 * read, only whether k of them can be found; network cuts are not modelled for this fetch.
 */
final class CraftSim {
    private record IndexTerm(long index, long term) {
    }

    /** One codeword: an entry's fragments under one (k, m). */
    private record Codeword(long index, long term, int k, int m) {
        static Codeword of(Entry e, Fragment f) {
            return new Codeword(e.index(), e.term(), f.k(), f.m());
        }
    }

    /** Figures summed over every run of a scenario, printed with {@code -Dsimulation.verbose}. */
    enum Figure { FRAGMENTS_SENT, FULL_SENT, ENTRY_BYTES_SENT, RECOVERY_REQUESTS, DECODABILITY_CHECKS, CODED_READS,
        CODED_READS_UNAVAILABLE, CODING_CHANGES, LAGGING_DROPS,
        VOTER_CHANGES_COMMITTED, SNAPSHOTS_SENT, SNAPSHOT_FALLBACKS, RECODES_PROPOSED, SCRUB_PASSES }

    private static final Map<String, Map<Figure, LongAdder>> FIGURES = new ConcurrentHashMap<>();

    static Map<Figure, LongAdder> figures(String scenario) {
        return FIGURES.computeIfAbsent(scenario, s -> {
            Map<Figure, LongAdder> m = new java.util.EnumMap<>(Figure.class);
            for (Figure f : Figure.values()) m.put(f, new LongAdder());
            return m;
        });
    }

    private final Map<Figure, LongAdder> figures;

    private final Simulation sim;
    private final InvariantChecker checker;
    private final CraftRun run;
    /** The membership of the highest committed CONFIG entry (or the initial one), scanned up to {@link #confScanned}. */
    private ConfState committedConf;
    private long confScanned;
    /** The memberships decodability was last checked against: when they change, every committed entry is checked again. */
    private Set<Set<Long>> checkedAgainst = Set.of();
    /** The leader and the first index it held uncommitted since the given step (stall check); 0: none. */
    private long stallLeader;
    private long stallIndex;
    private long stallSince;
    private final Map<IndexTerm, Entry> fullEntries = new HashMap<>();
    private final Map<Codeword, Fragment[]> fragmentsOf = new HashMap<>();
    /** Fragments seen on the wire for entries not yet known in full, by fragment id. */
    private final Map<Codeword, Map<Integer, Fragment>> onTheWire = new HashMap<>();
    private long checkedThrough;
    /**
     * Committed entries up to here are no longer checked: a member lost its disk after they committed, so some
     * majority may hold too few of their shares; the values they wrote are the repair's, checked by {@link SimScrub}.
     */
    private long lostFloor;
    private long dirtyFrom = Long.MAX_VALUE;

    CraftSim(Simulation sim, String scenario, CraftRun run, ConfState conf, InvariantChecker checker) {
        this.sim = sim;
        this.figures = figures(scenario);
        this.checker = checker;
        this.run = run;
        this.committedConf = conf;
        checker.canonicalizeWith(this::canonical);
    }

    private static FragmentCodec codec(Fragment f) {
        return new FragmentCodec(new ReedSolomonCoder(f.k(), f.m()));
    }

    /** A lagging follower: it hears heartbeats but receives no entries while it does not lead. */
    boolean lagging(io.leifdb.raft.Message m) {
        if (!run.laggingFollower() || m.to() != sim.size() || !(m instanceof io.leifdb.raft.Message.AppendEntries)) {
            return false;
        }
        figures.get(Figure.LAGGING_DROPS).increment();
        return true;
    }

    /** Once per tick of chaos: coding changes through the log, and the stall check. */
    void tick() {
        SimNode leader = sim.leader();
        if (leader == null || leader.state() != SimNode.State.UP) return;
        if (run.codingChangeRate() > 0 && sim.rnd().nextDouble() < run.codingChangeRate()) {
            io.leifdb.raft.CodingParams next = CraftRun.draw(sim.size(), sim.rnd());
            if (leader.proposeConfChange(leader.confState().withCoding(next))) {
                figures.get(Figure.CODING_CHANGES).increment();
                sim.trace().event(sim.now(), "n" + leader.id + " proposes coding " + next);
            }
        }
        if (run.stallBoundTicks() > 0) checkStall(leader);
    }

    /** With a majority keeping up, what the leader holds commits within the bound (FlexRaft: a slow member stalls nothing). */
    private void checkStall(SimNode leader) {
        long commit = leader.storage().hardState().commit();
        long last = leader.storage().lastIndex();
        if (leader.id != stallLeader || commit >= stallIndex || commit >= last) {
            stallLeader = leader.id;
            stallIndex = commit < last ? last : 0;
            stallSince = sim.now();
            return;
        }
        if (sim.now() - stallSince > (long) run.stallBoundTicks() * Scenario.STEPS_PER_TICK) {
            throw new SafetyViolation("craft liveness: leader n" + leader.id + " held index " + stallIndex + " for "
                    + run.stallBoundTicks() + " ticks without committing it (commit " + commit + ") while only n"
                    + sim.size() + " lags");
        }
    }

    /** A member's disk is wiped: see {@link #lostFloor}. */
    void memberLost() {
        lostFloor = Math.max(lostFloor, checker.maxCommitted());
    }

    /** Counts what leaves a node: fragments against full copies, and the entry bytes on the wire. */
    void sent(io.leifdb.raft.Message m) {
        if (m instanceof io.leifdb.raft.Message.AppendEntries a) {
            for (Entry e : a.entries()) {
                if (e.type() == EntryType.FRAGMENT) {
                    figures.get(Figure.FRAGMENTS_SENT).increment();
                    learnFromWire(e);
                }
                else if (e.type() == EntryType.NORMAL) figures.get(Figure.FULL_SENT).increment();
                figures.get(Figure.ENTRY_BYTES_SENT).add(e.data().length);
            }
        } else if (m instanceof io.leifdb.raft.Message.FragmentRequest) {
            figures.get(Figure.RECOVERY_REQUESTS).increment();
        }
    }

    /** The full entry an observed one stands for; a fragment must be exactly its entry's fragment. */
    private Entry canonical(Entry e) {
        dirtyFrom = Math.min(dirtyFrom, e.index());
        IndexTerm at = new IndexTerm(e.index(), e.term());
        if (e.type() != EntryType.FRAGMENT) {
            fullEntries.putIfAbsent(at, e); // a different full entry is the checker's log-matching violation
            return e;
        }
        Entry known = fullEntries.get(at);
        Entry full = known != null ? known : durableFullCopy(at);
        if (full == null) {
            throw new SafetyViolation("craft: fragment at " + e.index() + "@" + e.term() + " of an entry no node ever held in full");
        }
        Fragment got = Fragment.fromBytes(e.data());
        // The reference encoding under the fragment's own (k, m): voter changes make codes of several N.
        Fragment[] expected = fragmentsOf.computeIfAbsent(Codeword.of(e, got), x -> codec(got)
                .encode(full.data(), Math.max(0, Math.min(CraftCommands.clearPrefix(full.data()), full.data().length))));
        int id = got.id();
        if (id >= expected.length || !Arrays.equals(expected[id].toBytes(), e.data())) {
            throw new SafetyViolation("craft: fragment " + id + " at " + e.index() + "@" + e.term()
                    + " is not a fragment of the entry held there in full");
        }
        return full;
    }

    /**
     * A leader may send fragments of an entry it never persists: it proposed, then a newer
     * leader's append replaced the entry in its unstable log before the Ready was written. The
     * fragments of one broadcast still rebuild that entry, which is then the reference.
     */
    private void learnFromWire(Entry e) {
        IndexTerm at = new IndexTerm(e.index(), e.term());
        if (fullEntries.containsKey(at)) return;
        Fragment f = Fragment.fromBytes(e.data());
        Map<Integer, Fragment> seen = onTheWire.computeIfAbsent(Codeword.of(e, f), x -> new HashMap<>());
        seen.putIfAbsent(f.id(), f);
        byte[] data = codec(f).decode(new ArrayList<>(seen.values()));
        if (data != null) {
            fullEntries.put(at, Entry.normal(e.term(), e.index(), data));
            onTheWire.keySet().removeIf(x -> x.index() == at.index() && x.term() == at.term());
        }
    }

    /**
     * A full entry that reached a disk unobserved: a torn crash keeps writes that were never
     * synced through a Ready, and the restarted node may lead and code that entry later.
     */
    private Entry durableFullCopy(IndexTerm at) {
        for (long id = 1; id <= sim.size(); id++) {
            Entry e = sim.node(id).disk.entryAt(at.index());
            if (e != null && e.term() == at.term() && e.type() != EntryType.FRAGMENT) {
                fullEntries.put(at, e);
                return e;
            }
        }
        return null;
    }

    /**
     * After every step: committed entries whose holders may have changed must be decodable by any majority of
     * the voters that may elect the next leader: those of the latest committed membership and of the leader's
     * (a change is in force once appended, thesis §4.1); all of them again when those voters change.
     */
    void afterStep() {
        long max = checker.maxCommitted();
        scanCommittedConf(max);
        Set<Set<Long>> against = new HashSet<>();
        against.add(committedConf.voters());
        SimNode leader = sim.leader();
        // A deposed leader that lacks committed entries can no longer commit or be elected: its voters are history.
        if (leader != null && leader.state() == SimNode.State.UP && leader.storage().lastIndex() >= max) {
            against.add(leader.confState().voters());
        }
        if (!against.equals(checkedAgainst)) {
            checkedAgainst = against;
            dirtyFrom = 1;
        }
        long from = Math.max(lostFloor + 1, Math.min(dirtyFrom, checkedThrough + 1));
        for (long j = from; j <= max; j++) {
            long t = checker.committedTerm(j);
            if (t < 0) continue;
            for (Set<Long> voters : against) checkDecodable(j, t, voters);
        }
        checkedThrough = Math.max(checkedThrough, max);
        dirtyFrom = Long.MAX_VALUE;
    }

    private void scanCommittedConf(long max) {
        for (long j = confScanned + 1; j <= max; j++) {
            long t = checker.committedTerm(j);
            for (long id = 1; id <= sim.size() && t >= 0; id++) {
                Entry e = sim.node(id).disk.entryAt(j);
                if (e != null && e.term() == t) {
                    if (e.type() == EntryType.CONFIG) {
                        ConfState next = io.leifdb.raft.ConfStateCodec.decode(e.data());
                        if (!next.voters().equals(committedConf.voters())) {
                            figures.get(Figure.VOTER_CHANGES_COMMITTED).increment();
                        }
                        committedConf = next;
                    }
                    break;
                }
            }
        }
        confScanned = Math.max(confScanned, max);
    }

    private void checkDecodable(long index, long term, Set<Long> voters) {
        figures.get(Figure.DECODABILITY_CHECKS).increment();
        int n = voters.size();
        int majority = n / 2 + 1;
        int full = 0;
        int wiped = 0;
        Map<List<Integer>, Integer> fragmentHolders = new HashMap<>();
        Map<List<Integer>, Set<Integer>> ids = new HashMap<>();
        for (long id : voters) {
            SimDisk disk = sim.node(id).disk;
            if (disk.lostState()) {
                wiped++; // a wiped member votes only once a leader caught it up: it is in no electing majority
                continue;
            }
            if (disk.snapshot().meta().index() >= index) {
                full++; // the state machine image holds it
                continue;
            }
            Entry e = disk.entryAt(index);
            if (e == null || e.term() != term) continue;
            if (e.type() != EntryType.FRAGMENT) {
                full++;
            } else {
                Fragment f = Fragment.fromBytes(e.data());
                List<Integer> code = List.of(f.k(), f.m());
                fragmentHolders.merge(code, 1, Integer::sum);
                ids.computeIfAbsent(code, x -> new HashSet<>()).add(f.id());
            }
        }
        int eligible = n - wiped;
        if (eligible - full < majority) return; // every majority that can elect includes a full copy
        // Per code, the worst majority takes every node without the entry (or with another code's
        // fragment) first, then duplicate fragments; one code decoding from every majority suffices.
        int best = 0;
        int bestK = 1;
        for (Map.Entry<List<Integer>, Integer> c : fragmentHolders.entrySet()) {
            int worst = majority - (eligible - full - c.getValue()) - (c.getValue() - ids.get(c.getKey()).size());
            if (worst >= c.getKey().getFirst()) return;
            best = Math.max(best, worst);
            bestK = c.getKey().getFirst();
        }
        throw new SafetyViolation("craft decodability: committed entry " + index + "@" + term + " is held in full by "
                + full + " and as fragments " + ids + " (by (k, m)) of the " + n + " voters " + voters
                + ": some majority holds only " + Math.max(0, best) + " fragments < k = " + bestK);
    }

    /** A read of a coded value: rebuild it from fragments of its entry on nodes that are up. */
    String gather(KvStateMachine.CodedValue c) {
        figures.get(Figure.CODED_READS).increment();
        byte[] data = gatherData(c);
        if (data == null) figures.get(Figure.CODED_READS_UNAVAILABLE).increment();
        return data == null ? null : Command.decode(data).value();
    }

    /**
     * The data of the entry (index, term) that {@code c} is a fragment of, from the shares that nodes that are up
     * hold in their state machines and logs (the server's GetShare answers from both); null when fewer than k.
     */
    byte[] gatherData(KvStateMachine.CodedValue c) {
        List<Fragment> fragments = new ArrayList<>();
        fragments.add(c.fragment());
        for (long id = 1; id <= sim.size(); id++) {
            SimNode node = sim.node(id);
            if (node.state() != SimNode.State.UP) continue;
            KvStateMachine.Stored s = node.kv().stored().get(c.key());
            if (s != null && s.index() == c.index() && s.term() == c.term()) {
                if (s.whole()) return s.data();
                fragments.add(s.fragment());
            }
            Entry e = node.disk.entryAt(c.index());
            if (e == null || e.term() != c.term()) continue;
            if (e.type() != EntryType.FRAGMENT) return e.data();
            fragments.add(Fragment.fromBytes(e.data()));
        }
        return codec(c.fragment()).decode(fragments);
    }

    /** A fragment held outside the log (a state machine, a snapshot) must be exactly its entry's fragment. */
    void checkFragment(long index, long term, Fragment f) {
        canonical(new Entry(term, index, EntryType.FRAGMENT, f.toBytes()));
    }

    /**
     * The leader's snapshot as {@code m}'s follower receives it: each value as the core's {@link FollowerShare}
     * decides, what the server's {@code Outbox} does with {@code FollowerShares}. A rebuild fails when fewer than
     * k shares are at hand on nodes that are up, or at the run's {@link CraftRun#rebuildFailRate} (a timeout).
     */
    Message.InstallSnapshot forFollower(Message.InstallSnapshot m) {
        ConfState conf = m.snapshot().meta().conf();
        ErasureCoding coding = run.base().coding(conf);
        if (coding == null || coding.k() < 2 || coding.fragmentId(m.to()) < 0) return m;
        FollowerShare decision = new FollowerShare(coding, m.to());
        java.util.TreeMap<String, KvStateMachine.Stored> values = KvStateMachine.decode(m.snapshot().data());
        for (var v : values.entrySet()) {
            KvStateMachine.Stored s = v.getValue();
            FollowerShare.Outcome out = s.whole()
                    ? decision.ofWhole(Entry.normal(s.term(), s.index(), s.data()))
                    : decision.ofFragment(s.index(), s.term(), s.fragment(), leaders -> rebuild(v.getKey(), s));
            if (out.kind() == FollowerShare.Kind.LEADERS) {
                figures.get(Figure.SNAPSHOT_FALLBACKS).increment();
                sim.trace().event(sim.now(), "snapshot for n" + m.to() + " keeps the leader's fragment of " + v.getKey());
            }
            if (out.kind() != FollowerShare.Kind.OWN) continue;
            Fragment own = Fragment.fromBytes(out.fragment());
            checkFragment(s.index(), s.term(), own);
            v.setValue(new KvStateMachine.Stored(s.revision(), s.index(), s.term(), null, own));
        }
        figures.get(Figure.SNAPSHOTS_SENT).increment();
        return new Message.InstallSnapshot(m.from(), m.to(), m.term(),
                new Snapshot(m.snapshot().meta(), KvStateMachine.encode(values)));
    }

    /** Node {@code id}'s fragment id under the code for {@code conf}'s voters, as the server's install asks its policy. */
    int ownFragment(long id, ConfState conf) {
        ErasureCoding coding = run.base().coding(conf);
        return coding == null ? -1 : coding.fragmentId(id);
    }

    private byte[] rebuild(String key, KvStateMachine.Stored s) {
        if (run.rebuildFailRate() > 0 && sim.rnd().nextDouble() < run.rebuildFailRate()) return null;
        byte[] data = gatherData(new KvStateMachine.CodedValue(key, s.index(), s.term(), s.fragment()));
        return data == null ? null : Arrays.copyOfRange(data, s.fragment().clear().length, data.length);
    }
}
