package io.leifdb.server.kv;

import java.util.List;

/**
 * A lease as every replica holds it: its id (the log index of the entry that granted it), its time to live
 * and the keys attached to it, in UTF-8 byte order. Revoking or expiring the lease deletes those keys.
 * Deadlines are not part of it: only the leader keeps one, in memory (see the node's {@code LeaseKeeper}).
 */
public record Lease(long id, long ttlMillis, List<String> keys) {
    public Lease {
        if (id < 1) throw new IllegalArgumentException("lease id must be >= 1, was " + id);
        if (ttlMillis < 1) throw new IllegalArgumentException("lease TTL must be >= 1 ms, was " + ttlMillis);
        keys = List.copyOf(keys);
    }
}
