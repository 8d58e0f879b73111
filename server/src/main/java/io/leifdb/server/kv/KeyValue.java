package io.leifdb.server.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * A key as the state machine holds it. Revisions are Raft log indexes: {@code createRevision}
 * of the write that created the key, {@code modRevision} of the write that last changed it;
 * {@code version} counts writes since creation (1 after the first put).
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {
    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue kv && kv.key.equals(key) && Arrays.equals(kv.value, value)
                && kv.createRevision == createRevision && kv.modRevision == modRevision && kv.version == version;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(value), createRevision, modRevision, version);
    }

    @Override
    public String toString() {
        return "KeyValue{" + key + ", " + value.length + "B, create=" + createRevision + ", mod=" + modRevision
                + ", version=" + version + "}";
    }
}
