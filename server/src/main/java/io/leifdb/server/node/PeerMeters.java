package io.leifdb.server.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The per-peer series (match lag, bytes sent), kept in step with the membership: {@link #refresh}
 * adds series for members that joined, drops those of members that left, and re-tags a member that
 * moved to a new address. Called from one thread (NodeMetrics' refresher).
 */
final class PeerMeters {
    private final MeterRegistry registry;
    private final Supplier<Map<Long, String>> peers;
    private final ToDoubleFunction<Long> matchLag;
    private final LongToDoubleFunction sentBytes;
    private final Map<Long, Registered> current = new HashMap<>();

    private record Registered(String address, List<Meter> meters) {
    }

    /** {@code peers}: every other member of the configuration in force, by id, with its raft address. */
    PeerMeters(MeterRegistry registry, Supplier<Map<Long, String>> peers, ToDoubleFunction<Long> matchLag,
               LongToDoubleFunction sentBytes) {
        this.registry = registry;
        this.peers = peers;
        this.matchLag = matchLag;
        this.sentBytes = sentBytes;
    }

    void refresh() {
        Map<Long, String> now = peers.get();
        current.entrySet().removeIf(e -> {
            boolean stale = !e.getValue().address().equals(now.get(e.getKey()));
            if (stale) e.getValue().meters().forEach(registry::remove);
            return stale;
        });
        now.forEach((id, address) -> current.computeIfAbsent(id, x -> register(id, address)));
    }

    private Registered register(long id, String address) {
        Meter lag = Gauge.builder("leifdb.raft.peer.match.lag", () -> matchLag.applyAsDouble(id))
                .description("leader only: entries of the leader's log this peer has not acknowledged (last index - match)")
                .tag("peer", address).register(registry);
        Meter sent = FunctionCounter.builder("leifdb.raft.peer.sent.bytes", sentBytes, f -> f.applyAsDouble(id))
                .description("protobuf bytes of Raft messages written to this peer's stream")
                .tag("peer", address).register(registry);
        return new Registered(address, List.of(lag, sent));
    }
}
