package io.leifdb.server.http;

import io.helidon.http.Status;
import java.util.EnumSet;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What a member removed from the cluster still answers. Its process keeps running, but its log no longer
 * grows: a read would show stale data (or wait for a leader that no longer talks to it), a write or an
 * admin call would go to a leader it may no longer know. So everything that needs the cluster answers at
 * once with 421 {@code removed}, naming members to ask instead; what describes the node itself (health,
 * readiness, its view of the members, metrics, the API document) still answers.
 *
 * <p>Decision: 421 Misdirected Request (RFC 9110 §15.5.20: this server cannot answer for the target), not
 * 503, which clients retry against the same node, nor 410, which would say the key is gone.
 */
final class RemovedMember {
    static final Status MISDIRECTED = Status.MISDIRECTED_REQUEST_421;

    /** Endpoints that describe this node and still answer after its removal. */
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

    /** {@code handler}, refused with 421 {@code removed} while this member is out of the cluster. */
    static Guard.ApiHandler guard(Endpoint endpoint, Guard.ApiHandler handler, KvBackend backend) {
        if (LOCAL.contains(endpoint)) return handler;
        return (req, res, q) -> {
            if (backend.removed()) throw refusal(backend.status());
            handler.handle(req, res, q);
        };
    }

    /** The error a removed member answers with; {@code s} names the members it last knew of. */
    static ApiError refusal(NodeStatus s) {
        StringJoiner others = new StringJoiner(", ");
        for (NodeStatus.MemberStatus m : s.members()) {
            if (m.id() != s.id() && !m.httpAddress().isEmpty()) others.add(m.httpAddress());
        }
        String ask = others.length() == 0 ? "ask another member of the cluster"
                : "ask another member: " + others;
        return new ApiError(MISDIRECTED, "removed", "this member (id " + s.id() + ") was removed from the cluster:"
                + " its data is no longer kept up to date, so it serves no reads, writes or cluster calls; " + ask);
    }
}
