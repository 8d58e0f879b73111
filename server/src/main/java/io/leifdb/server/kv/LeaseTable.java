package io.leifdb.server.kv;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Every live lease and which key belongs to which, as of one apply: immutable, so readers on any thread see
 * one consistent table. On disk one record per lease in the meta column family, key {@code lease:<id:i64>},
 * value {@code ttlMillis:varint | count:varint | (keyLen:varint | key)*}, written in the apply batch that
 * changes it; so snapshots, restarts and backups (RocksDB checkpoints) carry leases with the keys.
 */
public final class LeaseTable {
    /** Live leases at most: each costs memory on every member and a deadline on the leader. */
    public static final int MAX_LEASES = 10_000;
    /** Keys per lease at most, so one lease's record and its revocation stay small. */
    public static final int MAX_KEYS_PER_LEASE = 1_000;
    static final LeaseTable EMPTY = new LeaseTable(new TreeMap<>(), new HashMap<>());
    private static final byte[] PREFIX = "lease:".getBytes(StandardCharsets.UTF_8);

    private final TreeMap<Long, Lease> leases;
    private final Map<String, Long> owner;

    private LeaseTable(TreeMap<Long, Lease> leases, Map<String, Long> owner) {
        this.leases = leases;
        this.owner = owner;
    }

    public Optional<Lease> get(long id) {
        return Optional.ofNullable(leases.get(id));
    }

    /** Every lease, by id. */
    public Collection<Lease> all() {
        return Collections.unmodifiableCollection(leases.values());
    }

    public int size() {
        return leases.size();
    }

    /** The lease {@code key} is attached to, or 0. */
    public long leaseOf(String key) {
        return owner.getOrDefault(key, 0L);
    }

    static LeaseTable read(RocksHandle h) throws IOException {
        TreeMap<Long, Lease> leases = new TreeMap<>();
        Map<String, Long> owner = new HashMap<>();
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = h.metaIterator(ro)) {
            for (it.seek(PREFIX); it.isValid() && KeyScan.startsWith(it.key(), PREFIX); it.next()) {
                long id = ByteBuffer.wrap(it.key(), PREFIX.length, Long.BYTES).getLong();
                Lease lease = decode(id, it.value());
                leases.put(id, lease);
                for (String k : lease.keys()) owner.put(k, id);
            }
            it.status();
        } catch (RocksDBException e) {
            throw new IOException("cannot read the leases: " + e.getMessage(), e);
        }
        return new LeaseTable(leases, owner);
    }

    private static byte[] recordKey(long id) {
        return ByteBuffer.allocate(PREFIX.length + Long.BYTES).put(PREFIX).putLong(id).array();
    }

    static byte[] encode(Lease lease) {
        var out = new ByteArrayOutputStream(16);
        CommandCodec.writeVarint(out, lease.ttlMillis());
        CommandCodec.writeVarint(out, lease.keys().size());
        for (String k : lease.keys()) {
            byte[] b = k.getBytes(StandardCharsets.UTF_8);
            CommandCodec.writeVarint(out, b.length);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    static Lease decode(long id, byte[] raw) {
        ByteBuffer in = ByteBuffer.wrap(raw);
        long ttl = CommandCodec.readVarint(in);
        long n = CommandCodec.readVarint(in);
        List<String> keys = new ArrayList<>();
        for (long i = 0; i < n; i++) keys.add(CommandCodec.readUtf8(CommandCodec.readBytes(in)));
        return new Lease(id, ttl, keys);
    }

    /** Changes made by one apply call; the table is copied on the first change only. */
    Edit edit() {
        return new Edit();
    }

    final class Edit {
        private TreeMap<Long, Lease> leases;
        private Map<String, Long> owner;
        private final Set<Long> dirty = new HashSet<>();
        private int expired;

        private void copy() {
            if (leases != null) return;
            leases = new TreeMap<>(LeaseTable.this.leases);
            owner = new HashMap<>(LeaseTable.this.owner);
        }

        Optional<Lease> get(long id) {
            return Optional.ofNullable((leases != null ? leases : LeaseTable.this.leases).get(id));
        }

        int size() {
            return (leases != null ? leases : LeaseTable.this.leases).size();
        }

        long leaseOf(String key) {
            return (owner != null ? owner : LeaseTable.this.owner).getOrDefault(key, 0L);
        }

        void grant(long id, long ttlMillis) {
            copy();
            leases.put(id, new Lease(id, ttlMillis, List.of()));
            dirty.add(id);
        }

        /** Moves {@code key} from whatever lease holds it to {@code id} (which must exist). */
        void attach(String key, long id) {
            detach(key);
            copy();
            Lease l = leases.get(id);
            TreeSet<String> keys = new TreeSet<>(KeyOrder.UTF8);
            keys.addAll(l.keys());
            keys.add(key);
            leases.put(id, new Lease(id, l.ttlMillis(), new ArrayList<>(keys)));
            owner.put(key, id);
            dirty.add(id);
        }

        /** A put without a lease or a delete takes {@code key} out of its lease, as etcd does. */
        void detach(String key) {
            long id = leaseOf(key);
            if (id == 0) return;
            copy();
            Lease l = leases.get(id);
            List<String> keys = new ArrayList<>(l.keys());
            keys.remove(key);
            leases.put(id, new Lease(id, l.ttlMillis(), keys));
            owner.remove(key);
            dirty.add(id);
        }

        /** Removes lease {@code id} and returns the keys it held (for the caller to delete). */
        List<String> remove(long id, boolean expiry) {
            copy();
            Lease l = leases.remove(id);
            if (l == null) return List.of();
            for (String k : l.keys()) owner.remove(k);
            dirty.add(id);
            if (expiry) expired++;
            return l.keys();
        }

        int expired() {
            return expired;
        }

        /** Puts every changed lease's record (or its deletion) into {@code batch}. */
        void write(WriteBatch batch, RocksHandle h) throws RocksDBException {
            for (long id : dirty) {
                Lease l = leases.get(id);
                if (l == null) batch.delete(h.meta(), recordKey(id));
                else batch.put(h.meta(), recordKey(id), encode(l));
            }
        }

        LeaseTable result() {
            return leases == null ? LeaseTable.this : new LeaseTable(leases, owner);
        }
    }

    /** Keys sort as RocksDB sorts them: by their UTF-8 bytes, unsigned. */
    private static final class KeyOrder {
        static final java.util.Comparator<String> UTF8 = (a, b) -> Arrays.compareUnsigned(
                a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
