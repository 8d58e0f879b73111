package io.leifdb.server.kv;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of a {@link Txn} in a NORMAL entry. Its first byte, {@link #FORMAT}, differs from the
 * key command's version (1), the auth command's (2) and the address book's (3), so a replica tells
 * them apart ({@code EntryFormatsTest} keeps the four distinct):
 * <pre>
 *   format:u8 (=4) | n:varint | n × (keyLen:varint key target:u8 op:u8 (valueLen:varint value | number:varint))
 *   | n:varint | n × op (success) | n:varint | n × op (failure)
 *   op = kind:u8 (1 put, 2 delete, 3 get) | keyLen:varint key | [valueLen:varint value if put]
 * </pre>
 * Never erasure-coded: {@link CommandCodec#clearLength} keeps anything that is not a put fully clear.
 */
final class TxnCodec {
    static final byte FORMAT = 4;
    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    private static final byte GET = 3;

    private TxnCodec() {
    }

    static boolean isTxn(byte[] data) {
        return data != null && data.length > 1 && data[0] == FORMAT;
    }

    static byte[] encode(Txn txn) {
        var out = new ByteArrayOutputStream(64);
        out.write(FORMAT);
        CommandCodec.writeVarint(out, txn.compare().size());
        for (Txn.Compare c : txn.compare()) {
            writeBytes(out, c.key().getBytes(StandardCharsets.UTF_8));
            out.write(c.target().ordinal());
            out.write(c.op().ordinal());
            if (c.target() == Txn.Target.VALUE) writeBytes(out, c.value());
            else CommandCodec.writeVarint(out, c.number());
        }
        writeOps(out, txn.success());
        writeOps(out, txn.failure());
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException if {@code data} is not a transaction of this format */
    static Txn decode(byte[] data) {
        if (!isTxn(data)) throw new IllegalArgumentException("not a transaction");
        try {
            return read(ByteBuffer.wrap(data, 1, data.length - 1));
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("transaction truncated", e);
        }
    }

    private static Txn read(ByteBuffer in) {
        int n = count(in);
        List<Txn.Compare> compares = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String key = CommandCodec.readUtf8(CommandCodec.readBytes(in));
            Txn.Target target = enumAt(Txn.Target.values(), in.get());
            Txn.CompareOp op = enumAt(Txn.CompareOp.values(), in.get());
            compares.add(target == Txn.Target.VALUE
                    ? Txn.Compare.ofValue(key, op, CommandCodec.readBytes(in))
                    : Txn.Compare.ofNumber(key, target, op, CommandCodec.readVarint(in)));
        }
        List<Txn.Op> success = readOps(in);
        List<Txn.Op> failure = readOps(in);
        if (in.hasRemaining()) throw new IllegalArgumentException("trailing bytes after transaction");
        return new Txn(compares, success, failure);
    }

    private static void writeOps(ByteArrayOutputStream out, List<Txn.Op> ops) {
        CommandCodec.writeVarint(out, ops.size());
        for (Txn.Op op : ops) {
            out.write(switch (op) {
                case Txn.Put p -> PUT;
                case Txn.Delete d -> DELETE;
                case Txn.Get g -> GET;
            });
            writeBytes(out, op.key().getBytes(StandardCharsets.UTF_8));
            if (op instanceof Txn.Put p) writeBytes(out, p.value());
        }
    }

    private static List<Txn.Op> readOps(ByteBuffer in) {
        int n = count(in);
        List<Txn.Op> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte kind = in.get();
            String key = CommandCodec.readUtf8(CommandCodec.readBytes(in));
            ops.add(switch (kind) {
                case PUT -> new Txn.Put(key, CommandCodec.readBytes(in));
                case DELETE -> new Txn.Delete(key);
                case GET -> new Txn.Get(key);
                default -> throw new IllegalArgumentException("unknown transaction op " + kind);
            });
        }
        return ops;
    }

    private static int count(ByteBuffer in) {
        long n = CommandCodec.readVarint(in);
        if (n > Txn.MAX_OPS) throw new IllegalArgumentException("transaction of " + n + " parts");
        return (int) n;
    }

    private static <E> E enumAt(E[] values, byte b) {
        if (b < 0 || b >= values.length) throw new IllegalArgumentException("unknown transaction code " + b);
        return values[b];
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        CommandCodec.writeVarint(out, bytes.length);
        out.writeBytes(bytes);
    }
}
