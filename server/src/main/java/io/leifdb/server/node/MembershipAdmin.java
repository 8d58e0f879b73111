package io.leifdb.server.node;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.ProposalDroppedException;
import io.leifdb.raft.Role;
import io.leifdb.raft.Status;
import io.leifdb.raft.driver.WriteLostException;
import io.leifdb.server.http.ClusterAdmin;
import io.leifdb.server.http.RequestRefused;
import io.leifdb.server.http.RequestRefused.Kind;
import io.leifdb.server.http.NotLeaderException;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The leader's side of {@link ClusterAdmin}: checks a request against the membership and progress
 * the driver last published, then hands it to the driver and waits on the caller's virtual thread.
 * The core has the last word (a concurrent change is refused there), so a check passed here is
 * only a first filter.
 */
final class MembershipAdmin implements ClusterAdmin {
    /** Below the HTTP layer's 5 s request timeout, so a slow change fails here with a clear cause. */
    static final long WAIT_MS = 4_500;
    /** A leader elected a moment ago commits its no-op within a round trip; then a change may go. */
    private static final long TERM_COMMIT_POLL_MS = 50;

    private final DriverLoop driver;
    private final StatusBoard board;
    private final Members members;
    private final LearnerAdmin learners;

    MembershipAdmin(DriverLoop driver, StatusBoard board, Members members, long clusterId) {
        this.driver = driver;
        this.board = board;
        this.members = members;
        this.learners = new LearnerAdmin(driver, board, members, clusterId);
    }

    @Override
    public CompletableFuture<LeaderChange> transferLeadership(long to) {
        Status s = board.status();
        if (s.role() != Role.LEADER) return CompletableFuture.failedFuture(board.notLeader());
        ConfState conf = board.conf();
        long self = s.id();
        Set<Long> live = live(s, conf);
        if (to == 0) {
            to = RemovalRule.successor(conf, self, live, matches(s));
            if (to == 0) return refused(Kind.CONFLICT, "no_successor", "no other live voter can take over leadership");
        } else if (!conf.voters().contains(to) && !conf.learners().contains(to)) {
            return refused(Kind.NOT_FOUND, "not_a_member", "member " + to + " is not in the cluster's configuration");
        } else if (!conf.voters().contains(to)) {
            return refused(Kind.CONFLICT, "learner", "member " + to + " is a learner; only a voter can lead");
        } else if (to == self) {
            return CompletableFuture.completedFuture(new LeaderChange(self, address(self), self));
        } else if (!live.contains(to)) {
            return refused(Kind.CONFLICT, "member_down", "member " + to + " has not been heard from lately;"
                    + " it cannot take over now");
        }
        CompletableFuture<Long> newLeader = new CompletableFuture<>();
        driver.post(new DriverEvent.TransferLeadership(to, newLeader));
        return newLeader.thenApply(l -> new LeaderChange(l, address(l), self));
    }

    @Override
    public CompletableFuture<MemberRemoved> removeMember(long id, boolean force) {
        Status s = board.status();
        if (s.role() != Role.LEADER) return CompletableFuture.failedFuture(board.notLeader());
        ConfState conf = board.conf();
        Set<Long> live = live(s, conf);
        Optional<RequestRefused> no = RemovalRule.check(conf, id, live, force);
        if (no.isPresent()) return CompletableFuture.failedFuture(no.get());
        if (id == s.id()) return handOverFirst(s, conf, live);
        ConfState next = ConfState.of(without(conf.voters(), id), without(conf.learners(), id));
        return change(driver, board, next, "removal").thenApply(index -> new MemberRemoved(id, index));
    }

    /**
     * Proposes {@code next} and waits (on the caller's virtual thread) until it is applied on this
     * leader; a leader that has not committed an entry of its term yet is given a moment to do so.
     * {@code what} names the change in a timeout's message.
     */
    static CompletableFuture<Long> change(DriverLoop driver, StatusBoard board, ConfState next, String what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (true) {
            CompletableFuture<Long> applied = new CompletableFuture<>();
            driver.post(new DriverEvent.ChangeMembership(next, applied));
            try {
                long left = deadline - System.nanoTime();
                return CompletableFuture.completedFuture(applied.get(left, TimeUnit.NANOSECONDS));
            } catch (ExecutionException e) {
                if (waitForTermCommit(e.getCause(), deadline)) continue;
                return CompletableFuture.failedFuture(translate(e.getCause(), board::notLeader));
            } catch (TimeoutException e) {
                return refused(Kind.UNAVAILABLE, "not_committed", "the " + what + " did not commit within " + WAIT_MS
                        + " ms; it may still take effect: check GET /cluster/members");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CompletableFuture.failedFuture(e);
            }
        }
    }

    /**
     * Removing the leader: hand leadership to the best live voter first (thesis §3.10), then send the
     * client to the new leader, which removes this member like any follower. Clients of the key-value
     * API see at most the usual 503 or 307 during the handover.
     */
    private CompletableFuture<MemberRemoved> handOverFirst(Status s, ConfState conf, Set<Long> live) {
        long next = RemovalRule.successor(conf, s.id(), live, matches(s));
        if (next == 0) {
            return refused(Kind.CONFLICT, "no_successor", "the leader cannot remove itself: no other live voter"
                    + " can take over leadership");
        }
        try {
            LeaderChange moved = transferLeadership(next).get(WAIT_MS, TimeUnit.MILLISECONDS);
            if (moved.leaderAddress().isEmpty()) {
                return refused(Kind.UNAVAILABLE, "handed_over", "leadership moved to member " + moved.leader()
                        + "; repeat the request there");
            }
            return CompletableFuture.failedFuture(new NotLeaderException(Optional.of(moved.leaderAddress())));
        } catch (ExecutionException e) {
            return CompletableFuture.failedFuture(e.getCause());
        } catch (TimeoutException e) {
            return refused(Kind.UNAVAILABLE, "transfer_timeout", "leadership did not move within " + WAIT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A new leader may not change the membership before its term's first commit: wait for it, briefly. */
    private static boolean waitForTermCommit(Throwable cause, long deadline) {
        if (!(cause instanceof ProposalDroppedException d) || d.reason() != ProposalDroppedException.Reason.TERM_NOT_COMMITTED
                || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TERM_COMMIT_POLL_MS) > deadline) {
            return false;
        }
        try {
            Thread.sleep(TERM_COMMIT_POLL_MS); // a virtual thread: parks, holds nothing
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The core's refusal, in the API's words. */
    static RuntimeException translate(Throwable cause, Supplier<NotLeaderException> notLeader) {
        return switch (cause) {
            case ProposalDroppedException d -> switch (d.reason()) {
                case NOT_LEADER -> notLeader.get();
                case CHANGE_PENDING -> new RequestRefused(Kind.CONFLICT, "change_in_flight",
                        "another membership change is still uncommitted; retry once it has committed");
                case CODED -> new RequestRefused(Kind.CONFLICT, "coded", d.getMessage() + "; ?codingOffFirst=true"
                        + " (leifdb member remove|promote --coding-off-first) takes these steps for you");
                case TRANSFERRING -> new RequestRefused(Kind.UNAVAILABLE, "transferring",
                        "a leadership transfer is in progress; retry shortly");
                case TERM_NOT_COMMITTED, RECOVERING -> new RequestRefused(Kind.UNAVAILABLE, "new_leader",
                        "the leader was just elected and cannot change the membership yet; retry shortly");
            };
            case IllegalArgumentException a -> new RequestRefused(Kind.CONFLICT, "invalid_change", a.getMessage());
            case WriteLostException w -> new RequestRefused(Kind.UNAVAILABLE, "lost",
                    "a leader change overwrote the removal before it committed; check GET /cluster/members and retry");
            case RuntimeException r -> r;
            default -> new IllegalStateException(cause);
        };
    }

    @Override
    public CompletableFuture<MemberAdded> addLearner(MemberAddress at) {
        return learners.add(at);
    }

    @Override
    public CompletableFuture<MemberPromoted> promote(long id) {
        return learners.promote(id);
    }

    /**
     * The voters heard from within an election timeout. A leader elected a moment ago has heard from
     * no one yet, so while some voter looks down this waits up to one election timeout for its reply.
     */
    private Set<Long> live(Status s, ConfState conf) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(members.electionTimeoutMillis());
        while (true) {
            Set<Long> live = new HashSet<>();
            for (long v : conf.voters()) if (members.live(s, v)) live.add(v);
            if (live.size() == conf.voters().size() || System.nanoTime() > deadline) return live;
            try {
                Thread.sleep(members.tickMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return live;
            }
            s = board.status();
        }
    }

    private static Map<Long, Long> matches(Status s) {
        Map<Long, Long> m = new HashMap<>();
        s.peers().forEach((id, p) -> m.put(id, p.match()));
        return m;
    }

    private String address(long id) {
        return members.httpAddressOf(id).orElse("");
    }

    private static Set<Long> without(Set<Long> ids, long id) {
        Set<Long> out = new TreeSet<>(ids);
        out.remove(id);
        return out;
    }

    static <T> CompletableFuture<T> refused(Kind kind, String code, String message) {
        return CompletableFuture.failedFuture(new RequestRefused(kind, code, message));
    }
}
