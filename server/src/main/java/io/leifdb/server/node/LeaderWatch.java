package io.leifdb.server.node;

import io.leifdb.server.http.RequestRefused;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Leadership transfers waiting to be seen done: each completes with the new leader's id once this
 * node knows another member leads, or fails after its deadline in ticks (the core abandons a
 * transfer after an election timeout, thesis §3.10, without telling anyone). Driver thread only.
 */
final class LeaderWatch {
    private record Waiter(CompletableFuture<Long> future, long deadline) {
    }

    private final long selfId;
    private final int timeoutTicks;
    private final long timeoutMillis;
    private final List<Waiter> waiters = new ArrayList<>();
    private long ticks;

    LeaderWatch(long selfId, int timeoutTicks, long tickMillis) {
        this.selfId = selfId;
        this.timeoutTicks = timeoutTicks;
        this.timeoutMillis = timeoutTicks * tickMillis;
    }

    void add(CompletableFuture<Long> newLeader) {
        waiters.add(new Waiter(newLeader, ticks + timeoutTicks));
    }

    /** The core's soft state names {@code leader} (0: none known). */
    void leaderIs(long leader) {
        if (leader == 0 || leader == selfId || waiters.isEmpty()) return;
        waiters.forEach(w -> w.future.complete(leader));
        waiters.clear();
    }

    void tick() {
        ticks++;
        waiters.removeIf(w -> {
            if (w.deadline > ticks) return false;
            w.future.completeExceptionally(new RequestRefused(RequestRefused.Kind.UNAVAILABLE,
                    "transfer_timeout", "leadership did not move within " + timeoutMillis
                            + " ms (the target may be behind or unreachable); this node still leads"));
            return true;
        });
    }

    void failAll(RuntimeException cause) {
        waiters.forEach(w -> w.future.completeExceptionally(cause));
        waiters.clear();
    }
}
