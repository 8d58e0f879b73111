package io.leifdb.raft;

import java.util.Map;

/**
 * A read-only view of the core for /health and /cluster. Peers are known only on a leader;
 * {@code dropped} counts the inbound messages refused since start, by reason; {@code catchingUp}
 * says this member lost acknowledged state and may not vote until a leader catches it up.
 */
public record Status(long id, Role role, long term, long leader, long commit, long applied, long lastIndex,
                     Map<Long, PeerStatus> peers, Map<DropReason, Long> dropped, boolean catchingUp) {
    public Status {
        dropped = Map.copyOf(dropped);
    }

    /** A member not catching up (what a driver reports before its core exists). */
    public Status(long id, Role role, long term, long leader, long commit, long applied, long lastIndex,
                  Map<Long, PeerStatus> peers, Map<DropReason, Long> dropped) {
        this(id, role, term, leader, commit, applied, lastIndex, peers, dropped, false);
    }

    /** A leader's view of one peer's replication progress. */
    public record PeerStatus(long match, long next, String state, long ticksSinceContact, boolean learner) {
    }
}
