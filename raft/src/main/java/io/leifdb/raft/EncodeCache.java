package io.leifdb.raft;

import java.util.Map;
import java.util.TreeMap;

/**
 * The fragments a CRaft leader encoded, by log index, kept so that resends need not encode again.
 * Bounded by entry count and by bytes, oldest index evicted first: with large values a count
 * alone would let the cache outgrow the heap (512 entries of 1 MiB are 850 MiB of fragments).
 * A miss costs only an encode, so evicting is always safe.
 */
final class EncodeCache {
    private final int maxEntries;
    private final long maxBytes;
    private final TreeMap<Long, Entry[]> byIndex = new TreeMap<>();
    private long bytes;

    EncodeCache(int maxEntries, long maxBytes) {
        if (maxEntries < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("cache bounds must be positive");
        }
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** The fragments of {@code index}, or null when none are cached. */
    Entry[] get(long index) {
        return byIndex.get(index);
    }

    /** Caches {@code frags} (replacing any of an older term), then evicts the oldest past a bound. */
    void put(long index, Entry[] frags) {
        Entry[] old = byIndex.put(index, frags);
        if (old != null) {
            bytes -= size(old);
        }
        bytes += size(frags);
        // The newest entry stays even when it alone exceeds the bytes bound: it is about to be sent.
        while (byIndex.size() > 1 && (byIndex.size() > maxEntries || bytes > maxBytes)) {
            bytes -= size(byIndex.pollFirstEntry().getValue());
        }
    }

    /** Forgets every index up to and including {@code index}. */
    void dropThrough(long index) {
        Map<Long, Entry[]> head = byIndex.headMap(index, true);
        head.values().forEach(f -> bytes -= size(f));
        head.clear();
    }

    /** Forgets everything: the voters changed, so fragment ids name other positions. */
    void clear() {
        byIndex.clear();
        bytes = 0;
    }

    int size() {
        return byIndex.size();
    }

    long bytes() {
        return bytes;
    }

    private static long size(Entry[] frags) {
        long n = 0;
        for (Entry e : frags) {
            n += e.data().length;
        }
        return n;
    }
}
