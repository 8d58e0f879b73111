package io.leifdb.server.transport;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * CRaft: what this node holds of erasure-coded values, for peers' reads ({@link #lookup}) and the
 * leader's repair ({@link #summary}). Called on transport threads, concurrently; must not block: an
 * answer that needs another thread (the log is the driver's) completes the future later.
 */
public interface ShareSource {
    /** A share of a value: the whole value, or a fragment in {@link io.leifdb.raft.craft.Fragment}'s layout. */
    record Share(boolean whole, byte[] bytes) {
    }

    /**
     * What this node stores of one key: its revision and its share of the value, a fragment of
     * the entry ({@code index}, {@code term}) with id {@code fragmentId} of a (k, m) code, or the
     * whole value ({@code fragmentId} {@link #WHOLE}, the other fields 0).
     */
    record Held(String key, long revision, long index, long term, int fragmentId, int k, int m)
            implements io.leifdb.raft.Redundancy.Share {
        @Override
        public boolean whole() {
            return fragmentId == WHOLE;
        }
    }

    /** {@link Held#fragmentId} of a value held whole. */
    int WHOLE = -1;

    /** The keys of one summary and whether the range held more than the limit. */
    record Summary(List<Held> held, boolean truncated) {
    }

    /**
     * What is held of the value of {@code key} at {@code revision}, written by the entry at
     * ({@code index}, {@code term}) (a put, or a recode of that revision).
     *
     * @return what is held, or a future of null when this node does not hold that write; never fails
     */
    CompletableFuture<Share> lookup(String key, long revision, long index, long term);

    /** What this node stores of the keys after {@code afterKey} ("" for the first) up to {@code lastKey}, at most {@code limit}. */
    default Summary summary(String afterKey, String lastKey, int limit) {
        return new Summary(List.of(), false);
    }

    ShareSource NONE = (key, revision, index, term) -> CompletableFuture.completedFuture(null);
}
