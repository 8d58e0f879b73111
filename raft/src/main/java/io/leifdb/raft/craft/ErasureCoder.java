package io.leifdb.raft.craft;

/**
 * A systematic (k, m) erasure code: data is cut into k data shards and m parity shards of equal
 * size, and any k of the k + m shards rebuild it. Implementations may be shared between threads.
 */
public interface ErasureCoder {
    /** k: how many shards rebuild the data. */
    int dataShards();

    /** m: how many shards may be lost. */
    int parityShards();

    /** Size of every shard of {@code length} bytes of data: ceil(length / k). */
    default int shardSize(int length) {
        return (length + dataShards() - 1) / dataShards();
    }

    /** The k + m shards of {@code data}; shard i is the fragment server i stores. */
    byte[][] encode(byte[] data);

    /**
     * Rebuilds {@code length} bytes from {@code shards} (k + m slots, null where a shard is
     * missing).
     *
     * @throws IllegalArgumentException with fewer than k shards or shards of the wrong size
     */
    byte[] decode(byte[][] shards, int length);
}
