package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The per-peer series follow joins, removals and moves. */
class PeerMetersTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final AtomicReference<Map<Long, String>> peers = new AtomicReference<>(Map.of(2L, "b:7002", 3L, "c:7003"));
    final PeerMeters meters = new PeerMeters(registry, peers::get, id -> id * 10.0, id -> id * 100.0);

    @Test
    void seriesAppearForJoinersAndGoForLeaversAndMovers() {
        meters.refresh();
        assertThat(tagged("leifdb.raft.peer.match.lag")).containsExactly("b:7002", "c:7003");
        assertThat(registry.get("leifdb.raft.peer.match.lag").tag("peer", "c:7003").gauge().value()).isEqualTo(30.0);
        assertThat(registry.get("leifdb.raft.peer.sent.bytes").tag("peer", "b:7002").functionCounter().count()).isEqualTo(200.0);

        peers.set(Map.of(3L, "c:8003", 4L, "d:7004")); // 2 removed, 3 moved to a new port, 4 joined
        meters.refresh();
        assertThat(tagged("leifdb.raft.peer.match.lag")).containsExactly("c:8003", "d:7004");
        assertThat(tagged("leifdb.raft.peer.sent.bytes")).containsExactly("c:8003", "d:7004");
        assertThat(registry.get("leifdb.raft.peer.match.lag").tag("peer", "d:7004").gauge().value()).isEqualTo(40.0);

        meters.refresh(); // nothing changed: nothing registered twice
        assertThat(registry.getMeters()).hasSize(4);
    }

    private TreeSet<String> tagged(String name) {
        TreeSet<String> out = new TreeSet<>();
        for (Meter m : registry.find(name).meters()) out.add(m.getId().getTag("peer"));
        return out;
    }

    @Test
    void theConfigurationDecidesWhoIsAPeer() {
        long self = io.leifdb.server.transport.NodeIds.idOf("a:7001");
        Members members = new Members(self, "a:7001", "a:8001", java.util.List.of("a:7001", "b:7002"),
                io.leifdb.server.kv.AddressBook.EMPTY, 50, 10);
        long other = io.leifdb.server.transport.NodeIds.idOf("b:7002");
        var conf = io.leifdb.raft.ConfState.of(java.util.Set.of(self, other), java.util.Set.of(99L));
        Map<Long, String> expected = new TreeMap<>(Map.of(other, "b:7002", 99L, "member-99"));
        assertThat(members.peersIn(conf)).isEqualTo(expected);
    }
}
