package io.leifdb.client;

/**
 * A watch asked for changes the member no longer holds (410, or an {@code end} event with
 * {@code watch_compacted}): re-read the keys, then watch again from {@link #oldestRevision()} or later.
 */
public final class HistoryCompactedException extends LeifException {
    private static final long serialVersionUID = 1L;

    private final long oldestRevision;

    public HistoryCompactedException(int status, String message, long oldestRevision) {
        super(status, "compacted", message);
        this.oldestRevision = oldestRevision;
    }

    /** The oldest revision the member can still stream changes after; 0 when it did not say. */
    public long oldestRevision() {
        return oldestRevision;
    }
}
