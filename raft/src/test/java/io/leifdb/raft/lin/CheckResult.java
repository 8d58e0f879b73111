package io.leifdb.raft.lin;

import java.util.List;

/**
 * The checker's verdict on a history. When it is not linearizable, {@code key} names the first
 * register without a valid order, {@code operations} are that register's operations in call order,
 * {@code detail} says where the search got stuck and {@code focus} is the id of the first
 * operation it could not place (0 if none).
 */
public record CheckResult(Verdict verdict, String key, List<Operation> operations, String detail, long focus) {
    /** {@link #describe()} lists at most this many operations, those called nearest the focus. */
    private static final int SHOWN = 40;

    public enum Verdict {
        LINEARIZABLE,
        NOT_LINEARIZABLE,
        /** The search exceeded its step budget on {@code key}: no conclusion. */
        GAVE_UP
    }

    public CheckResult {
        operations = List.copyOf(operations);
    }

    static CheckResult linearizable() {
        return new CheckResult(Verdict.LINEARIZABLE, null, List.of(), "", 0);
    }

    public boolean isLinearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }

    /** A multi-line explanation for a failure message. */
    public String describe() {
        if (isLinearizable()) return "linearizable";
        StringBuilder sb = new StringBuilder();
        sb.append(verdict).append(" on key '").append(key).append("': ").append(detail).append('\n');
        int at = 0;
        for (int i = 0; i < operations.size(); i++) if (operations.get(i).id() == focus) at = i;
        int from = Math.max(0, Math.min(at - SHOWN / 2, operations.size() - SHOWN));
        int to = Math.min(operations.size(), from + SHOWN);
        if (from > 0) sb.append("  ... ").append(from).append(" earlier operations\n");
        for (Operation op : operations.subList(from, to)) {
            sb.append(op.id() == focus ? "> " : "  ").append(op).append('\n');
        }
        if (to < operations.size()) sb.append("  ... ").append(operations.size() - to).append(" later operations\n");
        return sb.toString();
    }
}
