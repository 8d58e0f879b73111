package io.leifdb.raft;

import java.util.Arrays;

/**
 * One record of the replicated log (§5.3). {@code data} is opaque to the core: the state
 * machine decodes it. A {@link EntryType#NOOP} entry carries no data; a new leader appends one
 * to commit an entry of its own term (§5.4.2, §8).
 */
public record Entry(long term, long index, EntryType type, byte[] data) {
    private static final byte[] EMPTY = new byte[0];

    public Entry {
        if (data == null) data = EMPTY;
    }

    public static Entry normal(long term, long index, byte[] data) {
        return new Entry(term, index, EntryType.NORMAL, data);
    }

    public static Entry noop(long term, long index) {
        return new Entry(term, index, EntryType.NOOP, EMPTY);
    }

    /** Bytes counted against message and batch size limits. */
    public long sizeBytes() {
        return data.length + 24L;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && e.term == term && e.index == index && e.type == type
                && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Long.hashCode(term);
    }

    @Override
    public String toString() {
        return "Entry{" + index + "@" + term + " " + type + " " + data.length + "B}";
    }
}
