package io.leifdb.server.http;

/** A conditional write found the key at another revision ({@code 0}: the key does not exist). */
public final class PreconditionFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long currentRevision;

    public PreconditionFailedException(long currentRevision) {
        super(currentRevision == 0 ? "the key does not exist" : "the key is at revision " + currentRevision,
                null, false, false);
        this.currentRevision = currentRevision;
    }

    public long currentRevision() {
        return currentRevision;
    }
}
