package io.leifdb.raft;

/**
 * The AppendEntries sent to one peer and not yet acknowledged, as the last index of each, in a
 * ring of fixed capacity: a full window pauses replication to that peer (flow control).
 */
final class Inflights {
    private final long[] buffer;
    private int start;
    private int count;

    Inflights(int capacity) {
        this.buffer = new long[capacity];
    }

    void add(long lastIndex) {
        if (full()) {
            throw new IllegalStateException("inflight window full");
        }
        buffer[(start + count) % buffer.length] = lastIndex;
        count++;
    }

    /** An acknowledgement through {@code index} frees every message that ended at or below it. */
    void freeLE(long index) {
        while (count > 0 && buffer[start] <= index) {
            start = (start + 1) % buffer.length;
            count--;
        }
        if (count == 0) {
            start = 0;
        }
    }

    void freeFirstOne() {
        if (count > 0) {
            freeLE(buffer[start]);
        }
    }

    boolean full() {
        return count == buffer.length;
    }

    int count() {
        return count;
    }

    void reset() {
        start = 0;
        count = 0;
    }
}
