package io.leifdb.server.it.history;

import io.leifdb.raft.lin.CheckResult;
import io.leifdb.raft.lin.Operation;
import io.leifdb.raft.lin.Outcome;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Renders a recorded history for people: figures for every run, and a key's whole story on failure. */
public final class HistoryReport {
    private HistoryReport() {
    }

    /** Counts of operations by kind and outcome, e.g. for the run's summary line. */
    public record Figures(int total, int ok, int failed, int unknownWrites, int droppedReads,
                          Map<Operation.Kind, Integer> okByKind) {
        @Override
        public String toString() {
            return total + " operations: " + ok + " ok " + okByKind + ", " + failed + " failed for certain, "
                    + unknownWrites + " writes of unknown outcome (kept, open-ended), " + droppedReads
                    + " reads without an answer (dropped)";
        }
    }

    public static Figures figures(List<Operation> ops) {
        int ok = 0;
        int failed = 0;
        int unknownWrites = 0;
        int droppedReads = 0;
        Map<Operation.Kind, Integer> okByKind = new EnumMap<>(Operation.Kind.class);
        for (Operation op : ops) {
            boolean read = op.kind() == Operation.Kind.READ;
            switch (op.outcome()) {
                case OK -> {
                    ok++;
                    okByKind.merge(op.kind(), 1, Integer::sum);
                }
                case FAILED -> {
                    if (read) droppedReads++;
                    else failed++;
                }
                case UNKNOWN -> {
                    if (read) droppedReads++;
                    else unknownWrites++;
                }
            }
        }
        return new Figures(ops.size(), ok, failed, unknownWrites, droppedReads, okByKind);
    }

    /**
     * Every operation on {@code key}, in call order, one per line: times in ms on the run's clock,
     * what was asked and returned, and which nodes answered. Operations the checker dropped are marked.
     */
    public static String keyHistory(String key, List<Operation> all, Recorder recorder, long focus) {
        return keyHistory(key, all, recorder, focus, Integer.MAX_VALUE);
    }

    /** As {@link #keyHistory(String, List, Recorder, long)}, at most {@code window} operations around {@code focus}. */
    public static String keyHistory(String key, List<Operation> all, Recorder recorder, long focus, int window) {
        List<Operation> ops = all.stream().filter(op -> op.key().equals(key))
                .sorted(Comparator.comparingLong(Operation::call).thenComparingLong(Operation::id)).toList();
        int at = 0;
        for (int i = 0; i < ops.size(); i++) if (ops.get(i).id() == focus) at = i;
        // Most of what explains a violation happened before it: show three quarters of the window earlier.
        int from = Math.max(0, Math.min(at - window * 3 / 4, ops.size() - window));
        int to = (int) Math.min(ops.size(), (long) from + window);
        StringBuilder sb = new StringBuilder();
        if (from > 0) sb.append("  ... ").append(from).append(" earlier operations\n");
        for (Operation op : ops.subList(from, to)) {
            sb.append(op.id() == focus ? "> " : "  ").append(line(op)).append("  ").append(recorder.note(op.id()))
                    .append(dropped(op) ? "  (dropped)" : "").append('\n');
        }
        if (to < ops.size()) sb.append("  ... ").append(ops.size() - to).append(" later operations\n");
        return sb.toString();
    }

    /** The checker's verdict with the seed, the faults and the story of the key around the violation. */
    public static String failure(long seed, CheckResult result, String keyHistory, List<String> nemesisLog) {
        return result.verdict() + " with seed " + seed + " (rerun with -Dlinearizability.seed=" + seed + ")\n"
                + "key '" + result.key() + "': " + result.detail() + "\nfaults:\n  " + String.join("\n  ", nemesisLog)
                + "\nhistory of key '" + result.key()
                + "' (ms since start; > marks the first operation that fits no order):\n" + keyHistory;
    }

    static String line(Operation op) {
        String what = switch (op.kind()) {
            case READ -> "read  -> " + show(op.value());
            case WRITE -> "write " + show(op.value());
            case DELETE -> "delete";
            case CAS -> "cas   " + show(op.expected()) + " -> " + show(op.value());
        };
        String end = op.ret() == Operation.INFINITY ? "      inf" : ms(op.ret());
        return String.format("#%-6d [%s, %s] %-34s %s", op.id(), ms(op.call()), end, what, op.outcome());
    }

    private static boolean dropped(Operation op) {
        return op.outcome() == Outcome.FAILED || (op.outcome() == Outcome.UNKNOWN && op.kind() == Operation.Kind.READ);
    }

    private static String ms(long nanos) {
        return String.format("%9.3f", nanos / 1e6);
    }

    private static String show(String v) {
        return v == null ? "<absent>" : "'" + v + "'";
    }
}
