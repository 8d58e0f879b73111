package io.leifdb.server.kv;

import java.util.List;
import java.util.Optional;

/**
 * What a {@link Txn} did: which branch ran, the revision it was applied at (its Raft index, the
 * modify revision of every key it wrote) and one result per operation of that branch, in order.
 */
public record TxnResult(boolean succeeded, long revision, List<OpResult> results) {
    public TxnResult {
        results = List.copyOf(results);
    }

    public sealed interface OpResult permits PutResult, DeleteResult, GetResult {
    }

    public record PutResult(String key, long revision) implements OpResult {
    }

    /** {@code deleted}: whether the key existed. */
    public record DeleteResult(String key, boolean deleted) implements OpResult {
    }

    /** The key as the operation saw it, including writes of earlier operations of the transaction. */
    public record GetResult(String key, Optional<KeyValue> found) implements OpResult {
    }
}
