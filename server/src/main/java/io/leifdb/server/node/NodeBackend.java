package io.leifdb.server.node;

import io.leifdb.raft.Role;
import io.leifdb.raft.Status;
import io.leifdb.server.http.Backup;
import io.leifdb.server.http.ClusterAdmin;
import io.leifdb.server.http.KvBackend;
import io.leifdb.server.http.NodeStatus;
import io.leifdb.server.http.PreconditionFailedException;
import io.leifdb.server.http.RequestDeadlines;
import io.leifdb.server.http.WriteOutcome;
import io.leifdb.server.kv.ApplyResult;
import io.leifdb.server.kv.Command;
import io.leifdb.server.kv.KeyPage;
import io.leifdb.server.kv.KeyValue;
import io.leifdb.server.http.ValueStream;
import io.leifdb.server.kv.KvStore;
import io.leifdb.server.kv.Precondition;
import io.leifdb.server.kv.Txn;
import io.leifdb.server.kv.TxnResult;
import io.leifdb.server.kv.Watcher;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The node as the HTTP API sees it. Writes are proposed through the driver and complete once
 * applied; linearizable reads wait for a ReadIndex barrier (§6.4) and then read RocksDB on the
 * caller's thread, so reads scale with HTTP threads rather than queueing behind the driver.
 */
final class NodeBackend implements KvBackend {
    /** Below the HTTP layer's 5 s request timeout, so the read fails here with a clear cause. */
    private static final long BARRIER_TIMEOUT_MS = 4_500;

    private final DriverLoop driver;
    private final StatusBoard board;
    private final KvStore kv;
    private final Members members;
    private final String version;
    /** CRaft's coding parameters, the cluster's (GET and PUT /cluster/coding). */
    private final NodeCoding coding;
    private final FragmentGatherer gatherer;
    private final NodeBackups backups;
    private final MembershipAdmin admin;
    private final NodeAuth auth;
    private final NodeLeases leases;

    NodeBackend(DriverLoop driver, StatusBoard board, KvStore kv, Members members, String version, NodeCoding coding,
                FragmentGatherer gatherer, NodeBackups backups, NodeAuth auth, long clusterId, LeaseKeeper keeper) {
        this.driver = driver;
        this.board = board;
        this.kv = kv;
        this.members = members;
        this.version = version;
        this.coding = coding;
        this.gatherer = gatherer;
        this.backups = backups;
        // The core refuses voter changes while the cluster codes (its recorded parameters, not this member's variables).
        this.admin = new MembershipAdmin(driver, board, members, clusterId);
        this.auth = auth;
        this.leases = new NodeLeases(board, kv, keeper, this::propose, this::awaitBarrier);
    }

    @Override
    public CompletableFuture<WriteOutcome> put(String key, byte[] value, Precondition pre) {
        return write(new Command.Put(key, value, pre));
    }

    @Override
    public CompletableFuture<WriteOutcome> delete(String key, Precondition pre) {
        return write(new Command.Delete(key, pre));
    }

    private CompletableFuture<WriteOutcome> write(Command c) {
        return propose(c.encode()).thenApply(NodeBackend::outcome);
    }

    @Override
    public CompletableFuture<TxnResult> txn(Txn txn) {
        return propose(txn.encode()).thenApply(o -> switch (o) {
            case ApplyResult.TxnApplied t -> t.result();
            // Coding turned on between the handler's check and the apply: every member refused it alike.
            case ApplyResult.Rejected r -> throw new io.leifdb.server.http.RequestRefused(
                    io.leifdb.server.http.RequestRefused.Kind.CONFLICT, "txn_unsupported_coded", r.reason());
            default -> throw new IllegalStateException("a transaction applied as " + o);
        }).thenCompose(this::wholeGets);
    }

    /** A get of a value this member holds as a fragment (coded before coding was turned off) gathers it whole. */
    private CompletableFuture<TxnResult> wholeGets(TxnResult r) {
        List<CompletableFuture<TxnResult.OpResult>> ops = new java.util.ArrayList<>();
        for (TxnResult.OpResult op : r.results()) {
            if (op instanceof TxnResult.GetResult g && g.found().isPresent() && g.found().get().coded() != null) {
                ops.add(gatherer.whole(g.found().get()).thenApply(kv -> new TxnResult.GetResult(g.key(), Optional.of(kv))));
            } else {
                ops.add(CompletableFuture.completedFuture(op));
            }
        }
        return CompletableFuture.allOf(ops.toArray(CompletableFuture[]::new)).thenApply(v ->
                new TxnResult(r.succeeded(), r.revision(), ops.stream().map(CompletableFuture::join).toList()));
    }

    @Override
    public Watcher watch(String key, String prefix, long afterRevision) {
        return kv.watch(key, prefix, afterRevision);
    }

    @Override
    public boolean valuesCoded() {
        io.leifdb.server.http.CodingAdmin.Coding c = coding.get(); // the cluster's recorded switch, whatever k the leader picks right now
        return c.on() || c.storedK() > 1; // the same test the apply makes (KeyApply.valuesMayBeCoded)
    }

    private CompletableFuture<ApplyResult.Outcome> propose(byte[] entry) {
        if (!board.isLeader()) return CompletableFuture.failedFuture(board.notLeader());
        CompletableFuture<ApplyResult.Outcome> applied = new CompletableFuture<>();
        driver.post(new DriverEvent.Propose(entry, applied));
        // No timer per request: the HTTP layer bounds its wait and answers 503 on time-out.
        return applied;
    }

    private static WriteOutcome outcome(ApplyResult.Outcome o) {
        return switch (o) {
            case ApplyResult.Applied a -> new WriteOutcome(a.revision());
            case ApplyResult.PreconditionFailed f -> throw new PreconditionFailedException(f.currentRevision());
            case ApplyResult.Rejected r -> throw new IllegalStateException("rejected: " + r.reason());
            case ApplyResult.Refused r -> throw new IllegalStateException("refused: " + r.reason());
            case ApplyResult.TxnApplied t -> throw new IllegalStateException("a key command applied as a transaction");
        };
    }

    @Override
    public CompletableFuture<Optional<KeyValue>> get(String key, boolean linearizable) {
        return read(key, linearizable, gatherer::whole);
    }

    @Override
    public CompletableFuture<Optional<ValueStream>> getStream(String key, boolean linearizable, boolean asText) {
        return read(key, linearizable, v -> gatherer.stream(v, asText));
    }

    /** A local read of {@code key}, its value made whole (or streamable) by {@code gather} when it is a fragment. */
    private <T> CompletableFuture<Optional<T>> read(String key, boolean linearizable,
                                                   Function<KeyValue, CompletableFuture<T>> gather) {
        if (linearizable) {
            Optional<Throwable> failed = awaitBarrier();
            if (failed.isPresent()) return CompletableFuture.failedFuture(failed.get());
        }
        // Read on the caller's (virtual) thread: no hand-off, and the driver never waits on RocksDB.
        Optional<KeyValue> found = kv.get(key);
        if (found.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
        return gather.apply(found.get()).thenApply(Optional::of);
    }

    @Override
    public CompletableFuture<KeyPage> list(String prefix, String delimiter, String after, int limit, long maxValueBytes,
                                        boolean linearizable) {
        if (linearizable) {
            Optional<Throwable> failed = awaitBarrier();
            if (failed.isPresent()) return CompletableFuture.failedFuture(failed.get());
        }
        // Keys only: the HTTP layer fetches each value (CRaft: gathers it) as it streams the page.
        return CompletableFuture.completedFuture(kv.listKeys(prefix, delimiter, after, limit, maxValueBytes));
    }

    @Override
    public CompletableFuture<Long> count(String prefix, String delimiter, boolean linearizable) {
        if (linearizable) {
            Optional<Throwable> failed = awaitBarrier();
            if (failed.isPresent()) return CompletableFuture.failedFuture(failed.get());
        }
        return CompletableFuture.completedFuture(kv.countKeys(prefix, delimiter));
    }

    @Override
    public CompletableFuture<Backup> backup() {
        // The barrier makes this node hold every write acknowledged before the call, leader or not.
        Optional<Throwable> failed = awaitBarrier();
        if (failed.isPresent()) return CompletableFuture.failedFuture(failed.get());
        try {
            return CompletableFuture.completedFuture(backups.take());
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Blocks the calling (virtual) thread until a linearizable read may be served locally (§6.4),
     * for at most the request timeout; returns the failure if it may not.
     */
    private Optional<Throwable> awaitBarrier() {
        CompletableFuture<Long> ready = new CompletableFuture<>();
        driver.post(new DriverEvent.ReadBarrier(ready));
        try {
            RequestDeadlines.get(ready, TimeUnit.MILLISECONDS.toNanos(BARRIER_TIMEOUT_MS)); // no timer per read
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of(e.getCause());
        } catch (TimeoutException e) {
            return Optional.of(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(e);
        }
    }

    @Override
    public NodeLeases leases() {
        return leases;
    }

    @Override
    public NodeAuth auth() {
        return auth;
    }

    @Override
    public NodeStatus status() {
        Status s = board.status();
        // A removed member keeps running but takes no part, a joining one takes none yet: say so rather than "FOLLOWER".
        String role = board.removed() ? "REMOVED" : board.joining() ? "JOINING" : s.role().name();
        return new NodeStatus(s.id(), role, s.term(), s.leader(), board.leaderHttpAddress(), s.commit(),
                board.applied(), version, members.describe(s, board.conf()), coding.coded() ? "coded" : "full",
                coding.coded() ? coding.get().currentK() : 1,
                s.catchingUp());
    }

    @Override
    public boolean removed() {
        return board.removed();
    }

    @Override
    public boolean joining() {
        return board.joining();
    }

    @Override
    public ClusterAdmin admin() {
        return admin;
    }

    @Override
    public NodeCoding coding() {
        return coding;
    }

}
