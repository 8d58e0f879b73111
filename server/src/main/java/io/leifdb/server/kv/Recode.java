package io.leifdb.server.kv;

import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.craft.Fragment;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * CRaft repair: re-encodes the value {@code key} holds at {@code revision}, so that every voter
 * stores the fragment of its current position (docs/craft.md, "Repair"). Applied only while the
 * key still holds that revision; the revision, create revision and version stay, and no watcher
 * sees it: the value is the same, only its shares change. A NORMAL entry:
 * <pre>
 *   format:u8 (6, or 7 with kind) | revision:varint | keyLen:varint | key:utf8 | [kind:u8 if format=7]
 *   | valueLen:varint | value
 * </pre>
 * The value comes last, so the clear prefix ({@link #clearLength}) is everything before it and
 * CRaft codes a recode as it codes a put; like a put's, it records the value's {@link Utf8.Kind}.
 * Recodes are written with format 7; format 6 (no kind) is read for entries from before.
 *
 * @param kind as in {@link Command.Put}: null in an entry from before kinds were recorded
 */
public record Recode(String key, long revision, byte[] value, Utf8.Kind kind) {
    static final byte FORMAT = 6;
    static final byte FORMAT_KIND = 7;

    public Recode {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (revision < 1) throw new IllegalArgumentException("revision must be >= 1, was " + revision);
    }

    /** A new recode of the whole {@code value}: its kind is found here. */
    public Recode(String key, long revision, byte[] value) {
        this(key, revision, value, Utf8.scan(value));
    }

    public byte[] encode() {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        var out = new ByteArrayOutputStream(24 + k.length + value.length);
        out.write(kind != null ? FORMAT_KIND : FORMAT);
        CommandCodec.writeVarint(out, revision);
        CommandCodec.writeVarint(out, k.length);
        out.writeBytes(k);
        if (kind != null) out.write(CommandCodec.kindCode(kind));
        CommandCodec.writeVarint(out, value.length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    /** The recode {@code e} holds (its value empty when {@code e} is a fragment), or null when it holds none. */
    public static Recode of(Entry e) {
        try {
            if (e.type() == EntryType.NORMAL) return isRecode(e.data()) ? decode(e.data()) : null;
            if (e.type() != EntryType.FRAGMENT) return null;
            Fragment f = Fragment.fromBytes(e.data());
            return isRecode(f.clear()) ? decodeClear(f.clear(), f.codedLength()) : null;
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    static boolean isRecode(byte[] data) {
        return data != null && data.length > 1 && (data[0] == FORMAT || data[0] == FORMAT_KIND);
    }

    /** @throws IllegalArgumentException if {@code data} is not a whole recode */
    static Recode decode(byte[] data) {
        ByteBuffer in = header(data);
        long revision = CommandCodec.readVarint(in);
        String key = CommandCodec.readUtf8(CommandCodec.readBytes(in));
        Utf8.Kind kind = kind(data, in);
        byte[] value = CommandCodec.readBytes(in);
        if (in.hasRemaining()) throw new IllegalArgumentException("trailing bytes after recode");
        return new Recode(key, revision, value, kind);
    }

    /** The bytes before the value: what every fragment keeps in clear; all of {@code data} if it is no recode. */
    static int clearLength(byte[] data) {
        try {
            ByteBuffer in = header(data);
            CommandCodec.readVarint(in);
            CommandCodec.readBytes(in);
            kind(data, in);
            long len = CommandCodec.readVarint(in);
            return len == in.remaining() ? in.position() : data.length;
        } catch (IllegalArgumentException notARecode) {
            return data.length;
        }
    }

    /** The recode whose clear prefix is {@code clear}, with an empty value of {@code valueLength} bytes held coded. */
    static Recode decodeClear(byte[] clear, int valueLength) {
        ByteBuffer in = header(clear);
        long revision = CommandCodec.readVarint(in);
        String key = CommandCodec.readUtf8(CommandCodec.readBytes(in));
        Utf8.Kind kind = kind(clear, in);
        long len = CommandCodec.readVarint(in);
        if (len != valueLength || in.hasRemaining()) {
            throw new IllegalArgumentException("coded recode of " + valueLength + " bytes says " + len);
        }
        return new Recode(key, revision, new byte[0], kind);
    }

    /** The kind byte after the key of a format 7 recode; null for format 6. */
    private static Utf8.Kind kind(byte[] data, ByteBuffer in) {
        if (data[0] != FORMAT_KIND) return null;
        if (!in.hasRemaining()) throw new IllegalArgumentException("truncated value kind");
        return CommandCodec.kindOf(in.get());
    }

    private static ByteBuffer header(byte[] data) {
        if (!isRecode(data)) throw new IllegalArgumentException("not a recode");
        ByteBuffer in = ByteBuffer.wrap(data);
        in.get();
        return in;
    }
}
