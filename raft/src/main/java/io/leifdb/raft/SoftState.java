package io.leifdb.raft;

/** Volatile state that need not be persisted: who leads (0 if unknown) and our role. */
public record SoftState(long leader, Role role) {
}
