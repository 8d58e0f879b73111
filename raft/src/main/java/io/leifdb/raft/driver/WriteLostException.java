package io.leifdb.raft.driver;

/** A proposal's log slot was taken by another leader's entry: the write did not happen. */
public final class WriteLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WriteLostException(long index) {
        super("write at index " + index + " was replaced after a leader change; it did not take effect", null, false, false);
    }
}
