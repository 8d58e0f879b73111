package io.leifdb.raft.driver;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Linearizable reads in flight (§6.4). At most one ReadIndex round is outstanding: reads that
 * arrive meanwhile join the next round, which starts as soon as the current one is answered, so
 * a heavy read load costs one heartbeat round per round trip rather than one per read. Once the
 * core answers with a read index, the round's reads wait until the state machine has applied it.
 * Completes each read with its read index. Owned by the driver's thread only.
 */
final class PendingReads {
    private final Map<Long, List<CompletableFuture<Long>>> awaitingIndex = new HashMap<>();
    private final TreeMap<Long, List<CompletableFuture<Long>>> awaitingApply = new TreeMap<>();
    private long nextContext;

    /**
     * Contexts are unique across this node's restarts: a leader's late answer to a read of an
     * earlier incarnation must never match a new read and serve it at an old index. Each process
     * therefore counts up from a random start in [1, 2^62] ({@link #randomFirstContext()}). (The leader numbers its own heartbeat
     * rounds, so contexts of different nodes may collide harmlessly.)
     */
    static long randomFirstContext() {
        return (new SecureRandom().nextLong() >>> 2) + 1;
    }

    PendingReads(long firstContext) {
        if (firstContext <= 0) throw new IllegalArgumentException("context 0 means no read: " + firstContext);
        this.nextContext = firstContext;
    }

    /** Registers a batch of reads and returns the context to pass to {@code readIndex}. */
    long register(List<CompletableFuture<Long>> batch) {
        long ctx = nextContext++;
        awaitingIndex.put(ctx, batch);
        return ctx;
    }

    /** The round could not start (no leader known): its reads fail and their callers retry. */
    void fail(long context, RuntimeException cause) {
        List<CompletableFuture<Long>> batch = awaitingIndex.remove(context);
        if (batch != null) batch.forEach(f -> f.completeExceptionally(cause));
    }

    /** Whether a round was started and is not yet answered. */
    boolean roundOutstanding() {
        return !awaitingIndex.isEmpty();
    }

    /** Returns whether {@code context} was a round of ours still waiting for its answer. */
    boolean readIndexAnswered(long context, long index, long applied) {
        List<CompletableFuture<Long>> batch = awaitingIndex.remove(context);
        if (batch == null) return false;
        if (applied >= index) {
            batch.forEach(f -> f.complete(index));
        } else {
            awaitingApply.computeIfAbsent(index, k -> new ArrayList<>()).addAll(batch);
        }
        return true;
    }

    void appliedUpTo(long applied) {
        while (!awaitingApply.isEmpty() && awaitingApply.firstKey() <= applied) {
            var done = awaitingApply.pollFirstEntry();
            done.getValue().forEach(f -> f.complete(done.getKey()));
        }
    }

    /** Leadership changed: rounds not yet answered will never be; their callers retry elsewhere. */
    void failUnanswered(RuntimeException cause) {
        awaitingIndex.values().forEach(b -> b.forEach(f -> f.completeExceptionally(cause)));
        awaitingIndex.clear();
    }

    void failAll(RuntimeException cause) {
        failUnanswered(cause);
        awaitingApply.values().forEach(b -> b.forEach(f -> f.completeExceptionally(cause)));
        awaitingApply.clear();
    }
}
