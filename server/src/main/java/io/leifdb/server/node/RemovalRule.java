package io.leifdb.server.node;

import io.leifdb.raft.ConfState;
import io.leifdb.server.http.RequestRefused;
import io.leifdb.server.http.RequestRefused.Kind;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * When the leader refuses to remove a member, before proposing anything (issue 13). The core keeps
 * the rules of thesis §4.1 (one voter at a time, one change uncommitted, an entry of the leader's
 * term committed first); these are the operator's safety rails on top.
 */
final class RemovalRule {
    private RemovalRule() {
    }

    /**
     * Why removing {@code id} from {@code conf} is refused, or empty. {@code live} holds the members
     * the leader heard from within an election timeout (itself included); {@code force} waives only
     * the quorum check. Whether a voter change keeps coded values decodable is the core's rule
     * ({@code CodedVoterChange}): its refusal comes back as 409 {@code coded}.
     */
    static Optional<RequestRefused> check(ConfState conf, long id, Set<Long> live, boolean force) {
        if (!conf.voters().contains(id) && !conf.learners().contains(id)) {
            return refuse(Kind.NOT_FOUND, "not_a_member", "member " + id + " is not in the cluster's configuration");
        }
        if (!conf.voters().contains(id)) return Optional.empty(); // a learner never counts toward a quorum
        if (conf.voters().size() == 1) {
            return refuse(Kind.CONFLICT, "last_voter", "member " + id + " is the last voter; a cluster needs one");
        }
        long remaining = conf.voters().size() - 1;
        long liveRemaining = conf.voters().stream().filter(v -> v != id && live.contains(v)).count();
        long quorum = remaining / 2 + 1;
        if (liveRemaining < quorum && !force) {
            return refuse(Kind.CONFLICT, "quorum", "removing member " + id + " would leave " + remaining
                    + " voters of which " + liveRemaining + " are live, and a quorum needs " + quorum
                    + "; bring members back first, or add ?force=true to remove it anyway");
        }
        return Optional.empty();
    }

    /**
     * The live voter other than {@code self} with the longest log the leader knows of (its match
     * index), the lowest id among equals; 0 when there is none.
     */
    static long successor(ConfState conf, long self, Set<Long> live, Map<Long, Long> match) {
        long best = 0;
        long bestMatch = -1;
        for (long v : conf.voters()) {
            if (v == self || !live.contains(v)) continue;
            long m = match.getOrDefault(v, 0L);
            if (m > bestMatch) {
                best = v;
                bestMatch = m;
            }
        }
        return best;
    }

    private static Optional<RequestRefused> refuse(Kind kind, String code, String message) {
        return Optional.of(new RequestRefused(kind, code, message));
    }
}
