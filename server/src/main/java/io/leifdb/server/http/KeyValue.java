package io.leifdb.server.http;

import java.util.Objects;

/**
 * One stored key. Revisions are store-wide and increase with every write; {@code version} counts the
 * writes to this key since it was (re)created.
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {
    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
