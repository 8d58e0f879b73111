package io.leifdb.raft.lin;

import java.util.Objects;

/** The sequential specification of one key: a register that is absent or holds a string. */
final class RegisterModel {
    /** A register state; {@code value} null means absent. */
    record State(String value) {
        static final State ABSENT = new State(null);
    }

    private RegisterModel() {
    }

    /**
     * The state after applying {@code op} to {@code state}, or null when {@code op} could not have
     * returned what it did from that state.
     */
    static State step(State state, Operation op) {
        return switch (op.kind()) {
            case READ -> Objects.equals(state.value(), op.value()) ? state : null;
            case WRITE -> new State(op.value());
            case DELETE -> State.ABSENT;
            case CAS -> casStep(state, op);
        };
    }

    private static State casStep(State state, Operation op) {
        boolean matches = Objects.equals(state.value(), op.expected());
        if (op.outcome() == Outcome.OK) return matches ? new State(op.value()) : null;
        // Unknown outcome: had it taken effect it swapped only on a match; otherwise it changed nothing.
        return matches ? new State(op.value()) : state;
    }
}
