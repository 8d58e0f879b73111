package io.leifdb.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** /health, /livez, /readyz, /cluster and /metrics: what a node knows about itself and the cluster. */
final class StatusHandlers {
    private static final io.helidon.http.Header PROMETHEUS_TEXT =
            HeaderValues.createCached("Content-Type", "text/plain; version=0.0.4; charset=utf-8");

    private final KvBackend backend;
    private final HttpMetrics metrics;

    StatusHandlers(KvBackend backend, HttpMetrics metrics) {
        this.backend = backend;
        this.metrics = metrics;
    }

    /** 200 while the process serves; status stays "OK" as in the original, the detail is in the other fields. */
    void health(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        NodeStatus s = backend.status();
        try (Json.Body b = Json.body()) {
            JsonGenerator g = b.g;
            g.writeStartObject();
            g.writeStringField("status", "OK");
            g.writeStringField("version", s.version());
            g.writeNumberField("id", s.id());
            g.writeStringField("role", s.role());
            g.writeNumberField("leader", s.leaderId());
            writeLeaderAddress(g, s);
            g.writeNumberField("term", s.term());
            g.writeNumberField("commitIndex", s.commit());
            g.writeNumberField("appliedIndex", s.applied());
            g.writeStringField("replication", s.replication());
            g.writeNumberField("k", s.k());
            g.writeBooleanField("catchingUp", s.catchingUp());
            g.writeEndObject();
            Json.send(res, Status.OK_200, b);
        }
    }

    /** 200 while the process serves requests: what a supervisor's liveness probe asks. */
    void livez(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        try (Json.Body b = Json.body()) {
            b.g.writeStartObject();
            b.g.writeStringField("status", "OK");
            b.g.writeEndObject();
            Json.send(res, Status.OK_200, b);
        }
    }

    /** 200 when this member should get client traffic, else 503 with the reason (see {@link Readiness}). */
    void readyz(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        NodeStatus s = backend.status();
        Optional<Readiness> notReady = Readiness.of(s);
        try (Json.Body b = Json.body()) {
            JsonGenerator g = b.g;
            g.writeStartObject();
            if (notReady.isPresent()) {
                g.writeStringField("error", "not ready: " + notReady.get().message());
                g.writeStringField("code", "not_ready");
                g.writeStringField("reason", notReady.get().reason());
            } else {
                g.writeStringField("status", "ready");
            }
            g.writeNumberField("leader", s.leaderId());
            g.writeNumberField("commitIndex", s.commit());
            g.writeNumberField("appliedIndex", s.applied());
            g.writeBooleanField("catchingUp", s.catchingUp());
            g.writeEndObject();
            if (notReady.isPresent()) res.header(HeaderNames.RETRY_AFTER, Guard.RETRY_AFTER_SECONDS);
            Json.send(res, notReady.isPresent() ? Status.SERVICE_UNAVAILABLE_503 : Status.OK_200, b);
        }
    }

    void cluster(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        NodeStatus s = backend.status();
        try (Json.Body b = Json.body()) {
            JsonGenerator g = b.g;
            g.writeStartObject();
            g.writeNumberField("id", s.id());
            g.writeNumberField("leader", s.leaderId());
            writeLeaderAddress(g, s);
            g.writeNumberField("term", s.term());
            g.writeStringField("replication", s.replication());
            g.writeNumberField("k", s.k());
            g.writeBooleanField("catchingUp", s.catchingUp());
            g.writeArrayFieldStart("members");
            for (NodeStatus.MemberStatus m : s.members()) {
                g.writeStartObject();
                g.writeNumberField("id", m.id());
                g.writeStringField("raftAddress", m.raftAddress());
                g.writeStringField("httpAddress", m.httpAddress());
                g.writeStringField("role", m.role());
                g.writeNumberField("matchIndex", m.matchIndex());
                g.writeNumberField("msSinceLastContact", m.msSinceLastContact());
                g.writeBooleanField("up", m.up());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            Json.send(res, Status.OK_200, b);
        }
    }

    void metrics(ServerRequest req, ServerResponse res, QueryParams q) {
        res.header(PROMETHEUS_TEXT);
        Json.sendBody(res, metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private static void writeLeaderAddress(JsonGenerator g, NodeStatus s) throws IOException {
        g.writeFieldName("leaderAddress");
        if (s.leaderHttpAddress().isPresent()) {
            g.writeString(s.leaderHttpAddress().get());
        } else {
            g.writeNull();
        }
    }
}
