package io.leifdb.server.http;

import java.util.concurrent.CompletableFuture;

/**
 * Membership operations the HTTP API offers operators. The node implements it on the leader; a
 * follower fails each call with {@link NotLeaderException}, which the API turns into a 307 to the
 * leader (or a 503 when none is known), as for writes.
 *
 * <p>Contract: the calls may block the caller (a virtual thread per request) while they hand over
 * leadership, never longer than the request timeout. Refusals arrive as {@link RequestRefused}
 * (404, 409 or 503 with a code that says why); nothing changed then. Any other failure leaves the
 * outcome unknown (503).
 */
public interface ClusterAdmin {
    /** Leadership moved: {@code leader} leads now (its HTTP address when known), {@code previous} led before. */
    record LeaderChange(long leader, String leaderAddress, long previous) {
    }

    /** Member {@code id} is out of the configuration, whose CONFIG entry is at {@code index}. */
    record MemberRemoved(long id, long index) {
    }

    /** A member's id and where it listens. */
    record MemberAddress(long id, String raftAddress, String httpAddress) {
    }

    /**
     * Member {@code id} is a learner at the given addresses; {@code clusterId} and {@code members} (the
     * others, voters and learners) are what a joining node needs to start.
     */
    record MemberAdded(long id, long index, long clusterId, boolean alreadyMember, java.util.List<MemberAddress> members) {
    }

    /** Learner {@code id} is a voter, by the CONFIG entry at {@code index}. */
    record MemberPromoted(long id, long index) {
    }

    /**
     * Adds a learner listening at {@code at} (thesis §4.2.1: it catches up without counting toward any
     * quorum): its addresses go through the log first, then a single-server change adds it. {@code
     * at.id()} 0 draws a new random id. Repeating a request that already succeeded answers the same
     * (alreadyMember), so a joining node may retry safely. Refused: another member listens at one of
     * the addresses (409 {@code duplicate_address}), the id belongs to a member at other addresses.
     */
    CompletableFuture<MemberAdded> addLearner(MemberAddress at);

    /**
     * Makes learner {@code id} a voter by a single-server change; refused (409) when it is already a
     * voter, lags the leader's log by more than a small bound, has not been heard from lately, or when
     * another change is uncommitted; 404 when it is not a member.
     */
    CompletableFuture<MemberPromoted> promote(long id);

    /**
     * Hands leadership to voter {@code to}, or with 0 to the most up-to-date live voter (thesis §3.10);
     * completes once another member is known to lead. Asking the leader to take over itself is done at once.
     */
    CompletableFuture<LeaderChange> transferLeadership(long to);

    /**
     * Removes member {@code id} by a single-server change through the log (thesis §4.1); completes once
     * the change is committed and applied on the leader. {@code force} skips only the check that the
     * remaining live voters still make a quorum. Removing the leader itself first hands leadership over
     * and then fails with {@link NotLeaderException} naming the new leader, so the client repeats there.
     */
    CompletableFuture<MemberRemoved> removeMember(long id, boolean force);
}
