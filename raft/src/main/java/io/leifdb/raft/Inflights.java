package io.leifdb.raft;

/**
 * The AppendEntries sent to one peer and not yet acknowledged, as the last index and the payload
 * bytes of each, in a ring of fixed capacity. The window is full, and replication to that peer
 * pauses (flow control), when it holds {@code capacity} messages or at least {@code maxBytes}
 * bytes. Invariant: {@code 0 <= count <= capacity}, and {@code bytes} is the sum of the sizes held,
 * below {@code maxBytes} plus the size of the last message added (one message always fits when the
 * window is empty, so a message larger than the budget still travels, alone).
 */
final class Inflights {
    private final long[] lastIndex;
    private final long[] size;
    /** The byte budget; {@link Long#MAX_VALUE} bounds by count only. */
    private final long maxBytes;
    private int start;
    private int count;
    private long bytes;

    Inflights(int capacity, long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("inflight byte budget must be positive: " + maxBytes);
        }
        this.lastIndex = new long[capacity];
        this.size = new long[capacity];
        this.maxBytes = maxBytes;
    }

    /** Records a message ending at {@code index} whose entries weigh {@code messageBytes} as sent. */
    void add(long index, long messageBytes) {
        if (full()) {
            throw new IllegalStateException("inflight window full");
        }
        int slot = (start + count) % lastIndex.length;
        lastIndex[slot] = index;
        size[slot] = messageBytes;
        count++;
        bytes += messageBytes;
    }

    /** An acknowledgement through {@code index} frees every message that ended at or below it. */
    void freeLE(long index) {
        while (count > 0 && lastIndex[start] <= index) {
            bytes -= size[start];
            start = (start + 1) % lastIndex.length;
            count--;
        }
        if (count == 0) {
            start = 0;
            bytes = 0;
        }
    }

    void freeFirstOne() {
        if (count > 0) {
            freeLE(lastIndex[start]);
        }
    }

    boolean full() {
        return count == lastIndex.length || bytes >= maxBytes;
    }

    int count() {
        return count;
    }

    long bytes() {
        return bytes;
    }

    void reset() {
        start = 0;
        count = 0;
        bytes = 0;
    }
}
