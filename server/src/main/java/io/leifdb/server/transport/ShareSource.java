package io.leifdb.server.transport;

import java.util.concurrent.CompletableFuture;

/**
 * CRaft reads: what this node holds of the value that a put of {@code key} wrote at log position
 * ({@code index}, {@code term}). Called on transport threads, concurrently; must not block: an
 * answer that needs another thread (the log is the driver's) completes the future later.
 */
@FunctionalInterface
public interface ShareSource {
    /** A share of a value: the whole value, or a fragment in {@link io.leifdb.raft.craft.Fragment}'s layout. */
    record Share(boolean whole, byte[] bytes) {
    }

    /** @return what is held, or a future of null when this node does not hold that write; never fails */
    CompletableFuture<Share> lookup(String key, long index, long term);

    ShareSource NONE = (key, index, term) -> CompletableFuture.completedFuture(null);
}
