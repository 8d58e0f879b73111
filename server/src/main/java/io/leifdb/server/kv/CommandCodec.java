package io.leifdb.server.kv;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * Binary form of a {@link Command}:
 * <pre>
 *   version:u8 (=1) | op:u8 (1 put, 2 delete, 3 put with kind) | pre:u8 (0 none, 1 if-revision, 2 if-absent)
 *   [rev:varint if pre=1] | keyLen:varint | key:utf8 | [kind:u8 if op=3] | [valueLen:varint | value if op=1, 3]
 * </pre>
 * Lengths are explicit so a truncated or padded entry is rejected rather than misread. The value
 * comes last, so under CRaft everything before it (the {@link #clearLength} prefix: key,
 * precondition and the value's {@link Utf8.Kind}) stays readable in every fragment and only the
 * value bytes are coded. Puts are written with op 3; op 1 (no kind) is read for entries from before.
 */
final class CommandCodec {
    static final byte VERSION = 1;
    private static final byte OP_PUT = 1;
    private static final byte OP_DELETE = 2;
    private static final byte OP_PUT_KIND = 3;
    private static final byte PRE_NONE = 0;
    private static final byte PRE_IF_REVISION = 1;
    private static final byte PRE_IF_ABSENT = 2;

    private CommandCodec() {
    }

    static byte[] encode(Command command) {
        byte[] key = command.key().getBytes(StandardCharsets.UTF_8);
        byte[] value = command instanceof Command.Put p ? p.value() : null;
        var out = new ByteArrayOutputStream(16 + key.length + (value == null ? 0 : value.length));
        out.write(VERSION);
        Utf8.Kind kind = command instanceof Command.Put p ? p.kind() : null;
        out.write(command instanceof Command.Put ? (kind != null ? OP_PUT_KIND : OP_PUT) : OP_DELETE);
        switch (command.pre()) {
            case Precondition.None n -> out.write(PRE_NONE);
            case Precondition.IfAbsent a -> out.write(PRE_IF_ABSENT);
            case Precondition.IfRevision r -> {
                out.write(PRE_IF_REVISION);
                writeVarint(out, r.rev());
            }
        }
        writeVarint(out, key.length);
        out.writeBytes(key);
        if (kind != null) out.write(kindCode(kind));
        if (value != null) {
            writeVarint(out, value.length);
            out.writeBytes(value);
        }
        return out.toByteArray();
    }

    static Command decode(byte[] data) {
        ByteBuffer in = header(data);
        byte op = data[1];
        Precondition pre = precondition(in);
        String key = readUtf8(readBytes(in));
        Command command = switch (op) {
            case OP_PUT -> new Command.Put(key, readBytes(in), pre, null);
            case OP_PUT_KIND -> {
                Utf8.Kind kind = readKind(in);
                yield new Command.Put(key, readBytes(in), pre, kind);
            }
            case OP_DELETE -> new Command.Delete(key, pre);
            default -> throw new IllegalArgumentException("unknown command op " + op);
        };
        if (in.hasRemaining()) throw new IllegalArgumentException("trailing bytes after command");
        return command;
    }

    /**
     * How many leading bytes of {@code data} a replica must read without decoding: all but a put's
     * value bytes; all of anything else (a delete, or bytes that are no command: never coded).
     */
    static int clearLength(byte[] data) {
        if (Recode.isRecode(data)) return Recode.clearLength(data);
        try {
            ByteBuffer in = header(data);
            if (data[1] != OP_PUT && data[1] != OP_PUT_KIND) return data.length;
            precondition(in);
            readBytes(in); // the key, which must stay readable
            if (data[1] == OP_PUT_KIND) readKind(in);
            long len = readVarint(in);
            return len == in.remaining() ? in.position() : data.length;
        } catch (IllegalArgumentException notACommand) {
            return data.length;
        }
    }

    /**
     * CRaft: the put whose {@link #clearLength} prefix is {@code clear} and whose value (of
     * {@code valueLength} bytes) this replica holds only as a fragment; its value is empty.
     */
    static Command.Put decodeClear(byte[] clear, int valueLength) {
        ByteBuffer in = header(clear);
        if (clear[1] != OP_PUT && clear[1] != OP_PUT_KIND) throw new IllegalArgumentException("coded command is not a put");
        Precondition pre = precondition(in);
        String key = readUtf8(readBytes(in));
        Utf8.Kind kind = clear[1] == OP_PUT_KIND ? readKind(in) : null;
        long len = readVarint(in);
        if (len != valueLength || in.hasRemaining()) {
            throw new IllegalArgumentException("coded put of " + valueLength + " bytes says " + len);
        }
        return new Command.Put(key, new byte[0], pre, kind);
    }

    /** The byte that stands for {@code kind} in an entry; written into the log, so never renumbered. */
    static int kindCode(Utf8.Kind kind) {
        return switch (kind) {
            case PLAIN -> 0;
            case NEEDS_ESCAPES -> 1;
            case NOT_UTF8 -> 2;
        };
    }

    /** @throws IllegalArgumentException for a code {@link #kindCode} never writes */
    static Utf8.Kind kindOf(int code) {
        return switch (code) {
            case 0 -> Utf8.Kind.PLAIN;
            case 1 -> Utf8.Kind.NEEDS_ESCAPES;
            case 2 -> Utf8.Kind.NOT_UTF8;
            default -> throw new IllegalArgumentException("unknown value kind " + code);
        };
    }

    private static Utf8.Kind readKind(ByteBuffer in) {
        if (!in.hasRemaining()) throw new IllegalArgumentException("truncated value kind");
        return kindOf(in.get());
    }

    /** Checks version and length, and leaves {@code in} after version and op. */
    private static ByteBuffer header(byte[] data) {
        if (data == null || data.length < 3) throw new IllegalArgumentException("command too short");
        ByteBuffer in = ByteBuffer.wrap(data);
        byte version = in.get();
        if (version != VERSION) throw new IllegalArgumentException("unknown command version " + version);
        in.get();
        return in;
    }

    private static Precondition precondition(ByteBuffer in) {
        return switch (in.get()) {
            case PRE_NONE -> Precondition.NONE;
            case PRE_IF_ABSENT -> Precondition.IF_ABSENT;
            case PRE_IF_REVISION -> Precondition.ifRevision(readVarint(in));
            default -> throw new IllegalArgumentException("unknown precondition");
        };
    }

    static byte[] readBytes(ByteBuffer in) {
        long len = readVarint(in);
        if (len > in.remaining()) throw new IllegalArgumentException("length " + len + " past end of command");
        byte[] bytes = new byte[(int) len];
        in.get(bytes);
        return bytes;
    }

    static String readUtf8(byte[] bytes) {
        try {
            // Strict decoding: a replica must never turn bad bytes into U+FFFD and diverge from the bytes proposed.
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("key is not valid UTF-8", e);
        }
    }

    static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    static long readVarint(ByteBuffer in) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!in.hasRemaining()) throw new IllegalArgumentException("truncated varint");
            byte b = in.get();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new IllegalArgumentException("varint too long");
    }
}
