package io.leifdb.server.node;

import io.leifdb.raft.CodingParams;
import io.leifdb.raft.ConfState;
import io.leifdb.raft.CraftPolicy;
import io.leifdb.raft.Role;
import io.leifdb.server.http.CodingAdmin;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The node's side of {@link CodingAdmin}: reads the parameters from the membership the driver last
 * published (they travel with it), and changes them by proposing the same membership with new
 * parameters, a CONFIG entry the core orders like any membership change.
 */
final class NodeCoding implements CodingAdmin {
    /** Below the HTTP layer's 5 s request timeout, as for membership changes. */
    private static final long WAIT_MS = 4_500;

    private final DriverLoop driver;
    private final StatusBoard board;
    private final CodingParams variables;
    private final Supplier<Optional<Repair>> repair;

    NodeCoding(DriverLoop driver, StatusBoard board, CraftPolicy policy, Supplier<Optional<Repair>> repair) {
        this.driver = driver;
        this.board = board;
        this.variables = policy.variables();
        this.repair = repair;
    }

    @Override
    public Optional<Repair> repair() {
        return repair.get();
    }

    @Override
    public Coding get() {
        return view(board.conf(), 0);
    }

    private Coding view(ConfState conf, long index) {
        CodingParams p = conf.coding() != null ? conf.coding() : variables;
        int n = conf.voters().size();
        int k = p.maxK(n);
        int current = board.status().role() == Role.LEADER ? board.codedK() : p.on() ? k : 1;
        int stored = conf.coding() == null ? 1 : conf.coding().storedKFor(n);
        return new Coding(p.on(), p.k() == 0 ? k : p.k(), p.minCodedBytes(), conf.coding() != null, n, current, stored,
                index);
    }

    /** Whether the cluster codes now: a leader reports what its core does, a follower the cluster's values. */
    boolean coded() {
        Coding c = get();
        return board.status().role() == Role.LEADER ? board.codedReplication() : c.on() && c.currentK() > 1;
    }

    @Override
    public CompletableFuture<Coding> set(boolean on, int k, long threshold) {
        if (board.status().role() != Role.LEADER) return CompletableFuture.failedFuture(board.notLeader());
        ConfState next = board.conf().withCoding(new CodingParams(on, k, (int) threshold));
        CompletableFuture<Long> applied = new CompletableFuture<>();
        driver.post(new DriverEvent.ChangeMembership(next, applied));
        try {
            long index = applied.get(WAIT_MS, TimeUnit.MILLISECONDS);
            return CompletableFuture.completedFuture(view(board.conf(), index));
        } catch (ExecutionException e) {
            return CompletableFuture.failedFuture(MembershipAdmin.translate(e.getCause(), board::notLeader));
        } catch (TimeoutException e) {
            return CompletableFuture.failedFuture(new io.leifdb.server.http.RequestRefused(
                    io.leifdb.server.http.RequestRefused.Kind.UNAVAILABLE, "not_committed",
                    "the change did not commit within " + WAIT_MS + " ms; it may still take effect: check GET /cluster/coding"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
    }
}
