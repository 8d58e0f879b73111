package io.leifdb.server.kv;

/**
 * A condition a write checks against the key's current state when it is applied. It is checked
 * at apply time, not at proposal time, so every replica reaches the same verdict.
 */
public sealed interface Precondition permits Precondition.None, Precondition.IfRevision, Precondition.IfAbsent {

    /** Write unconditionally. */
    None NONE = new None();

    /** Write only if the key does not exist (HTTP {@code If-None-Match: *}). */
    IfAbsent IF_ABSENT = new IfAbsent();

    static IfRevision ifRevision(long rev) {
        return new IfRevision(rev);
    }

    /** Unconditional. */
    record None() implements Precondition {
    }

    /** The key must exist and its modify revision must equal {@code rev} (HTTP {@code If-Match}). */
    record IfRevision(long rev) implements Precondition {
        public IfRevision {
            // Revisions are Raft log indexes, which start at 1; 0 would silently mean "absent".
            if (rev < 1) throw new IllegalArgumentException("revision must be >= 1, was " + rev);
        }
    }

    /** Create only. */
    record IfAbsent() implements Precondition {
    }

    /**
     * Whether the condition holds for a key whose current modify revision is {@code current}
     * (0 when the key is absent).
     */
    default boolean holds(long current) {
        return switch (this) {
            case None n -> true;
            case IfRevision r -> current == r.rev();
            case IfAbsent a -> current == 0;
        };
    }
}
