package io.leifdb.raft.driver;

/** We cannot tell whether a write took effect (leader change, shutdown, timeout): the client must check. */
public final class OutcomeUnknownException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutcomeUnknownException(String message) {
        super(message, null, false, false);
    }
}
