package io.leifdb.raft;

/**
 * Volatile state that need not be persisted: who leads (0 if unknown), our role, and whether this
 * member is still catching up after losing acknowledged state ({@link RaftConfig#catchingUp()}).
 * When {@code catchingUp} turns false, a driver may clear its durable record of the loss once this
 * Ready's entries and hard state are durable; clearing later is always safe, earlier is not.
 */
public record SoftState(long leader, Role role, boolean catchingUp) {
}
