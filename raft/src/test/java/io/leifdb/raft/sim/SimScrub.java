package io.leifdb.raft.sim;

import io.leifdb.raft.CodingParams;
import io.leifdb.raft.ConfState;
import io.leifdb.raft.PlantedBug;
import io.leifdb.raft.Redundancy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The server's repair scrub (docs/craft.md, "Repair") on the simulated leader: every few ticks a
 * pass asks every voter what it holds of each key (the ShareSummary RPC, read here from the state
 * machines; with a voter down the pass ends without a count), lets the core's {@link Redundancy}
 * judge each value and choose what to re-encode, and proposes a {@link Recode} per target through
 * the log, a few per tick and a few in flight, so client writes keep priority. At the end of a run,
 * {@link #checkEveryMajorityReads} holds the promise the repair keeps: losing any F voters loses no value.
 */
final class SimScrub {
    private static final int PASS_EVERY_TICKS = 5;
    private static final int RECODES_PER_TICK = 2;
    private static final int IN_FLIGHT = 4;

    /** What a voter reports of a key, as the server's {@code ShareSource.Held}. */
    private record Held(long revision, long index, long term, int fragmentId, int k, int m) implements Redundancy.Share {
        static Held of(KvStateMachine.Stored s) {
            if (s == null) return null;
            if (s.whole()) return new Held(s.revision(), s.index(), s.term(), -1, 0, 0);
            return new Held(s.revision(), s.index(), s.term(), s.fragment().id(), s.fragment().k(), s.fragment().m());
        }

        @Override
        public boolean whole() {
            return fragmentId < 0;
        }
    }

    private record Target(String key, long revision) {
    }

    private final Simulation sim;
    private final CraftSim craft;
    private final CraftRun run;
    private final Set<PlantedBug> planted;
    private final ArrayDeque<Target> queue = new ArrayDeque<>();
    private final List<CompletableFuture<Long>> inFlight = new ArrayList<>();
    private long leaderId;
    private long leaderTerm;
    private long lastPassAt = Long.MIN_VALUE / 2;
    /** The step of the last complete pass, and what it found: below full redundancy, targets in all, unsettled. */
    private long passedAt = -1;
    private int found = -1;
    private int targets = -1;
    private int unsettled = -1;

    SimScrub(Simulation sim, CraftSim craft, CraftRun run, Set<PlantedBug> planted) {
        this.sim = sim;
        this.craft = craft;
        this.run = run;
        this.planted = planted;
    }

    /** Once per tick, in every phase. */
    void tick() {
        SimNode leader = sim.leader();
        if (leader == null || leader.state() != SimNode.State.UP) return;
        if (leader.id != leaderId || leader.term() != leaderTerm) {
            leaderId = leader.id;
            leaderTerm = leader.term();
            queue.clear();
            inFlight.clear();
            found = -1;
        }
        inFlight.removeIf(CompletableFuture::isDone);
        for (int budget = RECODES_PER_TICK; budget > 0 && inFlight.size() < IN_FLIGHT && !queue.isEmpty(); budget--) {
            propose(leader, queue.poll());
        }
        if (queue.isEmpty() && inFlight.isEmpty() && sim.now() - lastPassAt >= (long) PASS_EVERY_TICKS * Scenario.STEPS_PER_TICK) {
            pass(leader);
        }
    }

    /** Whether a complete pass after step {@code since} found nothing to do and nothing is left in flight. */
    boolean settledAfter(long since) {
        return passedAt > since && found == 0 && targets == 0 && unsettled == 0 && queue.isEmpty() && inFlight.isEmpty();
    }

    private void pass(SimNode leader) {
        lastPassAt = sim.now();
        ConfState conf = leader.confState();
        List<Long> voters = conf.voters().stream().sorted().toList();
        for (long v : voters) {
            if (sim.node(v).state() != SimNode.State.UP) return; // a voter silent: no count, nothing repaired
        }
        CodingParams p = conf.coding() != null ? conf.coding() : run.base().variables();
        int below = 0;
        int unknown = 0;
        for (var e : leader.kv().stored().entrySet()) {
            List<Held> held = new ArrayList<>(voters.size());
            for (long v : voters) held.add(v == leader.id ? Held.of(e.getValue()) : Held.of(sim.node(v).kv().stored().get(e.getKey())));
            Redundancy.Verdict verdict = Redundancy.of(e.getValue().revision(), held, planted);
            if (verdict == Redundancy.Verdict.UNSETTLED) unknown++;
            switch (Redundancy.repair(verdict, p.on(), Redundancy.anyFragment(held), valueBytes(e.getValue()), p.minCodedBytes())) {
                case RAISE -> {
                    below++;
                    queue.add(new Target(e.getKey(), e.getValue().revision()));
                }
                case RECODE -> queue.add(new Target(e.getKey(), e.getValue().revision()));
                case NONE -> {
                }
            }
        }
        CraftSim.figures(sim.scenarioName()).get(CraftSim.Figure.SCRUB_PASSES).increment();
        passedAt = sim.now();
        found = below;
        targets = queue.size();
        unsettled = unknown;
        if (targets > 0) sim.trace().event(sim.now(), "scrub on n" + leader.id + ": " + below + " below full redundancy, "
                + targets + " to re-encode, " + unknown + " unsettled");
    }

    private static long valueBytes(KvStateMachine.Stored s) {
        return s.whole() ? s.data().length - CraftCommands.clearPrefix(s.data()) : s.fragment().codedLength();
    }

    /** The leader takes the value whole (its own copy, or gathered from k shares) and re-encodes it through the log. */
    private void propose(SimNode leader, Target t) {
        KvStateMachine.Stored s = leader.kv().stored().get(t.key());
        if (s == null || s.revision() != t.revision()) return; // written or deleted since: the new write has today's layout
        String value = s.whole() ? s.value() : null;
        if (!s.whole()) {
            byte[] data = craft.gatherData(new KvStateMachine.CodedValue(t.key(), s.index(), s.term(), s.fragment()));
            if (data == null) return; // the next pass finds it again
            value = Command.decode(data).value();
        }
        CompletableFuture<Long> applied = new CompletableFuture<>();
        if (leader.proposeRecode(new Recode(t.key(), t.revision(), value).encode(), applied)) {
            inFlight.add(applied);
            CraftSim.figures(sim.scenarioName()).get(CraftSim.Figure.RECODES_PROPOSED).increment();
            sim.trace().event(sim.now(), "n" + leader.id + " re-encodes " + t.key() + "@" + t.revision());
        }
    }

    /**
     * Every value the leader holds can be read from every majority of the voters, from their state machines and
     * the log entries their shares belong to: a whole copy, or k distinct fragments of one codeword. Every fragment
     * a state machine holds must be exactly its entry's fragment. Null when it holds; else what failed.
     */
    String checkEveryMajorityReads() {
        SimNode leader = sim.leader();
        List<Long> voters = leader.confState().voters().stream().sorted().toList();
        int majority = voters.size() / 2 + 1;
        for (var e : leader.kv().stored().entrySet()) {
            long revision = e.getValue().revision();
            List<Map<List<Long>, Set<Integer>>> pieces = new ArrayList<>(); // per voter: codeword -> ids; key [-1] = whole
            for (long v : voters) {
                KvStateMachine.Stored s = sim.node(v).kv().stored().get(e.getKey());
                Map<List<Long>, Set<Integer>> mine = new HashMap<>();
                if (s != null && s.revision() == revision) {
                    add(mine, s.index(), s.term(), s.whole() ? null : s.fragment());
                    if (!s.whole()) craft.checkFragment(s.index(), s.term(), s.fragment());
                    io.leifdb.raft.Entry logged = sim.node(v).disk.entryAt(s.index());
                    if (logged != null && logged.term() == s.term()) {
                        add(mine, s.index(), s.term(), logged.type() == io.leifdb.raft.EntryType.FRAGMENT
                                ? io.leifdb.raft.craft.Fragment.fromBytes(logged.data()) : null);
                    }
                }
                pieces.add(mine);
            }
            String lost = worstMajority(pieces, voters, majority);
            if (lost != null) {
                return "craft redundancy: after repair, " + e.getKey() + "@" + revision + " cannot be read from the voters "
                        + lost + " (a majority of " + voters + "); each holds " + pieces;
            }
        }
        return null;
    }

    private static void add(Map<List<Long>, Set<Integer>> mine, long index, long term, io.leifdb.raft.craft.Fragment f) {
        if (f == null) {
            mine.computeIfAbsent(List.of(-1L), x -> new HashSet<>()).add(-1);
        } else {
            mine.computeIfAbsent(List.of(index, term, (long) f.k(), (long) f.m()), x -> new HashSet<>()).add(f.id());
        }
    }

    /** The first majority (by bit mask over {@code voters}) that holds no whole copy and fewer than k ids of every codeword. */
    private static String worstMajority(List<Map<List<Long>, Set<Integer>>> pieces, List<Long> voters, int majority) {
        int n = voters.size();
        for (int mask = 0; mask < (1 << n); mask++) {
            if (Integer.bitCount(mask) != majority) continue;
            Map<List<Long>, Set<Integer>> union = new HashMap<>();
            for (int i = 0; i < n; i++) {
                if ((mask & (1 << i)) == 0) continue;
                pieces.get(i).forEach((code, ids) -> union.computeIfAbsent(code, x -> new HashSet<>()).addAll(ids));
            }
            boolean readable = union.entrySet().stream().anyMatch(c -> c.getKey().size() == 1
                    || c.getValue().size() >= c.getKey().get(2));
            if (!readable) {
                List<Long> chosen = new ArrayList<>();
                for (int i = 0; i < n; i++) if ((mask & (1 << i)) != 0) chosen.add(voters.get(i));
                return chosen.toString();
            }
        }
        return null;
    }
}
