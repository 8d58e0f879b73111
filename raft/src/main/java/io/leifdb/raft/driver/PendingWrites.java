package io.leifdb.raft.driver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Client writes waiting for their log index to be applied. Owned by the driver's thread only.
 * A write is matched by (index, term): if a different entry is applied at its index, the
 * proposal was overwritten by a new leader and its outcome is reported as lost.
 */
final class PendingWrites<O> {
    record Waiter<O>(long term, CompletableFuture<O> future) {
    }

    private final Map<Long, Waiter<O>> byIndex = new HashMap<>();

    void add(long index, long term, CompletableFuture<O> future) {
        byIndex.put(index, new Waiter<>(term, future));
    }

    /** Called for every applied entry, in index order; {@code outcome} is null for entries that are not commands. */
    void applied(long index, long term, O outcome) {
        if (byIndex.isEmpty()) return;
        Waiter<O> w = byIndex.remove(index);
        if (w == null) return;
        if (w.term == term && outcome != null) {
            w.future.complete(outcome);
        } else if (w.term == term) {
            w.future.completeExceptionally(new OutcomeUnknownException("entry " + index + " was replayed, not applied now"));
        } else {
            w.future.completeExceptionally(new WriteLostException(index));
        }
    }

    /** After a snapshot install, every index up to {@code index} is settled without our knowing how. */
    void settledUpTo(long index) {
        List<Long> done = new ArrayList<>();
        for (var e : byIndex.entrySet()) {
            if (e.getKey() <= index) {
                e.getValue().future.completeExceptionally(new OutcomeUnknownException("superseded by a snapshot"));
                done.add(e.getKey());
            }
        }
        done.forEach(byIndex::remove);
    }

    void failAll(RuntimeException cause) {
        byIndex.values().forEach(w -> w.future.completeExceptionally(cause));
        byIndex.clear();
    }

    int size() {
        return byIndex.size();
    }
}
