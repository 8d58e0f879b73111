package io.leifdb.raft.lin;

import java.util.List;

/**
 * The checker's verdict on a history. When it is not linearizable, {@code key} names the first
 * register without a valid order, {@code operations} are that register's operations in call order
 * and {@code detail} says where the search got stuck.
 */
public record CheckResult(Verdict verdict, String key, List<Operation> operations, String detail) {
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
        return new CheckResult(Verdict.LINEARIZABLE, null, List.of(), "");
    }

    public boolean isLinearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }

    /** A multi-line explanation for a failure message. */
    public String describe() {
        if (isLinearizable()) return "linearizable";
        StringBuilder sb = new StringBuilder();
        sb.append(verdict).append(" on key '").append(key).append("': ").append(detail).append('\n');
        for (Operation op : operations) sb.append("  ").append(op).append('\n');
        return sb.toString();
    }
}
