package io.leifdb.server.kv;

import io.leifdb.raft.FollowerShare;
import io.leifdb.raft.Redundancy;
import io.leifdb.raft.craft.Fragment;
import java.io.IOException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * CRaft: during a snapshot install, writes into the new generation the values of the old one that the
 * core's {@link FollowerShare#keepHeld} keeps (docs/craft.md, "Snapshots"). A snapshot copy whose sender
 * could not rebuild a value carries the leader's fragment; installed as it is, it would replace this
 * member's distinct share of the same write with a duplicate, and enough such installs lose the value.
 * Runs before the generation pointer flips, on the new generation only, so a crash leaves the old state.
 */
final class KeptShares {
    /** Values written at once: each is one member's share, at most about 1/k of a value. */
    private static final int BATCH_VALUES = 256;

    private KeptShares() {
    }

    /**
     * Copies into {@code fresh} each value of {@code old} that is kept over the snapshot's; not yet durable.
     *
     * @param own this member's fragment id under the snapshot's voters; negative when it holds none
     * @return how many values were kept
     */
    static long merge(RocksHandle old, RocksHandle fresh, int own) throws IOException {
        long kept = 0;
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = fresh.iterator(ro); WriteBatch batch = new WriteBatch()) {
            // The iterator reads one point in time, so the values written below never show up in it.
            for (it.seekToFirst(); it.isValid(); it.next()) {
                StoredValue offered = StoredValue.decode(it.value());
                if (offered.coded() == null) continue; // the value whole: nothing holds more
                Fragment f = offered.coded().parse();
                if (f.id() == own) continue;
                byte[] key = it.key();
                byte[] raw = old.get(key);
                if (raw == null) continue;
                StoredValue held = StoredValue.decode(raw);
                if (!FollowerShare.keepHeld(own, Share.of(held), new Share(offered, f))) continue;
                batch.put(fresh.data(), key, raw);
                kept++;
                if (batch.count() >= BATCH_VALUES) {
                    fresh.write(batch);
                    batch.clear();
                }
            }
            it.status();
            if (batch.count() > 0) fresh.write(batch);
        } catch (RocksDBException e) {
            throw new IOException("keeping this member's shares in a new generation: " + e.getMessage(), e);
        }
        return kept;
    }

    /** A stored value as the core's rules see it: the entry (at, term) its share belongs to, and the fragment or none. */
    private record Share(StoredValue v, Fragment f) implements Redundancy.Share {
        static Share of(StoredValue v) {
            return new Share(v, v.coded() == null ? null : v.coded().parse());
        }

        @Override
        public long revision() {
            return v.modRevision();
        }

        @Override
        public long index() {
            return v.at();
        }

        @Override
        public long term() {
            return v.term();
        }

        @Override
        public int fragmentId() {
            return f == null ? -1 : f.id();
        }

        @Override
        public int k() {
            return f == null ? 0 : f.k();
        }

        @Override
        public int m() {
            return f == null ? 0 : f.m();
        }

        @Override
        public boolean whole() {
            return f == null;
        }
    }
}
