package io.leifdb.server.kv;

import java.nio.ByteBuffer;

/**
 * The RocksDB value of a user key: {@code format:u8 | createRevision:i64 | modRevision:i64 |
 * version:i64 | rest}. Format 1 (plain, written before CRaft snapshots): rest is the value.
 * Format 2 (CRaft fragment): rest is {@code term:i64 | fragment bytes}, this replica's share of
 * the value written at (modRevision, term). Format 3 (plain, what puts write now): rest is
 * {@code term:i64 | pre:u8 (low four bits: 0 none, 1 if-revision, 2 if-absent; high four: 0 no
 * kind, else the put's recorded {@link Utf8.Kind} code + 1) | [rev:i64 if pre=1] | value}: the
 * term, precondition and kind of the write, which rebuild its log entry byte for byte, so that a
 * snapshot can carry a follower the fragment live replication would have sent it. After a
 * {@link Recode} (CRaft repair) the value's shares belong to the recode entry at {@code at}:
 * format 4 is a fragment of it ({@code term:i64 | at:i64 | fragment bytes}), format 5 the whole
 * value with that entry's position ({@code term:i64 | at:i64 | value}), and format 6 the same with
 * the kind the recode recorded ({@code term:i64 | at:i64 | kind:u8 | value}). Older formats need no
 * rewrite.
 *
 * @param coded null for a plain value; otherwise {@code value} is empty
 * @param term  the term of the write at modRevision; 0 when unknown (format 1)
 * @param pre   the write's precondition; null when unknown (format 1), held in the fragment, or recoded
 * @param at    the index of the entry whose shares hold the value: modRevision, or a recode's index
 * @param kind  the value's kind as the entry of a whole value recorded it (formats 3 and 6); null when it
 *              recorded none
 */
record StoredValue(long createRevision, long modRevision, long version, byte[] value, CodedValue coded,
                   long term, Precondition pre, long at, Utf8.Kind kind) {
    private static final byte FORMAT_PLAIN = 1;
    private static final byte FORMAT_FRAGMENT = 2;
    private static final byte FORMAT_WRITE = 3;
    private static final byte FORMAT_RECODED_FRAGMENT = 4;
    private static final byte FORMAT_RECODED = 5;
    private static final byte FORMAT_RECODED_KIND = 6;
    private static final int HEADER = 1 + 3 * Long.BYTES;
    private static final byte PRE_NONE = 0;
    private static final byte PRE_IF_REVISION = 1;
    private static final byte PRE_IF_ABSENT = 2;
    private static final byte[] NONE = new byte[0];

    /** A value of unknown origin (format 1). */
    StoredValue(long createRevision, long modRevision, long version, byte[] value) {
        this(createRevision, modRevision, version, value, null, 0, null, modRevision, null);
    }

    /** A value held as this replica's fragment (of the put at modRevision, or of a recode). */
    static StoredValue coded(long createRevision, long modRevision, long version, CodedValue coded) {
        return new StoredValue(createRevision, modRevision, version, NONE, coded, coded.term(), null, coded.index(),
                null);
    }

    /** A whole value whose shares belong to the recode entry at ({@code at}, {@code term}), which recorded {@code kind}. */
    static StoredValue recoded(long createRevision, long modRevision, long version, byte[] value, long at, long term,
                               Utf8.Kind kind) {
        return new StoredValue(createRevision, modRevision, version, value, null, term, null, at, kind);
    }

    /** Whether the shares of this value belong to a recode entry rather than to the put that wrote it. */
    boolean recoded() {
        return at != modRevision;
    }

    /** The recode entry this whole value's shares belong to; only when {@link #recoded()} and whole. */
    Recode recode(String key) {
        return new Recode(key, modRevision, value, kind);
    }

    /** A value held whole, written by a put of {@code pre} in {@code term} whose entry recorded {@code kind}. */
    static StoredValue whole(long createRevision, long modRevision, long version, byte[] value, long term,
                             Precondition pre, Utf8.Kind kind) {
        return new StoredValue(createRevision, modRevision, version, value, null, term, pre, modRevision, kind);
    }

    /** Whether the put that wrote this whole value can be rebuilt exactly (format 3). */
    boolean writeKnown() {
        return coded == null && term > 0 && pre != null && !recoded();
    }

    /** The put that wrote this whole value; only when {@link #writeKnown()}. */
    Command.Put put(String key) {
        return new Command.Put(key, value, pre, kind);
    }

    byte[] encode() {
        if (recoded()) {
            byte[] rest = coded != null ? coded.fragment() : value;
            boolean withKind = coded == null && kind != null;
            ByteBuffer out = ByteBuffer.allocate(HEADER + 2 * Long.BYTES + (withKind ? 1 : 0) + rest.length)
                    .put(coded != null ? FORMAT_RECODED_FRAGMENT : withKind ? FORMAT_RECODED_KIND : FORMAT_RECODED)
                    .putLong(createRevision).putLong(modRevision).putLong(version).putLong(term).putLong(at);
            if (withKind) out.put((byte) CommandCodec.kindCode(kind));
            return out.put(rest).array();
        }
        if (coded != null) {
            return ByteBuffer.allocate(HEADER + Long.BYTES + coded.fragment().length)
                    .put(FORMAT_FRAGMENT).putLong(createRevision).putLong(modRevision).putLong(version)
                    .putLong(coded.term()).put(coded.fragment())
                    .array();
        }
        if (!writeKnown()) {
            return ByteBuffer.allocate(HEADER + value.length)
                    .put(FORMAT_PLAIN).putLong(createRevision).putLong(modRevision).putLong(version).put(value)
                    .array();
        }
        int preBytes = pre instanceof Precondition.IfRevision ? 1 + Long.BYTES : 1;
        ByteBuffer out = ByteBuffer.allocate(HEADER + Long.BYTES + preBytes + value.length)
                .put(FORMAT_WRITE).putLong(createRevision).putLong(modRevision).putLong(version).putLong(term);
        int kindBits = kind == null ? 0 : (CommandCodec.kindCode(kind) + 1) << 4;
        switch (pre) {
            case Precondition.None n -> out.put((byte) (PRE_NONE | kindBits));
            case Precondition.IfAbsent a -> out.put((byte) (PRE_IF_ABSENT | kindBits));
            case Precondition.IfRevision r -> out.put((byte) (PRE_IF_REVISION | kindBits)).putLong(r.rev());
        }
        return out.put(value).array();
    }

    static StoredValue decode(byte[] raw) {
        if (raw.length < HEADER || raw[0] < FORMAT_PLAIN || raw[0] > FORMAT_RECODED_KIND) {
            throw new IllegalStateException("unknown stored value format in KV store");
        }
        ByteBuffer in = ByteBuffer.wrap(raw, 1, raw.length - 1);
        long create = in.getLong();
        long mod = in.getLong();
        long version = in.getLong();
        if (raw[0] == FORMAT_FRAGMENT) {
            long term = in.getLong();
            return coded(create, mod, version, new CodedValue(mod, term, rest(in)));
        }
        if (raw[0] == FORMAT_RECODED_FRAGMENT || raw[0] == FORMAT_RECODED || raw[0] == FORMAT_RECODED_KIND) {
            long term = in.getLong();
            long at = in.getLong();
            if (raw[0] == FORMAT_RECODED_FRAGMENT) return coded(create, mod, version, new CodedValue(at, term, rest(in)));
            Utf8.Kind kind = raw[0] == FORMAT_RECODED_KIND ? kind((in.get() & 0xFF) + 1) : null;
            return recoded(create, mod, version, rest(in), at, term, kind);
        }
        if (raw[0] == FORMAT_WRITE) {
            long term = in.getLong();
            int preByte = in.get() & 0xFF;
            Utf8.Kind kind = kind(preByte >>> 4);
            Precondition pre = switch (preByte & 0x0F) {
                case PRE_NONE -> Precondition.NONE;
                case PRE_IF_ABSENT -> Precondition.IF_ABSENT;
                case PRE_IF_REVISION -> Precondition.ifRevision(in.getLong());
                default -> throw new IllegalStateException("unknown precondition in stored value");
            };
            return whole(create, mod, version, rest(in), term, pre, kind);
        }
        return new StoredValue(create, mod, version, rest(in));
    }

    /** The kind whose code + 1 is {@code codePlusOne}; null for 0 (none recorded). */
    private static Utf8.Kind kind(int codePlusOne) {
        try {
            return codePlusOne == 0 ? null : CommandCodec.kindOf(codePlusOne - 1);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("unknown value kind in stored value");
        }
    }

    private static byte[] rest(ByteBuffer in) {
        byte[] bytes = new byte[in.remaining()];
        in.get(bytes);
        return bytes;
    }

    KeyValue toKeyValue(String key) {
        return new KeyValue(key, value, createRevision, modRevision, version, coded);
    }
}
