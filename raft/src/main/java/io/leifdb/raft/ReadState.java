package io.leifdb.raft;

/**
 * The answer to {@code readIndex(context)} (§6.4): once the local state machine has applied
 * {@code index}, a read issued with {@code context} may be served linearizably.
 */
public record ReadState(long context, long index) {
}
