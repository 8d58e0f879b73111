package io.leifdb.server.kv;

/** A watch asked for changes older than this member still keeps; {@code oldestRevision} is the first it has. */
public final class HistoryCompactedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long oldestRevision;

    public HistoryCompactedException(long oldestRevision) {
        super("changes before revision " + oldestRevision + " are compacted", null, false, false);
        this.oldestRevision = oldestRevision;
    }

    public long oldestRevision() {
        return oldestRevision;
    }
}
