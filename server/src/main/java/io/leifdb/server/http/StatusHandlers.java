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

/** /health, /livez, /readyz, /cluster, /metrics and /metrics/history: what a node knows about itself and the cluster. */
final class StatusHandlers {
    private static final io.helidon.http.Header PROMETHEUS_TEXT =
            HeaderValues.createCached("Content-Type", "text/plain; version=0.0.4; charset=utf-8");

    private final KvBackend backend;
    private final HttpMetrics metrics;
    private final MetricsHistory history;

    StatusHandlers(KvBackend backend, HttpMetrics metrics, MetricsHistory history) {
        this.backend = backend;
        this.metrics = metrics;
        this.history = history;
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
            g.writeStringField("role", s.role()); // JOINING or REMOVED too: members lists only the configuration
            g.writeNumberField("leader", s.leaderId());
            writeLeaderAddress(g, s);
            g.writeNumberField("term", s.term());
            g.writeStringField("replication", s.replication());
            g.writeNumberField("k", s.k());
            g.writeBooleanField("catchingUp", s.catchingUp());
            MembershipHandlers.writeMembers(g, s);
            g.writeEndObject();
            Json.send(res, Status.OK_200, b);
        }
    }

    void metrics(ServerRequest req, ServerResponse res, QueryParams q) {
        res.header(PROMETHEUS_TEXT);
        Json.sendBody(res, metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }

    /** The charts' points of the last five minutes, those after {@code after} (epoch ms) when given. */
    void metricsHistory(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        String raw = q.get("after");
        long after;
        try {
            after = raw == null ? Long.MIN_VALUE : Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("bad_after", "after must be a time in milliseconds since the epoch, not \""
                    + raw + "\"");
        }
        try (Json.Body b = Json.body()) {
            JsonGenerator g = b.g;
            g.writeStartObject();
            g.writeNumberField("intervalSeconds", MetricsHistory.INTERVAL_SECONDS);
            g.writeNumberField("windowSeconds", MetricsHistory.WINDOW_SECONDS);
            g.writeArrayFieldStart("points");
            for (MetricsHistory.Point p : history.since(after)) {
                g.writeStartObject();
                g.writeNumberField("at", p.atMillis());
                number(g, "writes", p.writes());
                number(g, "reads", p.reads());
                number(g, "writeP50", p.writeP50());
                number(g, "writeP99", p.writeP99());
                number(g, "readP50", p.readP50());
                number(g, "readP99", p.readP99());
                number(g, "applyLag", p.applyLag());
                number(g, "fsyncP50", p.fsyncP50());
                number(g, "fsyncP99", p.fsyncP99());
                g.writeObjectFieldStart("lag");
                for (var e : p.lag().entrySet()) number(g, e.getKey(), e.getValue());
                g.writeEndObject();
                g.writeBooleanField("leader", p.leader());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            Json.send(res, Status.OK_200, b);
        }
    }

    private static void number(JsonGenerator g, String name, Double v) throws IOException {
        if (v == null) g.writeNullField(name);
        else g.writeNumberField(name, v);
    }

    static void writeLeaderAddress(JsonGenerator g, NodeStatus s) throws IOException {
        g.writeFieldName("leaderAddress");
        if (s.leaderHttpAddress().isPresent()) {
            g.writeString(s.leaderHttpAddress().get());
        } else {
            g.writeNull();
        }
    }
}
