package io.leifdb.server.node;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Role;
import io.leifdb.raft.Status;
import io.leifdb.server.http.NotLeaderException;

import java.util.Optional;
import java.util.function.BooleanSupplier;
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
    private volatile int codedK = 1;
    /** The membership the core acts on (thesis §4.1: the latest CONFIG entry in its log, committed or not). */
    private volatile ConfState conf = ConfState.of(java.util.Set.of());

    /** Told of the membership and whom a leader replicates to, on the publishing (driver) thread: {@link PeerDialling}. */
    private final java.util.function.BiConsumer<ConfState, java.util.Set<Long>> peersListener;

    /** Whether this member has not yet applied a configuration that names it ({@link JoinMarker}). */
    private final BooleanSupplier joining;

    StatusBoard(long selfId, LongFunction<Optional<String>> httpAddressOf) {
        this(selfId, httpAddressOf, (c, p) -> { }, () -> false);
    }

    StatusBoard(long selfId, LongFunction<Optional<String>> httpAddressOf,
                java.util.function.BiConsumer<ConfState, java.util.Set<Long>> peersListener, BooleanSupplier joining) {
        this.httpAddressOf = httpAddressOf;
        this.peersListener = peersListener;
        this.joining = joining;
        this.status = new Status(selfId, Role.FOLLOWER, 0, 0, 0, 0, 0, java.util.Map.of(), java.util.Map.of());
    }

    void publish(Status s, long appliedIndex) {
        status = s;
        applied = appliedIndex;
        peersListener.accept(conf, s.peers().keySet());
    }

    /** CRaft: whether this node leads in coded mode now (see {@link io.leifdb.raft.RawNode#codedReplication}). */
    void publishCoded(boolean coded, int k) {
        codedReplication = coded;
        codedK = k;
    }

    void publishConf(ConfState c) {
        conf = c;
    }

    ConfState conf() {
        return conf;
    }

    /**
     * Whether a membership without this node is in force: it was removed and takes no part any more. A
     * joining member's log starts with memberships that predate it: those are not a removal.
     */
    boolean removed() {
        if (joining.getAsBoolean()) return false;
        ConfState c = conf;
        long self = status.id();
        return !c.voters().isEmpty() && !c.voters().contains(self) && !c.learners().contains(self);
    }

    /** Whether this member joined (LEIFDB_JOIN) and has not yet applied the configuration that adds it. */
    boolean joining() {
        return joining.getAsBoolean();
    }

    /** CRaft: the k this leader codes new entries with now (1: full copies). */
    int codedK() {
        return codedK;
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
