package io.leifdb.client;

import java.nio.charset.StandardCharsets;

/**
 * One key as the server holds it. {@code modRevision} is the revision of its last write (its ETag, usable
 * with {@link Precondition#ifRevision}); {@code createRevision} of its creation; {@code version} counts its
 * writes since. A keys-only listing leaves {@code value} empty and the revisions 0.
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {
    /** The value as UTF-8 text. */
    public String text() {
        return new String(value, StandardCharsets.UTF_8);
    }
}
