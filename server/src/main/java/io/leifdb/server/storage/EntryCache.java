package io.leifdb.server.storage;

import io.leifdb.raft.Entry;

/**
 * The most recent entries, bounded by their total size. A leader replicates what it has just
 * appended, so those reads are served here and not from the file.
 * Holds a contiguous run of indexes ending at the log's last index.
 */
final class EntryCache {
    private final long maxBytes;
    private Entry[] ring = new Entry[256];
    private int head;
    private int size;
    private long bytes;

    EntryCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The cached entry at {@code index}, or null when it is not held. */
    Entry get(long index) {
        if (size == 0) return null;
        long first = ring[head].index();
        if (index < first || index >= first + size) return null;
        return ring[(head + (int) (index - first)) % ring.length];
    }

    /** Adds the next entry; an index that does not follow the cached run restarts the cache. */
    void add(Entry e) {
        if (size > 0 && e.index() != last() + 1) clear();
        if (e.sizeBytes() > maxBytes) return;
        if (size == ring.length) grow();
        ring[(head + size) % ring.length] = e;
        size++;
        bytes += e.sizeBytes();
        while (bytes > maxBytes) removeFirst();
    }

    /** Forgets {@code index} and everything after it. */
    void truncateFrom(long index) {
        while (size > 0 && last() >= index) {
            int slot = (head + size - 1) % ring.length;
            bytes -= ring[slot].sizeBytes();
            ring[slot] = null;
            size--;
        }
    }

    /** Forgets everything up to and including {@code index}. */
    void dropThrough(long index) {
        while (size > 0 && ring[head].index() <= index) removeFirst();
    }

    void clear() {
        java.util.Arrays.fill(ring, null);
        head = 0;
        size = 0;
        bytes = 0;
    }

    private long last() {
        return ring[(head + size - 1) % ring.length].index();
    }

    private void removeFirst() {
        bytes -= ring[head].sizeBytes();
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
    }

    private void grow() {
        Entry[] next = new Entry[ring.length * 2];
        for (int i = 0; i < size; i++) next[i] = ring[(head + i) % ring.length];
        ring = next;
        head = 0;
    }
}
