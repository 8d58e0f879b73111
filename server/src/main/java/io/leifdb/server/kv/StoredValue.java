package io.leifdb.server.kv;

import java.nio.ByteBuffer;

/**
 * The RocksDB value of a user key: {@code format:u8 | createRevision:i64 | modRevision:i64 |
 * version:i64 | value bytes}. The format byte leaves room for a value held as an erasure-coded
 * fragment (CRaft) without rewriting old data.
 */
record StoredValue(long createRevision, long modRevision, long version, byte[] value) {
    private static final byte FORMAT_PLAIN = 1;
    private static final int HEADER = 1 + 3 * Long.BYTES;

    byte[] encode() {
        return ByteBuffer.allocate(HEADER + value.length)
                .put(FORMAT_PLAIN).putLong(createRevision).putLong(modRevision).putLong(version).put(value)
                .array();
    }

    static StoredValue decode(byte[] raw) {
        if (raw.length < HEADER || raw[0] != FORMAT_PLAIN) {
            throw new IllegalStateException("unknown stored value format in KV store");
        }
        ByteBuffer in = ByteBuffer.wrap(raw, 1, raw.length - 1);
        long create = in.getLong();
        long mod = in.getLong();
        long version = in.getLong();
        byte[] value = new byte[in.remaining()];
        in.get(value);
        return new StoredValue(create, mod, version, value);
    }

    KeyValue toKeyValue(String key) {
        return new KeyValue(key, value, createRevision, modRevision, version);
    }
}
