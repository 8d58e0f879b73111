package io.leifdb.server.kv;

import java.util.Objects;

/**
 * One change to one key, as watchers see it. A transaction's changes share its revision, in the
 * order its operations ran; a delete of an absent key changes nothing and has none. An EXPIRE is a delete the
 * leader decided because the key's lease ran out (a revoked lease's keys are plain deletes).
 *
 * @param value       the value a put wrote; empty for a delete, and when {@code valueCoded}
 * @param valueCoded  CRaft: this member holds the value only as a fragment, so the change carries none
 */
public record Change(Type type, String key, byte[] value, long revision, long createRevision, long version,
                     boolean valueCoded) {
    public enum Type { PUT, DELETE, EXPIRE }

    public Change {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    static Change put(String key, StoredValue v) {
        return new Change(Type.PUT, key, v.value(), v.modRevision(), v.createRevision(), v.version(), v.coded() != null);
    }

    static Change delete(String key, long revision) {
        return removal(Type.DELETE, key, revision);
    }

    static Change removal(Type type, String key, long revision) {
        if (type == Type.PUT) throw new IllegalArgumentException("a removal is a DELETE or an EXPIRE");
        return new Change(type, key, new byte[0], revision, 0, 0, false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Change c && c.type == type && c.key.equals(key) && java.util.Arrays.equals(c.value, value)
                && c.revision == revision && c.createRevision == createRevision && c.version == version
                && c.valueCoded == valueCoded;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, key, revision);
    }

    @Override
    public String toString() {
        return "Change{" + type + " " + key + "@" + revision + ", " + value.length + "B}";
    }
}
