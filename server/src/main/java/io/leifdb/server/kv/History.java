package io.leifdb.server.kv;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.rocksdb.RocksDBException;
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
