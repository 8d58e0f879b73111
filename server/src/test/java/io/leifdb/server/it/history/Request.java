package io.leifdb.server.it.history;

import java.util.Objects;

/**
 * One client operation on one key, as the workload asks for it. Values are unique per write, so a
 * read's answer names the one write it observed.
 *
 * @param kind     what to send
 * @param key      the register
 * @param value    WRITE and the two conditional kinds: the value to store; otherwise null
 * @param expected IF_MATCH only: the value the client read together with {@code etag}
 * @param etag     IF_MATCH only: the ETag (a quoted revision) that read returned
 */
public record Request(Kind kind, String key, String value, String expected, String etag) {
    public enum Kind {
        /** GET /db/k, linearizable (the default). */
        READ,
        /** PUT /db/k. */
        WRITE,
        /** DELETE /db/k. */
        DELETE,
        /** PUT /db/k with If-Match: the revision read earlier; a compare-and-set on that value. */
        IF_MATCH,
        /** PUT /db/k with If-None-Match: *; a compare-and-set from absent. */
        IF_ABSENT
    }

    public Request {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        boolean writes = kind == Kind.WRITE || kind == Kind.IF_MATCH || kind == Kind.IF_ABSENT;
        if (writes != (value != null)) throw new IllegalArgumentException(kind + " with value " + value);
        if ((kind == Kind.IF_MATCH) != (etag != null && expected != null)) {
            throw new IllegalArgumentException(kind + " with expected " + expected + " and etag " + etag);
        }
    }

    public static Request read(String key) {
        return new Request(Kind.READ, key, null, null, null);
    }

    public static Request write(String key, String value) {
        return new Request(Kind.WRITE, key, value, null, null);
    }

    public static Request delete(String key) {
        return new Request(Kind.DELETE, key, null, null, null);
    }

    public static Request ifMatch(String key, String expected, String etag, String value) {
        return new Request(Kind.IF_MATCH, key, value, expected, etag);
    }

    public static Request ifAbsent(String key, String value) {
        return new Request(Kind.IF_ABSENT, key, value, null, null);
    }

    boolean isRead() {
        return kind == Kind.READ;
    }
}
