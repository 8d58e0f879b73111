package io.leifdb.server.kv;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The watch history's records in the {@code history} column family: key {@code revision:i64 | seq:i32}
 * (big-endian, so RocksDB's byte order is revision order), value
 * {@code type:u8 (1 put, 2 delete, 3 expire) | coded:u8 | createRevision:varint | version:varint | keyLen:varint | key | value}.
 * Written in the apply batch that makes the change, so history and state never disagree.
 */
final class History {
    /** The floor, in the meta column family: every change at or above it is in the history. */
    static final byte[] FLOOR_KEY = "historyFloor".getBytes(StandardCharsets.UTF_8);
    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    private static final byte EXPIRE = 3;

    private History() {
    }

    /**
     * Empties the history of a snapshot copy whose values are being recoded (CRaft): whole values kept in
     * its history would undo the fragment's saving. The copy then holds every change after {@code index}.
     */
    static void drop(RocksHandle db, long index) throws IOException {
        try (WriteBatch batch = new WriteBatch()) {
            batch.deleteRange(db.history(), key(0, 0), key(Long.MAX_VALUE, Integer.MAX_VALUE));
            batch.put(db.meta(), FLOOR_KEY, ByteBuffer.allocate(Long.BYTES).putLong(index + 1).array());
            db.write(batch);
        } catch (RocksDBException e) {
            throw new IOException("cannot empty the watch history: " + e.getMessage(), e);
        }
    }

    /**
     * After a {@link Recode} swapped {@code key}'s share, rewrites the key's record at the repaired revision
     * to what the store now holds: a fragment leaves no value bytes (as a coded put's record does, so the
     * watch event says {@code valueCoded} and a GET gathers the shares), a whole share the value. Only that
     * record changes, and only if it is the key's last change at that revision (the put whose value the
     * key holds); a record compacted away stays away.
     *
     * @param pending this batch's changes, not yet written: a revision applied in this batch is rewritten there
     */
    static void recoded(RocksHandle db, WriteBatch batch, List<Change> pending, String key, StoredValue now)
            throws RocksDBException {
        Change repaired = Change.put(key, now);
        long revision = repaired.revision();
        for (int i = pending.size() - 1; i >= 0; i--) {
            Change c = pending.get(i);
            if (c.revision() == revision && c.key().equals(key)) {
                if (c.type() == Change.Type.PUT) pending.set(i, repaired);
                return;
            }
        }
        byte[] last = null;
        byte[] lastRaw = null;
        // A revision is one entry, so its records are all in this batch (above) or all already written.
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.historyIterator(ro)) {
            for (it.seek(key(revision, 0)); it.isValid() && revisionOf(it.key()) == revision; it.next()) {
                byte[] raw = it.value();
                if (keyOf(raw).equals(key)) {
                    last = it.key();
                    lastRaw = raw;
                }
            }
            it.status();
        }
        if (last == null || lastRaw[0] != PUT) return;
        byte[] record = encode(repaired);
        // A replica that kept the value whole (the leader) would rewrite the same bytes.
        if (!Arrays.equals(record, lastRaw)) batch.put(db.history(), last, record);
    }

    /** The key of a record, without copying its value. */
    private static String keyOf(byte[] raw) {
        ByteBuffer in = ByteBuffer.wrap(raw, 2, raw.length - 2);
        CommandCodec.readVarint(in);
        CommandCodec.readVarint(in);
        return CommandCodec.readUtf8(CommandCodec.readBytes(in));
    }

    static byte[] key(long revision, int seq) {
        return ByteBuffer.allocate(Long.BYTES + Integer.BYTES).putLong(revision).putInt(seq).array();
    }

    static long revisionOf(byte[] key) {
        return ByteBuffer.wrap(key).getLong();
    }

    static byte[] encode(Change c) {
        byte[] key = c.key().getBytes(StandardCharsets.UTF_8);
        var out = new ByteArrayOutputStream(16 + key.length + c.value().length);
        out.write(switch (c.type()) {
            case PUT -> PUT;
            case DELETE -> DELETE;
            case EXPIRE -> EXPIRE;
        });
        out.write(c.valueCoded() ? 1 : 0);
        CommandCodec.writeVarint(out, c.createRevision());
        CommandCodec.writeVarint(out, c.version());
        CommandCodec.writeVarint(out, key.length);
        out.writeBytes(key);
        out.writeBytes(c.value());
        return out.toByteArray();
    }

    static Change decode(byte[] key, byte[] raw) {
        ByteBuffer in = ByteBuffer.wrap(raw);
        Change.Type type = switch (in.get()) {
            case PUT -> Change.Type.PUT;
            case DELETE -> Change.Type.DELETE;
            case EXPIRE -> Change.Type.EXPIRE;
            default -> throw new IllegalStateException("unknown change type in watch history");
        };
        boolean coded = in.get() == 1;
        long create = CommandCodec.readVarint(in);
        long version = CommandCodec.readVarint(in);
        String k = CommandCodec.readUtf8(CommandCodec.readBytes(in));
        byte[] value = Arrays.copyOfRange(raw, in.position(), raw.length);
        return new Change(type, k, value, revisionOf(key), create, version, coded);
    }
}
