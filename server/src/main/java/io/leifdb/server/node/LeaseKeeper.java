package io.leifdb.server.node;

import io.leifdb.server.kv.Lease;
import io.leifdb.server.kv.LeaseTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The leader's lease deadlines, in memory only. The replicated lease table (grants, attached keys) comes from
 * the applied state; this class adds when each lease runs out, and says which leases to expire (the driver
 * then proposes an expiry entry, so every member deletes the same keys at the same index).
 *
 * <p>Rules: a lease's deadline starts a full TTL after this member first sees it as leader (its grant
 * applied, or its own leadership began), so a leader change never expires a lease early: the new leader
 * grants every lease at least a full TTL from its own start. A keep-alive resets the deadline to a full TTL
 * and is not logged, as in etcd: only the leader holds deadlines, and a new leader restarts them all anyway,
 * so a logged keep-alive would cost a log entry and an fsync on every member and protect nothing.
 *
 * <p>Time is the injected monotonic {@code nanos}, never read directly, so tests run in simulated time.
 * Thread-safe: the driver thread calls {@link #due}, request threads the rest.
 */
final class LeaseKeeper {
    /** An expiry proposed but not applied after this long (lost to a leader change) is proposed again. */
    static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final LongSupplier nanos;
    private final Supplier<LeaseTable> table;
    /** Lease id to the monotonic time it runs out; only while leading. */
    private final Map<Long, Long> deadlines = new HashMap<>();
    /** Lease id to when its expiry was proposed; such a lease takes no more keep-alives. */
    private final Map<Long, Long> expiring = new HashMap<>();
    /** The term this member leads in, 0 while it does not. */
    private long leadingTerm;
    private LeaseTable seen;

    LeaseKeeper(LongSupplier nanos, Supplier<LeaseTable> table) {
        this.nanos = nanos;
        this.table = table;
    }

    /**
     * Called on every tick with the term this member leads in (0 if it does not): the leases whose expiry to
     * propose now. A new term of leadership forgets every deadline and starts each lease's TTL afresh.
     */
    synchronized List<Long> due(long leaderTerm) {
        if (leaderTerm != leadingTerm) {
            deadlines.clear();
            expiring.clear();
            seen = null;
            leadingTerm = leaderTerm;
        }
        if (leaderTerm == 0) return List.of();
        long now = nanos.getAsLong();
        reconcile(now);
        List<Long> due = new ArrayList<>();
        for (Map.Entry<Long, Long> d : deadlines.entrySet()) {
            if (now - d.getValue() < 0) continue;
            Long proposed = expiring.get(d.getKey());
            if (proposed == null || now - proposed >= RETRY_NANOS) {
                expiring.put(d.getKey(), now);
                due.add(d.getKey());
            }
        }
        due.sort(null); // oldest lease first, so expiry order is the grant order among leases due together
        return due;
    }

    /**
     * Resets lease {@code id} to a full TTL; its TTL in milliseconds, or empty when the lease is unknown or its
     * expiry is already proposed. Call only on the leader, after a read barrier (so grants are applied here).
     */
    synchronized Optional<Lease> keepAlive(long id) {
        Optional<Lease> lease = table.get().get(id);
        if (lease.isEmpty() || expiring.containsKey(id)) return Optional.empty();
        if (leadingTerm != 0) {
            long now = nanos.getAsLong();
            reconcile(now);
            deadlines.put(id, now + TimeUnit.MILLISECONDS.toNanos(lease.get().ttlMillis()));
        }
        // Not yet leading by this keeper's count: the first tick as leader grants every lease a full TTL.
        return lease;
    }

    /** How many milliseconds lease {@code id} has left on this leader (its full TTL before the first tick). */
    synchronized long remainingMillis(Lease lease) {
        if (expiring.containsKey(lease.id())) return 0;
        if (leadingTerm == 0) return lease.ttlMillis();
        long now = nanos.getAsLong();
        reconcile(now);
        Long deadline = deadlines.get(lease.id());
        if (deadline == null) return lease.ttlMillis();
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - now));
    }

    /** Gives a full TTL to leases granted since the last look, and forgets revoked or expired ones. */
    private void reconcile(long now) {
        LeaseTable t = table.get();
        if (t == seen) return;
        for (Lease l : t.all()) {
            deadlines.computeIfAbsent(l.id(), id -> now + TimeUnit.MILLISECONDS.toNanos(l.ttlMillis()));
        }
        for (Iterator<Long> it = deadlines.keySet().iterator(); it.hasNext(); ) {
            long id = it.next();
            if (t.get(id).isEmpty()) {
                it.remove();
                expiring.remove(id);
            }
        }
        seen = t;
    }
}
