package io.leifdb.server.http;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A node's view of itself and the cluster, for /health and /cluster.
 *
 * @param id          this node's Raft id
 * @param role        this node's role, e.g. "LEADER", "FOLLOWER", "CANDIDATE", "LEARNER"
 * @param leaderId    the leader's id, 0 when none is known
 * @param replication "full" (plain Raft copies) or "coded" (CRaft fragments)
 * @param k           the Reed-Solomon data-fragment count in coded mode, 1 in full mode
 * @param catchingUp  this node lost acknowledged state (an emptied data directory) and does not vote
 *                    until a leader has caught it up
 */
public record NodeStatus(long id, String role, long term, long leaderId, Optional<String> leaderHttpAddress,
                         long commit, long applied, String version, List<MemberStatus> members,
                         String replication, int k, boolean catchingUp) {
    public NodeStatus {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(leaderHttpAddress, "leaderHttpAddress");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(replication, "replication");
        members = List.copyOf(members);
    }

    /**
     * One member as this node sees it. {@code matchIndex} and {@code msSinceLastContact} are the
     * leader's progress data; other nodes report -1 where they do not know.
     */
    public record MemberStatus(long id, String raftAddress, String httpAddress, String role, long matchIndex,
                               long msSinceLastContact, boolean up) {
        public MemberStatus {
            Objects.requireNonNull(raftAddress, "raftAddress");
            Objects.requireNonNull(httpAddress, "httpAddress");
            Objects.requireNonNull(role, "role");
        }
    }
}
