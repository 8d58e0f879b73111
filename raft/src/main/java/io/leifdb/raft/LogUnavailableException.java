package io.leifdb.raft;

/** Asked for a log index that was compacted into a snapshot or is past the end. */
public final class LogUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LogUnavailableException(String message) {
        super(message, null, false, false);
    }
}
