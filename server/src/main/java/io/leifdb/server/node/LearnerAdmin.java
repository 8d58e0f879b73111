package io.leifdb.server.node;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Role;
import io.leifdb.raft.Status;
import io.leifdb.server.http.ClusterAdmin.MemberAdded;
import io.leifdb.server.http.ClusterAdmin.MemberAddress;
import io.leifdb.server.http.ClusterAdmin.MemberPromoted;
import io.leifdb.server.http.RequestRefused.Kind;
import io.leifdb.server.kv.AddressBook;
import io.leifdb.server.kv.ApplyResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The leader's side of growing the cluster (issue 13): a learner is added at its addresses (the
 * address book entry first, through the log, so that every member can reach it once the change
 * lands), and promoted to voter by hand once it has caught up. One single-server change at a time
 * (thesis §4.1); the core has the last word on that.
 */
final class LearnerAdmin {
    /** A learner this many entries or fewer behind the leader's last index may become a voter. */
    static final long PROMOTE_MAX_LAG = 1_000;

    private final DriverLoop driver;
    private final StatusBoard board;
    private final Members members;
    private final long clusterId;

    LearnerAdmin(DriverLoop driver, StatusBoard board, Members members, long clusterId) {
        this.driver = driver;
        this.board = board;
        this.members = members;
        this.clusterId = clusterId;
    }

    CompletableFuture<MemberAdded> add(MemberAddress at) {
        Status s = board.status();
        if (s.role() != Role.LEADER) return CompletableFuture.failedFuture(board.notLeader());
        ConfState conf = board.conf();
        long id = at.id() == 0 ? MemberId.random() : at.id();
        Set<Long> all = new TreeSet<>(conf.voters());
        all.addAll(conf.learners());
        if (all.contains(id)) {
            if (sameAddress(members.raftAddressOf(id), at.raftAddress())
                    && sameAddress(members.httpAddressOf(id), at.httpAddress())) {
                return CompletableFuture.completedFuture(new MemberAdded(id, 0, clusterId, true, others(all, id)));
            }
            return MembershipAdmin.refused(Kind.CONFLICT, "id_in_use", "member " + id + " is already in the cluster"
                    + " at other addresses; a joining node draws a new id");
        }
        for (long other : all) {
            boolean raft = sameAddress(members.raftAddressOf(other), at.raftAddress());
            if (raft || sameAddress(members.httpAddressOf(other), at.httpAddress())) {
                return MembershipAdmin.refused(Kind.CONFLICT, "duplicate_address", "member " + other + " already listens at "
                        + (raft ? at.raftAddress() : at.httpAddress()) + "; if it is gone for good, remove it first"
                        + " (DELETE /cluster/members/" + other + ")");
            }
        }
        Optional<RuntimeException> recorded = record(id, new AddressBook.Addresses(at.raftAddress(), at.httpAddress()));
        if (recorded.isPresent()) return CompletableFuture.failedFuture(recorded.get());
        Set<Long> learners = new TreeSet<>(conf.learners());
        learners.add(id);
        return MembershipAdmin.change(driver, board, ConfState.of(conf.voters(), learners), "addition")
                .thenApply(index -> new MemberAdded(id, index, clusterId, false, others(all, id)));
    }

    CompletableFuture<MemberPromoted> promote(long id) {
        Status s = board.status();
        if (s.role() != Role.LEADER) return CompletableFuture.failedFuture(board.notLeader());
        ConfState conf = board.conf();
        if (conf.voters().contains(id)) {
            return MembershipAdmin.refused(Kind.CONFLICT, "already_voter", "member " + id + " is already a voter");
        }
        if (!conf.learners().contains(id)) {
            return MembershipAdmin.refused(Kind.NOT_FOUND, "not_a_member", "member " + id
                    + " is not in the cluster's configuration");
        }
        Status.PeerStatus p = s.peers().get(id);
        if (p == null || !members.live(s, id)) {
            return MembershipAdmin.refused(Kind.CONFLICT, "member_down", "learner " + id + " has not been heard from"
                    + " lately; a voter that cannot vote would weaken the quorum");
        }
        long lag = Math.max(0, s.lastIndex() - p.match());
        if (lag > PROMOTE_MAX_LAG) {
            return MembershipAdmin.refused(Kind.CONFLICT, "behind", "learner " + id + " is " + lag + " entries behind"
                    + " the leader (at most " + PROMOTE_MAX_LAG + " may be promoted); retry once it has caught up");
        }
        Set<Long> voters = new TreeSet<>(conf.voters());
        voters.add(id);
        Set<Long> learners = new TreeSet<>(conf.learners());
        learners.remove(id);
        return MembershipAdmin.change(driver, board, ConfState.of(voters, learners), "promotion")
                .thenApply(index -> new MemberPromoted(id, index));
    }

    /** Writes where {@code id} listens through the log and waits until this leader applied it. */
    private Optional<RuntimeException> record(long id, AddressBook.Addresses at) {
        CompletableFuture<ApplyResult.Outcome> applied = new CompletableFuture<>();
        driver.post(new DriverEvent.Propose(new AddressBook.Set(id, at).encode(), applied));
        try {
            applied.get(MembershipAdmin.WAIT_MS, TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of(MembershipAdmin.translate(e.getCause(), board::notLeader));
        } catch (TimeoutException e) {
            return Optional.of(new io.leifdb.server.http.RequestRefused(Kind.UNAVAILABLE, "not_committed",
                    "the new member's addresses did not commit within " + MembershipAdmin.WAIT_MS + " ms; retry"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(new IllegalStateException("interrupted"));
        }
    }

    /** Every member but {@code id}, with the addresses this leader knows: what a joiner dials. */
    private List<MemberAddress> others(Set<Long> all, long id) {
        List<MemberAddress> out = new ArrayList<>();
        for (long m : all) {
            if (m == id) continue;
            out.add(new MemberAddress(m, members.raftAddressOf(m).orElse(""), members.httpAddressOf(m).orElse("")));
        }
        return out;
    }

    static boolean sameAddress(Optional<String> known, String asked) {
        return known.isPresent() && known.get().strip().toLowerCase(Locale.ROOT).equals(asked.strip().toLowerCase(Locale.ROOT));
    }
}
