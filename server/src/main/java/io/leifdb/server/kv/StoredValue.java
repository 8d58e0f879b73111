package io.leifdb.server.kv;

import java.nio.ByteBuffer;

/**
 * The RocksDB value of a user key: {@code format:u8 | createRevision:i64 | modRevision:i64 |
 * version:i64 | rest}. Format 1 (plain): rest is the value. Format 2 (CRaft fragment): rest is
 * {@code term:i64 | fragment bytes}, this replica's share of the value written at
 * (modRevision, term); old plain data needs no rewrite.
 *
 * @param coded null for a plain value; otherwise {@code value} is empty
 */
record StoredValue(long createRevision, long modRevision, long version, byte[] value, CodedValue coded) {
    private static final byte FORMAT_PLAIN = 1;
    private static final byte FORMAT_FRAGMENT = 2;
    private static final int HEADER = 1 + 3 * Long.BYTES;
    private static final byte[] NONE = new byte[0];

    StoredValue(long createRevision, long modRevision, long version, byte[] value) {
        this(createRevision, modRevision, version, value, null);
    }

    byte[] encode() {
        if (coded == null) {
            return ByteBuffer.allocate(HEADER + value.length)
                    .put(FORMAT_PLAIN).putLong(createRevision).putLong(modRevision).putLong(version).put(value)
                    .array();
        }
        return ByteBuffer.allocate(HEADER + Long.BYTES + coded.fragment().length)
                .put(FORMAT_FRAGMENT).putLong(createRevision).putLong(modRevision).putLong(version)
                .putLong(coded.term()).put(coded.fragment())
                .array();
    }

    static StoredValue decode(byte[] raw) {
        if (raw.length < HEADER || (raw[0] != FORMAT_PLAIN && raw[0] != FORMAT_FRAGMENT)) {
            throw new IllegalStateException("unknown stored value format in KV store");
        }
        ByteBuffer in = ByteBuffer.wrap(raw, 1, raw.length - 1);
        long create = in.getLong();
        long mod = in.getLong();
        long version = in.getLong();
        if (raw[0] == FORMAT_FRAGMENT) {
            long term = in.getLong();
            byte[] fragment = new byte[in.remaining()];
            in.get(fragment);
            return new StoredValue(create, mod, version, NONE, new CodedValue(mod, term, fragment));
        }
        byte[] value = new byte[in.remaining()];
        in.get(value);
        return new StoredValue(create, mod, version, value);
    }

    KeyValue toKeyValue(String key) {
        return new KeyValue(key, value, createRevision, modRevision, version, coded);
    }
}
