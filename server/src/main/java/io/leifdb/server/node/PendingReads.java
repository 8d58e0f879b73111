package io.leifdb.server.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Linearizable reads in flight (§6.4). All reads that arrive in one driver iteration share one
 * ReadIndex round; once the core answers with a read index, they wait until the state machine
 * has applied it. Owned by the driver thread only.
 */
final class PendingReads {
    private final Map<Long, List<CompletableFuture<Void>>> awaitingIndex = new HashMap<>();
    private final TreeMap<Long, List<CompletableFuture<Void>>> awaitingApply = new TreeMap<>();
    private long nextContext = 1;

    /** Registers a batch of reads and returns the context to pass to {@code readIndex}. */
    long register(List<CompletableFuture<Void>> batch) {
        long ctx = nextContext++;
        awaitingIndex.put(ctx, batch);
        return ctx;
    }

    void readIndexAnswered(long context, long index, long applied) {
        List<CompletableFuture<Void>> batch = awaitingIndex.remove(context);
        if (batch == null) return;
        if (applied >= index) {
            batch.forEach(f -> f.complete(null));
        } else {
            awaitingApply.computeIfAbsent(index, k -> new ArrayList<>()).addAll(batch);
        }
    }

    void appliedUpTo(long applied) {
        while (!awaitingApply.isEmpty() && awaitingApply.firstKey() <= applied) {
            awaitingApply.pollFirstEntry().getValue().forEach(f -> f.complete(null));
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
