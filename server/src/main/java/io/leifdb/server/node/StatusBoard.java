package io.leifdb.server.node;

import io.leifdb.raft.Role;
import io.leifdb.raft.Status;
import io.leifdb.server.http.NotLeaderException;

import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The driver's latest view of the core, published for other threads (HTTP handlers, /cluster)
 * so they never touch the core. Written by the driver thread only.
 */
final class StatusBoard {
    private final LongFunction<Optional<String>> httpAddressOf;
    private volatile Status status;
    private volatile long applied;
    private volatile boolean codedReplication;

    StatusBoard(long selfId, LongFunction<Optional<String>> httpAddressOf) {
        this.httpAddressOf = httpAddressOf;
        this.status = new Status(selfId, Role.FOLLOWER, 0, 0, 0, 0, 0, java.util.Map.of(), java.util.Map.of());
    }

    void publish(Status s, long appliedIndex) {
        status = s;
        applied = appliedIndex;
    }

    /** CRaft: whether this node leads in coded mode now (see {@link io.leifdb.raft.RawNode#codedReplication}). */
    void publishCoded(boolean coded) {
        codedReplication = coded;
    }

    boolean codedReplication() {
        return codedReplication;
    }

    Status status() {
        return status;
    }

    long applied() {
        return applied;
    }

    long term() {
        return status.term();
    }

    boolean isLeader() {
        return status.role() == Role.LEADER;
    }

    Optional<String> leaderHttpAddress() {
        long leader = status.leader();
        if (leader == 0) return Optional.empty();
        return httpAddressOf.apply(leader);
    }

    NotLeaderException notLeader() {
        return new NotLeaderException(isLeader() ? Optional.empty() : leaderHttpAddress());
    }

}
