package io.leifdb.raft.lin;

import java.util.Objects;

/**
 * One client operation on one key of a register store. Times are in any monotonic unit (simulated
 * ticks, nanoseconds); only their order matters. {@code value} is null for "absent".
 *
 * @param id       unique within a history
 * @param key      the register this operation touches
 * @param kind     what the client asked for
 * @param value    READ: the value returned (null = absent); WRITE and CAS: the value written; DELETE: null
 * @param expected CAS only: the value the register must hold for the swap (null = absent)
 * @param call     when the client invoked it
 * @param ret      when the client saw the answer; {@link #INFINITY} when the outcome is unknown
 * @param outcome  what the client learned
 */
public record Operation(long id, String key, Kind kind, String value, String expected, long call, long ret,
                        Outcome outcome) {
    /** The return time of an operation whose outcome is unknown: it may take effect at any later point. */
    public static final long INFINITY = Long.MAX_VALUE;

    public enum Kind { READ, WRITE, DELETE, CAS }

    public Operation {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == Outcome.UNKNOWN) ret = INFINITY;
        if (ret < call) throw new IllegalArgumentException("operation " + id + " returns before it is called");
        if (kind == Kind.DELETE && value != null) throw new IllegalArgumentException("a delete carries no value");
    }

    public static Operation read(long id, String key, String returned, long call, long ret) {
        return new Operation(id, key, Kind.READ, returned, null, call, ret, Outcome.OK);
    }

    public static Operation write(long id, String key, String value, long call, long ret, Outcome outcome) {
        return new Operation(id, key, Kind.WRITE, value, null, call, ret, outcome);
    }

    public static Operation delete(long id, String key, long call, long ret, Outcome outcome) {
        return new Operation(id, key, Kind.DELETE, null, null, call, ret, outcome);
    }

    public static Operation cas(long id, String key, String expected, String value, long call, long ret,
                                Outcome outcome) {
        return new Operation(id, key, Kind.CAS, value, expected, call, ret, outcome);
    }

    /** Whether the checker must place this operation in the linearization (see {@link Outcome}). */
    boolean counts() {
        return switch (outcome) {
            case OK -> true;
            case FAILED -> false;
            case UNKNOWN -> kind != Kind.READ;
        };
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case READ -> "read(" + key + ") -> " + show(value);
            case WRITE -> "write(" + key + ", " + show(value) + ")";
            case DELETE -> "delete(" + key + ")";
            case CAS -> "cas(" + key + ", " + show(expected) + " -> " + show(value) + ")";
        };
        String end = ret == INFINITY ? "inf" : Long.toString(ret);
        return "#" + id + " [" + call + ", " + end + "] " + what + " " + outcome;
    }

    private static String show(String v) {
        return v == null ? "<absent>" : "'" + v + "'";
    }
}
