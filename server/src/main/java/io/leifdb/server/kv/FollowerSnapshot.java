package io.leifdb.server.kv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CRaft: builds, from a complete snapshot, the copy one follower receives, with every value as
 * {@link FollowerShares} says that follower holds it. The snapshot's files are linked into a work
 * directory and opened there (the original is never opened, so it stays byte-identical to its
 * manifest); values are rewritten in batches, the database compacted so the replaced whole values
 * leave it, and a checkpoint of it becomes the copy, with its own manifest (same index, term and
 * membership). The copy is transient: the sender streams it and deletes it.
 */
final class FollowerSnapshot {
    private static final Logger log = LoggerFactory.getLogger(FollowerSnapshot.class);
    /** Values rebuilt at once: each asks every peer for a share, so the burst stays bounded. */
    private static final int BATCH_VALUES = 64;
    private static final long BATCH_BYTES = 8L << 20;

    private FollowerSnapshot() {
    }

    /** Writes the follower's copy of {@code source} into {@code out} (which must not exist), using {@code work} as scratch. */
    static SnapshotInfo build(SnapshotInfo source, FollowerShares shares, Path work, Path out) throws IOException {
        SnapshotManifest manifest = SnapshotManifest.read(source.dir());
        Files.createDirectory(work);
        try {
            for (SnapshotManifest.FileEntry f : manifest.files()) {
                SnapshotInstall.place(source.dir().resolve(f.name()), work.resolve(f.name()));
            }
            try (RocksHandle db = RocksHandle.open(work, false, KvOptions.DEFAULT)) {
                rewrite(db, shares);
                db.compact();
                db.checkpoint(out);
            }
        } finally {
            DurableFiles.deleteTree(work);
        }
        SnapshotManifest copy = new SnapshotManifest(manifest.index(), manifest.term(), manifest.conf(),
                SnapshotManifest.describe(out));
        copy.write(out);
        log.info("snapshot {}@{} for fragment {}: {} of {} bytes ({})", manifest.index(), manifest.term(),
                shares.fragmentId(), copy.totalBytes(), manifest.totalBytes(), shares.summary());
        return SnapshotInfo.of(out, copy);
    }

    private static void rewrite(RocksHandle db, FollowerShares shares) throws IOException {
        List<byte[]> keys = new ArrayList<>();
        List<StoredValue> olds = new ArrayList<>();
        List<CompletableFuture<StoredValue>> news = new ArrayList<>();
        long bytes = 0;
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.iterator(ro)) {
            // The iterator reads one point in time, so the rewrites below never show up in it.
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                byte[] raw = it.value();
                StoredValue v = StoredValue.decode(raw);
                keys.add(key);
                olds.add(v);
                news.add(shares.recode(new String(key, StandardCharsets.UTF_8), v));
                bytes += raw.length;
                if (keys.size() >= BATCH_VALUES || bytes >= BATCH_BYTES) {
                    write(db, keys, olds, news);
                    bytes = 0;
                }
            }
            it.status();
            write(db, keys, olds, news);
        } catch (RocksDBException e) {
            throw new IOException("reading snapshot copy: " + e.getMessage(), e);
        }
    }

    private static void write(RocksHandle db, List<byte[]> keys, List<StoredValue> olds,
                              List<CompletableFuture<StoredValue>> news) throws IOException {
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < keys.size(); i++) {
                StoredValue next = news.get(i).join();
                if (next != olds.get(i)) batch.put(db.data(), keys.get(i), next.encode());
            }
            if (batch.count() > 0) db.write(batch);
        } catch (RocksDBException e) {
            throw new IOException("rewriting snapshot copy: " + e.getMessage(), e);
        } catch (CompletionException e) {
            throw new IOException("recoding a snapshot value: " + e.getCause(), e.getCause());
        }
        keys.clear();
        olds.clear();
        news.clear();
    }
}
