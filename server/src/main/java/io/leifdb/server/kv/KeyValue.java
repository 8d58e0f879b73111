package io.leifdb.server.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * A key as the state machine holds it. Revisions are Raft log indexes: {@code createRevision}
 * of the write that created the key, {@code modRevision} of the write that last changed it;
 * {@code version} counts writes since creation (1 after the first put).
 *
 * @param coded null, or (CRaft) this replica's share of the value when it holds the value only as an
 *              erasure-coded fragment; {@code value} is then empty and a read must gather k shares
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version,
                       CodedValue coded) {
    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    public KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {
        this(key, value, createRevision, modRevision, version, null);
    }

    /** The same key with its value rebuilt in full. */
    public KeyValue withValue(byte[] full) {
        return new KeyValue(key, full, createRevision, modRevision, version, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue kv && kv.key.equals(key) && Arrays.equals(kv.value, value)
                && kv.createRevision == createRevision && kv.modRevision == modRevision && kv.version == version
                && Objects.equals(kv.coded, coded);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(value), createRevision, modRevision, version);
    }

    @Override
    public String toString() {
        return "KeyValue{" + key + ", " + (coded == null ? value.length + "B" : coded.toString()) + ", create="
                + createRevision + ", mod=" + modRevision + ", version=" + version + "}";
    }
}
