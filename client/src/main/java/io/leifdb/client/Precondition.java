package io.leifdb.client;

/**
 * The condition a write carries: none, the key at one revision (If-Match: "rev"), the key absent
 * (If-None-Match: *, puts only) or the key present at any revision (If-Match: *).
 */
public sealed interface Precondition {
    Precondition NONE = new None();
    Precondition IF_ABSENT = new IfAbsent();
    Precondition IF_EXISTS = new IfExists();

    /** The key must be at revision {@code rev} (its last write's revision, {@link KeyValue#modRevision()}). */
    static Precondition ifRevision(long rev) {
        if (rev < 1) throw new IllegalArgumentException("a revision is >= 1, got " + rev);
        return new IfRevision(rev);
    }

    record None() implements Precondition {
    }

    record IfRevision(long rev) implements Precondition {
    }

    record IfAbsent() implements Precondition {
    }

    record IfExists() implements Precondition {
    }
}
