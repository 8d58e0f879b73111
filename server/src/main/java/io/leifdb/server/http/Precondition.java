package io.leifdb.server.http;

/** A condition a write must meet when it is applied, checked in log order by the state machine. */
public sealed interface Precondition {

    /** Unconditional write. */
    record None() implements Precondition {
    }

    /** The key's current modRevision must equal {@code revision} (HTTP If-Match). */
    record IfRevision(long revision) implements Precondition {
    }

    /** The key must not exist (HTTP If-None-Match: *). */
    record IfAbsent() implements Precondition {
    }

    Precondition NONE = new None();
    Precondition ABSENT = new IfAbsent();
}
