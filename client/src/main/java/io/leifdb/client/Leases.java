package io.leifdb.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Leases: keys that live while their owner keeps the lease alive. Every call goes to the leader, which
 * alone keeps the deadlines. A keep-alive only resets a deadline, so it is repeated like a read; a grant
 * or a revoke is a write whose lost answer is an {@link OutcomeUnknownException} (an unused lease expires
 * by itself after its TTL).
 */
public final class Leases {
    /** A lease as the leader sees it: {@code keys} when asked for one lease, else empty (see {@code keyCount}). */
    public record Lease(long id, Duration ttl, Duration remaining, long keyCount, List<String> keys) {
    }

    private final LeifClient client;

    Leases(LeifClient client) {
        this.client = client;
    }

    /** Grants a lease of {@code ttl} (1 s to 24 h, whole seconds or to the millisecond). */
    public Lease grant(Duration ttl) {
        return lease(client.json("POST", "/leases", Answers.MAPPER.valueToTree(Map.of("ttl", ttl.toMillis() / 1000.0)),
                Transport.Target.LEADER));
    }

    /** Resets the lease to its full TTL; a lease that expired or was revoked is a {@link LeifException} 404. */
    public Lease keepAlive(long id) {
        return lease(Answers.ok(client.send(new Transport.Call("POST", "/leases/" + id + "/keepalive", null, null, Map.of(),
                RetryRule.Kind.READ, Transport.Target.LEADER))));
    }

    /** Revokes the lease: its keys are deleted at once. Returns the keys it held. */
    public List<String> revoke(long id) {
        return strings(client.json("DELETE", "/leases/" + id, null, Transport.Target.LEADER).path("keys"));
    }

    /** The lease with its keys, or empty when there is none by that id (expired, revoked or never granted). */
    public Optional<Lease> get(long id) {
        try {
            return Optional.of(lease(client.json("GET", "/leases/" + id, null, Transport.Target.LEADER)));
        } catch (LeifException e) {
            if (e.status() == 404) return Optional.empty();
            throw e;
        }
    }

    /** Every lease (needs the root role when auth is on). */
    public List<Lease> list() {
        List<Lease> out = new ArrayList<>();
        for (JsonNode l : client.json("GET", "/leases", null, Transport.Target.LEADER).path("leases")) out.add(lease(l));
        return out;
    }

    /** Writes the key attached to lease {@code id}: it is deleted when the lease ends. Returns the revision. */
    public long put(String key, String value, long id) {
        return client.json("PUT", Paths.key(key) + "?lease=" + id, Answers.MAPPER.valueToTree(Map.of("value", value)),
                Transport.Target.LEADER).path("revision").asLong();
    }

    /**
     * Keeps the lease alive until {@link KeepAlive#close()}: renews at a third of its TTL on a virtual thread,
     * and retries a failed renewal until the lease's deadline. {@code onLost} hears once why it ended
     * otherwise: the lease is gone (404), or no renewal got through before the deadline.
     */
    public KeepAlive keepAliveForever(long id, java.util.function.Consumer<LeifException> onLost) {
        return KeepAlive.start(this, id, onLost);
    }

    static Lease lease(JsonNode n) {
        return new Lease(n.path("id").asLong(), millis(n.path("ttl")), millis(n.path("remaining")),
                n.has("keys") ? n.path("keys").size() : n.path("keyCount").asLong(), strings(n.path("keys")));
    }

    private static Duration millis(JsonNode seconds) {
        return Duration.ofMillis(Math.round(seconds.asDouble() * 1000));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(k -> out.add(k.asText()));
        return List.copyOf(out);
    }
}
