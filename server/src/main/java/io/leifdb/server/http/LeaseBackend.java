package io.leifdb.server.http;

import io.leifdb.server.kv.Lease;
import io.leifdb.server.kv.Precondition;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Leases as the HTTP API needs them. Every call is the leader's: on a follower it fails with
 * {@link NotLeaderException} (a 307), because only the leader knows how long a lease has left. Grants,
 * lease puts and revokes go through the log and complete once applied; a keep-alive is the leader's alone
 * and is never logged. A call naming a lease that is gone fails with {@link RequestRefused} (404); one past a
 * limit with {@link RequestRefused} (409). Calls may block the calling (virtual) thread on a read barrier.
 */
public interface LeaseBackend {
    /** A backend without leases: every call is refused. */
    LeaseBackend NONE = new LeaseBackend() {
        private <T> CompletableFuture<T> refuse() {
            return CompletableFuture.failedFuture(new RequestRefused(RequestRefused.Kind.UNAVAILABLE, "leases_unavailable",
                    "this backend keeps no leases"));
        }

        public CompletableFuture<Lease> grant(long ttlMillis) {
            return refuse();
        }

        public CompletableFuture<WriteOutcome> put(String key, byte[] value, Precondition pre, long leaseId,
                                                   long grantTtlMillis) {
            return refuse();
        }

        public CompletableFuture<Lease> keepAlive(long id) {
            return refuse();
        }

        public CompletableFuture<Lease> revoke(long id) {
            return refuse();
        }

        public CompletableFuture<LeaseStatus> get(long id) {
            return refuse();
        }

        public CompletableFuture<List<LeaseStatus>> list() {
            return refuse();
        }
    };

    /** A lease and how long it has left on the leader. */
    record LeaseStatus(Lease lease, long remainingMillis) {
    }

    /** A new lease of {@code ttlMillis} with no keys yet; its id is the grant's revision. */
    CompletableFuture<Lease> grant(long ttlMillis);

    /**
     * Sets {@code key} if {@code pre} holds and attaches it to lease {@code leaseId}, or, when
     * {@code grantTtlMillis > 0}, to a new lease of that TTL whose id is the write's revision.
     */
    CompletableFuture<WriteOutcome> put(String key, byte[] value, Precondition pre, long leaseId, long grantTtlMillis);

    /** Resets lease {@code id} to its full TTL; completes with the lease. */
    CompletableFuture<Lease> keepAlive(long id);

    /** Ends lease {@code id} and deletes its keys; completes with the lease as it was. */
    CompletableFuture<Lease> revoke(long id);

    /** Lease {@code id} as of now. */
    CompletableFuture<LeaseStatus> get(long id);

    /** Every lease, by id. */
    CompletableFuture<List<LeaseStatus>> list();
}
