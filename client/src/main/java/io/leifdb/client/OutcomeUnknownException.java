package io.leifdb.client;

/**
 * A write was sent but its answer never came (the connection broke, the node timed out, or it answered 503
 * {@code unavailable}): it may or may not have been applied, now or later. The client never retries such a
 * write on its own; read the key to find out, or retry only if applying it twice is harmless.
 */
public final class OutcomeUnknownException extends LeifException {
    private static final long serialVersionUID = 1L;

    public OutcomeUnknownException(int status, String message) {
        super(status, "outcome_unknown", message);
    }
}
