package io.leifdb.server.http;

import java.util.concurrent.CompletableFuture;

/**
 * CRaft's coding parameters as cluster state (GET and PUT /cluster/coding). They live in the
 * replicated log, so every member reports the same values once applied; only the leader changes
 * them. Contract as {@link ClusterAdmin}: {@link #set} may block the caller up to the request
 * timeout; a follower fails it with {@link NotLeaderException} (307 to the leader), a change still
 * in flight with {@link RequestRefused} (409 {@code change_in_flight}); nothing changed then.
 */
public interface CodingAdmin {
    /**
     * What a member knows of the coding.
     *
     * @param on        the cluster codes at all
     * @param k         the largest k the leader may pick (N - F when not chosen)
     * @param threshold values with fewer bytes to code stay whole
     * @param recorded  false until a leader wrote the values into the log (they are then this member's variables)
     * @param voters    N, which bounds k: 1 <= k <= N - F
     * @param currentK  the k the leader codes new entries with now (1: full copies); on a follower the cluster's k
     * @param storedK   the distinct shares a stored value may need from the voters (k plus voters that may lack
     *                  one): N - F while coding is on; 1 once nothing is coded. A voter change is allowed while
     *                  storedK + added voters is at most the new majority (docs/craft.md)
     * @param index     the log index of the CONFIG entry that set them, after a change; 0 otherwise
     */
    record Coding(boolean on, int k, long threshold, boolean recorded, int voters, int currentK, int storedK,
                  long index) {
        /** F = floor((N - 1) / 2): the members the cluster may lose. */
        public int tolerated() {
            return (voters - 1) / 2;
        }

        /** The k the voters in force allow: k, but at most N - F (a k chosen for more voters), and at least 1. */
        public int kInForce() {
            return Math.max(1, Math.min(k, voters - tolerated()));
        }

        /** The parity shares of that code, N - k (0 with a single voter, or none known yet). */
        public int mInForce() {
            return Math.max(0, voters - kInForce());
        }
    }

    /**
     * CRaft repair as the leader's scrub last saw it (docs/craft.md, "Repair").
     *
     * @param belowFullRedundancy values the last complete pass found below full redundancy, less those repaired
     *                            (or overwritten) since
     * @param lastPassFound       what the last complete pass found
     * @param repaired            values re-encoded through the log since this member became leader
     * @param passFinishedMillis  when the last complete pass finished (epoch milliseconds)
     */
    record Repair(long belowFullRedundancy, long lastPassFound, long repaired, long passFinishedMillis) {
    }

    /** This member's view; must not block. */
    Coding get();

    /** The repair's figures; empty on a member that has not completed a scrub pass as the current leader. */
    default java.util.Optional<Repair> repair() {
        return java.util.Optional.empty();
    }

    /** Changes the parameters through the log (the leader only); completes once applied here with the new view. */
    CompletableFuture<Coding> set(boolean on, int k, long threshold);
}
