package io.leifdb.server.http;

import java.util.concurrent.CompletableFuture;

/**
 * Membership operations the HTTP API offers operators. The node implements it on the leader; a
 * follower fails each call with {@link NotLeaderException}, which the API turns into a 307 to the
 * leader (or a 503 when none is known), as for writes.
 *
 * <p>Contract: the calls may block the caller (a virtual thread per request) while they hand over
 * leadership, never longer than the request timeout. Refusals arrive as {@link MemberChangeRefused}
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
