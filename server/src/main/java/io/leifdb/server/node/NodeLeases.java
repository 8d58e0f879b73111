package io.leifdb.server.node;

import io.leifdb.server.http.LeaseBackend;
import io.leifdb.server.http.RequestRefused;
import io.leifdb.server.http.PreconditionFailedException;
import io.leifdb.server.http.WriteOutcome;
import io.leifdb.server.kv.ApplyResult;
import io.leifdb.server.kv.KvStore;
import io.leifdb.server.kv.Lease;
import io.leifdb.server.kv.LeaseCommand;
import io.leifdb.server.kv.Precondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The node's leases for the HTTP API: grants, lease puts and revokes are proposed as {@link LeaseCommand}s
 * and complete once applied; keep-alives and reads are the leader's, after a read barrier (§6.4) so that
 * every grant acknowledged before the call is applied here and this member still leads.
 */
final class NodeLeases implements LeaseBackend {
    private final StatusBoard board;
    private final KvStore kv;
    private final LeaseKeeper keeper;
    private final Function<byte[], CompletableFuture<ApplyResult.Outcome>> propose;
    private final Supplier<Optional<Throwable>> barrier;

    NodeLeases(StatusBoard board, KvStore kv, LeaseKeeper keeper,
               Function<byte[], CompletableFuture<ApplyResult.Outcome>> propose, Supplier<Optional<Throwable>> barrier) {
        this.board = board;
        this.kv = kv;
        this.keeper = keeper;
        this.propose = propose;
        this.barrier = barrier;
    }

    @Override
    public CompletableFuture<Lease> grant(long ttlMillis) {
        return propose.apply(new LeaseCommand.Grant(ttlMillis).encode())
                .thenApply(o -> new Lease(applied(o).revision(), ttlMillis, List.of()));
    }

    @Override
    public CompletableFuture<WriteOutcome> put(String key, byte[] value, Precondition pre, long leaseId,
                                               long grantTtlMillis) {
        return propose.apply(new LeaseCommand.Put(key, value, pre, leaseId, grantTtlMillis).encode())
                .thenApply(o -> new WriteOutcome(applied(o).revision()));
    }

    @Override
    public CompletableFuture<Lease> keepAlive(long id) {
        return leaderRead().thenApply(ok -> keeper.keepAlive(id).orElseThrow(() -> notFound(id)));
    }

    @Override
    public CompletableFuture<Lease> revoke(long id) {
        Optional<Lease> before = kv.leases().get(id);
        return propose.apply(new LeaseCommand.Revoke(id).encode()).thenApply(o -> {
            applied(o); // a lease gone by the time the revoke applied is a 404 here
            // Granted after the read above (the revoke raced its grant): its keys were attached after the read too.
            return before.orElseGet(() -> new Lease(id, 1, List.of()));
        });
    }

    @Override
    public CompletableFuture<LeaseStatus> get(long id) {
        return leaderRead().thenApply(ok -> {
            Lease l = kv.leases().get(id).orElseThrow(() -> notFound(id));
            return new LeaseStatus(l, keeper.remainingMillis(l));
        });
    }

    @Override
    public CompletableFuture<List<LeaseStatus>> list() {
        return leaderRead().thenApply(ok -> {
            List<LeaseStatus> out = new ArrayList<>();
            for (Lease l : kv.leases().all()) out.add(new LeaseStatus(l, keeper.remainingMillis(l)));
            return out;
        });
    }

    /** Only the leader knows deadlines: a follower redirects; the leader first passes a read barrier. */
    private CompletableFuture<Boolean> leaderRead() {
        if (!board.isLeader()) return CompletableFuture.failedFuture(board.notLeader());
        Optional<Throwable> failed = barrier.get();
        if (failed.isPresent()) return CompletableFuture.failedFuture(failed.get());
        return CompletableFuture.completedFuture(true);
    }

    private static ApplyResult.Applied applied(ApplyResult.Outcome o) {
        return switch (o) {
            case ApplyResult.Applied a -> a;
            case ApplyResult.PreconditionFailed f -> throw new PreconditionFailedException(f.currentRevision());
            case ApplyResult.Refused r -> throw new RequestRefused(r.code().equals("lease_not_found")
                    ? RequestRefused.Kind.NOT_FOUND : RequestRefused.Kind.CONFLICT, r.code(), r.reason());
            case ApplyResult.Rejected r -> throw new IllegalStateException("rejected: " + r.reason());
            case ApplyResult.TxnApplied t -> throw new IllegalStateException("a lease command applied as a transaction");
        };
    }

    private static RequestRefused notFound(long id) {
        return new RequestRefused(RequestRefused.Kind.NOT_FOUND, "lease_not_found",
                "lease " + id + " does not exist (expired or revoked?)");
    }
}
