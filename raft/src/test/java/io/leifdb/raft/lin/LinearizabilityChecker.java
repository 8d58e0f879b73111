package io.leifdb.raft.lin;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides whether a history of register operations is linearizable. Linearizability is local
 * (Herlihy &amp; Wing's P-compositionality), so each key is checked on its own with {@link WglSearch}.
 * Operations that failed for certain and reads of unknown outcome are dropped first; writes of
 * unknown outcome stay, open-ended, unless {@link #unobserved} proves them irrelevant.
 */
public final class LinearizabilityChecker {
    private LinearizabilityChecker() {
    }

    public static CheckResult check(Collection<Operation> history) {
        return check(history, Long.MAX_VALUE);
    }

    /** As {@link #check(Collection)}, giving up on a key after {@code maxStepsPerKey} search steps. */
    public static CheckResult check(Collection<Operation> history, long maxStepsPerKey) {
        Map<String, List<Operation>> byKey = new TreeMap<>();
        for (Operation op : history) {
            if (op.counts()) byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
            List<Operation> ops = withoutUnobservedUnknowns(e.getValue());
            ops.sort(Comparator.comparingLong(Operation::call).thenComparingLong(Operation::id));
            WglSearch search = new WglSearch(ops);
            WglSearch.Verdict v = search.run(maxStepsPerKey);
            if (v == WglSearch.Verdict.GAVE_UP) {
                return new CheckResult(CheckResult.Verdict.GAVE_UP, e.getKey(), ops,
                        "search exceeded " + maxStepsPerKey + " steps", 0);
            }
            if (v == WglSearch.Verdict.NOT_LINEARIZABLE) {
                return new CheckResult(CheckResult.Verdict.NOT_LINEARIZABLE, e.getKey(), ops, stuck(search),
                        firstLeftOut(search));
            }
        }
        return CheckResult.linearizable();
    }

    /**
     * Removes unknown-outcome writes that no operation could have observed. Such a write can always
     * be placed last, after everything else, where it changes nothing that any operation saw; and
     * in any valid order, no operation sits between it and the next write, since that operation
     * would have seen its value. So the history is linearizable with it exactly when it is without
     * it. Each such write otherwise doubles the search space.
     */
    static List<Operation> withoutUnobservedUnknowns(List<Operation> ops) {
        Set<String> seenValues = new HashSet<>();
        long lastAbsentSeen = Long.MIN_VALUE;
        for (Operation op : ops) {
            if (op.kind() == Operation.Kind.READ) {
                if (op.value() != null) {
                    seenValues.add(op.value());
                } else {
                    lastAbsentSeen = Math.max(lastAbsentSeen, op.ret());
                }
            } else if (op.kind() == Operation.Kind.CAS) {
                if (op.expected() != null) {
                    seenValues.add(op.expected());
                } else {
                    lastAbsentSeen = Operation.INFINITY;
                }
            }
        }
        List<Operation> kept = new ArrayList<>(ops.size());
        for (Operation op : ops) {
            if (op.outcome() == Outcome.UNKNOWN && !observable(op, seenValues, lastAbsentSeen)) continue;
            kept.add(op);
        }
        return kept;
    }

    private static boolean observable(Operation op, Set<String> seenValues, long lastAbsentSeen) {
        return switch (op.kind()) {
            case READ -> true;
            case WRITE, CAS -> seenValues.contains(op.value());
            // Absent is seen by reads that end after the delete began: they could follow it.
            case DELETE -> lastAbsentSeen >= op.call();
        };
    }

    private static long firstLeftOut(WglSearch search) {
        int i = search.deepest().nextClearBit(0);
        return i < search.operations().size() ? search.operations().get(i).id() : 0;
    }

    private static String stuck(WglSearch search) {
        BitSet placed = search.deepest();
        List<Operation> ops = search.operations();
        List<Long> left = new ArrayList<>();
        for (int i = placed.nextClearBit(0); i < ops.size() && left.size() < 5; i = placed.nextClearBit(i + 1)) {
            left.add(ops.get(i).id());
        }
        return "at most " + placed.cardinality() + " of " + ops.size()
                + " operations fit one order; first left out: " + left;
    }
}
