package io.leifdb.server.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies one {@link Txn} at {@code index}: evaluates its compares, runs one branch in order. Pure
 * apart from {@link State}, so every replica that applies the entry reaches the same result.
 */
final class TxnApply {
    private TxnApply() {
    }

    /** The keys as the apply sees them, earlier writes of the same batch included. */
    interface State {
        Optional<StoredValue> read(String key);

        void put(String key, StoredValue value);

        void delete(String key);
    }

    static TxnResult apply(Txn txn, long index, State state) {
        boolean succeeded = true;
        for (Txn.Compare c : txn.compare()) {
            if (!c.holds(state.read(c.key()).map(v -> v.toKeyValue(c.key())).orElse(null))) {
                succeeded = false;
                break;
            }
        }
        List<TxnResult.OpResult> results = new ArrayList<>();
        for (Txn.Op op : succeeded ? txn.success() : txn.failure()) {
            Optional<StoredValue> current = state.read(op.key());
            results.add(switch (op) {
                case Txn.Put p -> {
                    long create = current.map(StoredValue::createRevision).orElse(index);
                    long version = current.map(StoredValue::version).orElse(0L) + 1;
                    // Format 1 (no term or precondition): no single put entry stands for this write.
                    state.put(p.key(), new StoredValue(create, index, version, p.value()));
                    yield new TxnResult.PutResult(p.key(), index);
                }
                case Txn.Delete d -> {
                    if (current.isPresent()) state.delete(d.key());
                    yield new TxnResult.DeleteResult(d.key(), current.isPresent());
                }
                case Txn.Get g -> new TxnResult.GetResult(g.key(), current.map(v -> v.toKeyValue(g.key())));
            });
        }
        return new TxnResult(succeeded, index, results);
    }
}
