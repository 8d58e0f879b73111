package io.leifdb.server.kv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * One apply call's write batch as a transaction reads and writes it: reads see earlier entries of the
 * same batch ({@code pending}) before RocksDB, and every write lands in the batch, in {@code pending}
 * and in the watch {@code changes}. Used by the applying thread only.
 */
final class BatchView implements TxnApply.State {
    private final RocksHandle handle;
    private final WriteBatch batch;
    private final Map<String, Optional<StoredValue>> pending;
    private final List<Change> changes;
    private final long index;

    BatchView(RocksHandle handle, WriteBatch batch, Map<String, Optional<StoredValue>> pending, List<Change> changes,
              long index) {
        this.handle = handle;
        this.batch = batch;
        this.pending = pending;
        this.changes = changes;
        this.index = index;
    }

    /** How many changes the batch holds so far. */
    int changeCount() {
        return changes.size();
    }

    /** The changes made since there were {@code count}. */
    List<Change> changedSince(int count) {
        return changes.subList(count, changes.size());
    }

    /** The key as this apply sees it: an earlier entry of the batch, else RocksDB. */
    static Optional<StoredValue> current(RocksHandle handle, String key, Map<String, Optional<StoredValue>> pending)
            throws IOException {
        Optional<StoredValue> current = pending.get(key);
        if (current != null) return current;
        byte[] raw = handle.get(key.getBytes(StandardCharsets.UTF_8));
        return raw == null ? Optional.empty() : Optional.of(StoredValue.decode(raw));
    }

    @Override
    public Optional<StoredValue> read(String key) {
        try {
            return current(handle, key, pending);
        } catch (IOException io) {
            throw new UncheckedIOException(io);
        }
    }

    @Override
    public void put(String key, StoredValue value) {
        try {
            batch.put(handle.data(), key.getBytes(StandardCharsets.UTF_8), value.encode());
        } catch (RocksDBException r) {
            throw new UncheckedIOException(new IOException("KV batch build failed: " + r.getMessage(), r));
        }
        pending.put(key, Optional.of(value));
        changes.add(Change.put(key, value));
    }

    @Override
    public void delete(String key) {
        remove(key, Change.Type.DELETE);
    }

    /** Deletes {@code key}; watchers see a change of {@code type} (a DELETE, or an EXPIRE of its lease). */
    void remove(String key, Change.Type type) {
        try {
            batch.delete(handle.data(), key.getBytes(StandardCharsets.UTF_8));
        } catch (RocksDBException r) {
            throw new UncheckedIOException(new IOException("KV batch build failed: " + r.getMessage(), r));
        }
        pending.put(key, Optional.empty());
        changes.add(Change.removal(type, key, index));
    }
}
