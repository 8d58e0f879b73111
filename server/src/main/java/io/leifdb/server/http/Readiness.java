package io.leifdb.server.http;

import java.util.Optional;

/**
 * Whether a member should receive client traffic (GET /readyz): it knows a leader, it has applied
 * nearly everything it knows to be committed, it is not catching up after losing its state, it is
 * not still joining, and it was not removed from the cluster.
 * Liveness (/livez) is only "the process serves"; /health keeps the original's always-200 shape.
 */
record Readiness(String reason, String message) {
    /**
     * Committed entries a ready member may still have to apply. The driver applies each iteration's
     * committed entries in one batch, so a healthy member trails by one batch (hundreds under heavy
     * load); more means it is replaying its log or catching up, and reads would wait behind it.
     */
    static final long MAX_APPLY_LAG = 1_000;

    /** Empty when ready; else why not, first reason first. */
    static Optional<Readiness> of(NodeStatus s) {
        if ("REMOVED".equals(s.role())) {
            return Optional.of(new Readiness("removed", "this member was removed from the cluster and takes no part"));
        }
        if ("JOINING".equals(s.role())) {
            return Optional.of(new Readiness("joining",
                    "this member is joining the cluster and has not yet applied the configuration that adds it"));
        }
        if (s.catchingUp()) {
            return Optional.of(new Readiness("catching_up",
                    "this member lost acknowledged state and is catching up from the leader"));
        }
        if (s.leaderId() == 0) {
            return Optional.of(new Readiness("no_leader", "no leader is known (election in progress?)"));
        }
        long lag = s.commit() - s.applied();
        if (lag > MAX_APPLY_LAG) {
            return Optional.of(new Readiness("apply_lag", "applied index " + s.applied() + " trails commit index "
                    + s.commit() + " by " + lag + " entries (more than " + MAX_APPLY_LAG + ")"));
        }
        return Optional.empty();
    }
}
