package io.leifdb.raft.driver;

import io.leifdb.raft.Ready;
import io.leifdb.raft.SoftState;

/** What the driver tells its owner as it works; every call is on the driver's thread. */
public interface DriverObserver {
    /** The node's role or leader changed; called before reads waiting on the old leader fail. */
    default void roleChanged(SoftState state) {
    }

    /** Just before {@code rd}'s messages go to the sender (a leader sends before its own fsync). */
    default void sending(Ready rd) {
    }

    /** {@code rd}'s writes are in the log, synced when {@code synced} (a leader's own entries sync later). */
    default void written(Ready rd, boolean synced) {
    }

    /** A ReadIndex round (§6.4) went to the core; at most one is out at a time. */
    default void readIndexRequested() {
    }

    /** The core answered the round this driver has out, with its read index. */
    default void readIndexAnswered() {
    }

    /** The core ended catching up and that is durable: the owner may clear its record of the loss. */
    default void caughtUp() {
    }
}
