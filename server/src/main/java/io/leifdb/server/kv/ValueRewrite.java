package io.leifdb.server.kv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Rewrites every user value of a private copy of the store (a follower's snapshot copy, a backup
 * image) through a {@link Transform}, in bounded batches. Never used on the live store.
 */
final class ValueRewrite {
    /** Values recoded at once: each may ask every peer for a share, so the burst stays bounded. */
    private static final int BATCH_VALUES = 64;
    private static final long BATCH_BYTES = 8L << 20;

    /** What a value becomes; the same object when it stays as it is. A failed future fails the rewrite. */
    @FunctionalInterface
    interface Transform {
        CompletableFuture<StoredValue> apply(String key, StoredValue v);
    }

    /** How many user keys the copy holds, and how many of their values changed. */
    record Counts(long keys, long changed) {
    }

    private final RocksHandle db;
    private final Transform recode;
    private final List<byte[]> keys = new ArrayList<>();
    private final List<StoredValue> olds = new ArrayList<>();
    private final List<CompletableFuture<StoredValue>> news = new ArrayList<>();
    private long seen;
    private long changed;

    private ValueRewrite(RocksHandle db, Transform recode) {
        this.db = db;
        this.recode = recode;
    }

    static Counts run(RocksHandle db, Transform recode) throws IOException {
        return new ValueRewrite(db, recode).all();
    }

    private Counts all() throws IOException {
        long bytes = 0;
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.iterator(ro)) {
            // The iterator reads one point in time, so the rewrites below never show up in it.
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                byte[] raw = it.value();
                StoredValue v = StoredValue.decode(raw);
                keys.add(key);
                olds.add(v);
                news.add(recode.apply(new String(key, StandardCharsets.UTF_8), v));
                seen++;
                bytes += raw.length;
                if (keys.size() >= BATCH_VALUES || bytes >= BATCH_BYTES) {
                    write();
                    bytes = 0;
                }
            }
            it.status();
            write();
        } catch (RocksDBException e) {
            throw new IOException("reading a copy of the store: " + e.getMessage(), e);
        }
        return new Counts(seen, changed);
    }

    private void write() throws IOException {
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < keys.size(); i++) {
                StoredValue next = news.get(i).join();
                if (next != olds.get(i)) batch.put(db.data(), keys.get(i), next.encode());
            }
            if (batch.count() > 0) db.write(batch);
            changed += batch.count();
        } catch (RocksDBException e) {
            throw new IOException("rewriting a copy of the store: " + e.getMessage(), e);
        } catch (CompletionException e) {
            throw new IOException("recoding a value: " + e.getCause().getMessage(), e.getCause());
        }
        keys.clear();
        olds.clear();
        news.clear();
    }
}
