package io.leifdb.server.transport;

/**
 * CRaft reads: what this node holds of the value that a put of {@code key} wrote at log position
 * ({@code index}, {@code term}). Called on transport threads, concurrently; must not block long.
 */
@FunctionalInterface
public interface ShareSource {
    /** A share of a value: the whole value, or a fragment in {@link io.leifdb.raft.craft.Fragment}'s layout. */
    record Share(boolean whole, byte[] bytes) {
    }

    /** @return what is held, or null when this node does not hold that write */
    Share lookup(String key, long index, long term);

    ShareSource NONE = (key, index, term) -> null;
}
