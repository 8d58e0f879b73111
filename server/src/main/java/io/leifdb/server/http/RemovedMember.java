package io.leifdb.server.http;

import io.helidon.http.Status;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a node outside the cluster's configuration still answers: one removed from it, and one that
 * joined and has not yet applied the configuration that adds it. Its process keeps running, but its
 * state is not the cluster's: a read would show stale data (or wait for a leader that does not talk to
 * it), a write or an admin call would go to a leader it may not know. So everything that needs the
 * cluster answers at once, naming members to ask instead; what describes the node itself (health,
 * readiness, its view of the members, metrics, the API document) still answers.
 *
 * <p>Decision: a removed member answers 421 Misdirected Request (RFC 9110 §15.5.20: this server cannot
 * answer for the target), not 503, which clients retry against the same node, nor 410, which would say
 * the key is gone. A joining member answers 503 {@code joining} with Retry-After: it will serve once
 * caught up, so retrying it (or asking another member) is right, and it may not know a leader to redirect to.
 */
final class RemovedMember {
    static final Status MISDIRECTED = Status.MISDIRECTED_REQUEST_421;

    /** Endpoints that describe this node and still answer after its removal or while it joins. */
    private static final Set<Endpoint> LOCAL = EnumSet.of(
            Endpoint.OPENAPI, Endpoint.OPENAPI_HEAD,
            Endpoint.HEALTH, Endpoint.HEALTH_HEAD,
            Endpoint.LIVEZ, Endpoint.LIVEZ_HEAD,
            Endpoint.READYZ, Endpoint.READYZ_HEAD,
            Endpoint.CLUSTER, Endpoint.CLUSTER_HEAD,
            Endpoint.CLUSTER_MEMBERS, Endpoint.CLUSTER_MEMBERS_HEAD,
            Endpoint.METRICS, Endpoint.METRICS_HEAD,
            Endpoint.METRICS_HISTORY, Endpoint.METRICS_HISTORY_HEAD);

    private RemovedMember() {
    }

    /** {@code handler}, refused with 421 {@code removed} or 503 {@code joining} while this node is outside the cluster. */
    static Guard.ApiHandler guard(Endpoint endpoint, Guard.ApiHandler handler, KvBackend backend) {
        if (LOCAL.contains(endpoint)) return handler;
        return (req, res, q) -> {
            if (backend.removed()) throw refusal(backend.status());
            if (backend.joining()) throw joining(backend.status());
            handler.handle(req, res, q);
        };
    }

    /** The error a removed member answers with; {@code s} names the members it last knew of. */
    static ApiError refusal(NodeStatus s) {
        return new ApiError(MISDIRECTED, "removed", "this member (id " + s.id() + ") was removed from the cluster:"
                + " its data is no longer kept up to date, so it serves no reads, writes or cluster calls; " + ask(s));
    }

    /** The error a joining member answers with until it has applied its own addition. */
    static ApiError joining(NodeStatus s) {
        return new ApiError(Status.SERVICE_UNAVAILABLE_503, "joining", "this member (id " + s.id() + ") is joining the"
                + " cluster and has not yet applied the configuration that adds it (applied index " + s.applied()
                + "), so it serves no reads, writes or cluster calls yet; retry, or " + ask(s));
    }

    /** The HTTP addresses of the members {@code s} lists, this node left out. */
    static List<String> others(NodeStatus s) {
        return s.members().stream().filter(m -> m.id() != s.id() && !m.httpAddress().isEmpty())
                .map(NodeStatus.MemberStatus::httpAddress).toList();
    }

    /** Where to go instead, in words. */
    static String ask(NodeStatus s) {
        List<String> others = others(s);
        return others.isEmpty() ? "ask another member of the cluster" : "ask another member: " + String.join(", ", others);
    }
}
