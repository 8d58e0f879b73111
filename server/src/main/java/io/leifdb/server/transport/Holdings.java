package io.leifdb.server.transport;

/**
 * What a member holds, as it answers a member starting on an empty data directory: its current
 * term and its last log index (a snapshot's index counts). Both only grow over a member's life,
 * except that a wiped member starts again from nothing.
 */
public record Holdings(long term, long lastIndex) {
    /** An empty data directory that has never taken part in an election. */
    public static final Holdings NONE = new Holdings(0, 0);

    public Holdings {
        if (term < 0 || lastIndex < 0) {
            throw new IllegalArgumentException("term and last index must not be negative: " + term + ", " + lastIndex);
        }
    }

    /** Whether this member ever held a log entry, a snapshot or a term: it has been part of a running cluster. */
    public boolean holdsData() {
        return term > 0 || lastIndex > 0;
    }

    /** The larger of each figure: what either view shows this member has held. */
    public Holdings max(Holdings other) {
        return new Holdings(Math.max(term, other.term), Math.max(lastIndex, other.lastIndex));
    }
}
