package io.leifdb.server.it.history;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The nemesis's schedule, drawn from a seed alone: which faults, in which order, how long each
 * lasts and how long the cluster runs healthy before it. Which node is the leader is only known
 * when a fault starts, so leader faults name a role, not a node.
 */
public record FaultPlan(long seed, List<Fault> faults) {
    public enum Kind {
        /** kill -9 a node chosen by the seed, then restart it from its disk. */
        KILL_NODE,
        /** kill -9 whichever node leads, then restart it. */
        KILL_LEADER,
        /** SIGSTOP the leader while the others elect a new one, then SIGCONT it: it wakes up deposed. */
        PAUSE_LEADER
    }

    /**
     * @param kind      the fault
     * @param node      KILL_NODE only: the victim; otherwise -1
     * @param calmMs    healthy time before the fault starts
     * @param holdMs    how long the fault lasts before it is healed
     */
    public record Fault(Kind kind, int node, long calmMs, long holdMs) {
        @Override
        public String toString() {
            String who = kind == Kind.KILL_NODE ? " n" + node : "";
            return kind + who + " after " + calmMs + " ms calm, held " + holdMs + " ms";
        }
    }

    public FaultPlan {
        faults = List.copyOf(faults);
    }

    /**
     * Every kind once, and a second leader pause since that is the fault that finds stale reads,
     * in an order and with timings drawn from {@code seed}.
     */
    public static FaultPlan generate(long seed, int clusterSize) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Kind> kinds = new ArrayList<>(List.of(Kind.KILL_NODE, Kind.KILL_LEADER, Kind.PAUSE_LEADER,
                Kind.PAUSE_LEADER));
        for (int i = kinds.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            kinds.set(i, kinds.set(j, kinds.get(i)));
        }
        List<Fault> faults = new ArrayList<>();
        for (Kind k : kinds) {
            int node = k == Kind.KILL_NODE ? rnd.nextInt(clusterSize) : -1;
            long calm = 800 + rnd.nextLong(1200);
            // A pause must outlast an election timeout so the others really replace the leader.
            long hold = k == Kind.PAUSE_LEADER ? 2000 + rnd.nextLong(2500) : 500 + rnd.nextLong(1500);
            faults.add(new Fault(k, node, calm, hold));
        }
        return new FaultPlan(seed, faults);
    }

    public String describe() {
        StringBuilder sb = new StringBuilder("fault plan (seed " + seed + "):");
        for (int i = 0; i < faults.size(); i++) sb.append("\n  ").append(i + 1).append(". ").append(faults.get(i));
        return sb.toString();
    }
}
