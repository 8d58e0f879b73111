package io.leifdb.server.node;

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

    /** Each member as the core sees it; only a leader knows match indexes and contact times. */
    List<MemberStatus> describe(Status s) {
        List<MemberStatus> out = new ArrayList<>();
        boolean leader = s.role() == Role.LEADER;
        for (var e : raftAddresses.entrySet()) {
            long id = e.getKey();
            String role = id == selfId ? s.role().name() : id == s.leader() ? Role.LEADER.name() : "FOLLOWER";
            long match = -1;
            long sinceContact = -1;
            boolean up;
            Status.PeerStatus p = s.peers().get(id);
            if (id == selfId) {
                match = leader ? s.lastIndex() : -1;
                sinceContact = 0;
                up = true;
            } else if (leader && p != null) {
                match = p.match();
                sinceContact = p.ticksSinceContact() * tickMillis;
                up = p.ticksSinceContact() < electionTicks;
                if (p.learner()) role = Role.LEARNER.name();
            } else {
                up = connected.test(id);
            }
            out.add(new MemberStatus(id, e.getValue(), httpAddressOf(id).orElse(""), role, match, sinceContact, up));
        }
        return out;
    }
}
