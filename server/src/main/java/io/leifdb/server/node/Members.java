package io.leifdb.server.node;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Role;
import io.leifdb.raft.Status;
import io.leifdb.server.http.NodeStatus.MemberStatus;
import io.leifdb.server.transport.NodeIds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;

/** The configured members: ids derived from {@code host:raftport}, and their addresses. */
final class Members {
    private final long selfId;
    private final String selfHttp;
    private final Map<Long, String> raftAddresses = new LinkedHashMap<>();
    private final long tickMillis;
    private final int electionTicks;
    private LongFunction<Optional<String>> httpAddressOf = id -> Optional.empty();
    private LongPredicate connected = id -> false;

    Members(String self, String selfHttp, List<String> memberNodes, long tickMillis, int electionTicks) {
        this.selfId = NodeIds.idOf(self);
        this.selfHttp = selfHttp;
        this.tickMillis = tickMillis;
        this.electionTicks = electionTicks;
        for (String m : memberNodes) raftAddresses.put(NodeIds.idOf(m), m);
        raftAddresses.putIfAbsent(selfId, self);
    }

    long selfId() {
        return selfId;
    }

    java.util.Set<Long> ids() {
        return raftAddresses.keySet();
    }

    /** Raft addresses of everyone but us. */
    Map<Long, String> peers() {
        Map<Long, String> p = new LinkedHashMap<>(raftAddresses);
        p.remove(selfId);
        return p;
    }

    void httpAddresses(LongFunction<Optional<String>> lookup) {
        this.httpAddressOf = lookup;
    }

    /** How a non-leader judges a peer: is our stream to it up? */
    void connectivity(LongPredicate isConnected) {
        this.connected = isConnected;
    }

    Optional<String> httpAddressOf(long id) {
        return id == selfId ? Optional.of(selfHttp) : httpAddressOf.apply(id);
    }

    /**
     * Whether the leader heard from {@code id} within an election timeout; on a follower, whether our
     * stream to it is up. This node itself is always live.
     */
    boolean live(Status s, long id) {
        if (id == selfId) return true;
        Status.PeerStatus p = s.peers().get(id);
        if (s.role() == Role.LEADER && p != null) return p.ticksSinceContact() < electionTicks;
        return connected.test(id);
    }

    /**
     * Each member of the configuration in force, as the core sees it; only a leader knows match
     * indexes, lag and contact times. A member missing from LEIFDB_MEMBER_NODES has no known address.
     */
    List<MemberStatus> describe(Status s, ConfState conf) {
        List<MemberStatus> out = new ArrayList<>();
        boolean leader = s.role() == Role.LEADER;
        java.util.SortedSet<Long> ids = new java.util.TreeSet<>(conf.voters());
        ids.addAll(conf.learners());
        for (long id : ids) {
            boolean voter = conf.voters().contains(id);
            String role = !voter ? Role.LEARNER.name() : id == selfId ? s.role().name()
                    : id == s.leader() ? Role.LEADER.name() : Role.FOLLOWER.name();
            long match = -1;
            long lag = -1;
            long sinceContact = -1;
            Status.PeerStatus p = s.peers().get(id);
            if (leader && id == selfId) {
                match = s.lastIndex();
                lag = 0;
                sinceContact = 0;
            } else if (leader && p != null) {
                match = p.match();
                lag = Math.max(0, s.lastIndex() - p.match());
                sinceContact = p.ticksSinceContact() * tickMillis;
            }
            out.add(new MemberStatus(id, raftAddresses.getOrDefault(id, ""), httpAddressOf(id).orElse(""), role, voter,
                    match, lag, sinceContact, live(s, id)));
        }
        return out;
    }
}
