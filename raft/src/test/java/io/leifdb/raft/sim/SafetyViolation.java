package io.leifdb.raft.sim;

/** A Raft safety property (Figure 3) or a simulation assertion failed. */
final class SafetyViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SafetyViolation(String message) {
        super(message, null, false, false);
    }
}
