package io.leifdb.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leifdb.server.auth.AuthState;
import io.leifdb.server.auth.User;
import io.leifdb.server.kv.Lease;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * /leases: grant, keep alive, revoke, read and list leases. Every call is the leader's (a follower answers 307).
 * Permissions while auth is on: granting and keeping alive need any role (a lease alone holds nothing, and
 * attaching a key is a write the /db gate checks); revoking needs write on every key attached, since it
 * deletes them; reading a lease needs read on every key attached; listing every lease is root's.
 */
final class LeaseHandlers {
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final KvBackend backend;
    private final HttpSettings settings;

    LeaseHandlers(KvBackend backend, HttpSettings settings) {
        this.backend = backend;
        this.settings = settings;
    }

    void grant(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        long ttl = KvHandlers.readBody(req, res, LeaseHandlers::parseTtl);
        Lease lease = Outcomes.await(backend.leases().grant(ttl), settings.requestTimeout());
        send(res, new LeaseBackend.LeaseStatus(lease, lease.ttlMillis()), false);
    }

    void keepAlive(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        Lease lease = Outcomes.await(backend.leases().keepAlive(id(req)), settings.requestTimeout());
        send(res, new LeaseBackend.LeaseStatus(lease, lease.ttlMillis()), false);
    }

    void revoke(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        long id = id(req);
        if (backend.auth().required()) {
            // The keys are checked as they are now; one attached between this check and the revoke is deleted too.
            checkKeys(req, Outcomes.awaitRead(backend.leases().get(id), settings.requestTimeout()).lease(), true);
        }
        Lease revoked = Outcomes.await(backend.leases().revoke(id), settings.requestTimeout());
        try (Json.Body b = Json.body()) {
            b.g.writeStartObject();
            b.g.writeStringField("status", "OK");
            b.g.writeNumberField("id", revoked.id());
            b.g.writeArrayFieldStart("keys");
            for (String k : revoked.keys()) b.g.writeString(k);
            b.g.writeEndArray();
            b.g.writeEndObject();
            Json.send(res, Status.OK_200, b);
        }
    }

    void get(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        LeaseBackend.LeaseStatus status = Outcomes.awaitRead(backend.leases().get(id(req)), settings.requestTimeout());
        checkKeys(req, status.lease(), false);
        send(res, status, true);
    }

    void list(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        List<LeaseBackend.LeaseStatus> all = Outcomes.awaitRead(backend.leases().list(), settings.requestTimeout());
        try (Json.Body b = Json.body()) {
            b.g.writeStartObject();
            b.g.writeArrayFieldStart("leases");
            for (LeaseBackend.LeaseStatus s : all) writeLease(b.g, s, false);
            b.g.writeEndArray();
            b.g.writeNumberField("count", all.size());
            b.g.writeEndObject();
            Json.send(res, Status.OK_200, b);
        }
    }

    /** The lease id in the path: a positive decimal number, else 400; an id never granted is a 404 later. */
    static long id(ServerRequest req) {
        String raw = req.path().pathParameters().get("id");
        try {
            long id = Long.parseLong(raw);
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest("bad_lease", "lease id \"" + raw + "\" is not valid: expected a positive number");
    }

    /** {"ttl": "30s"} or {"ttl": 30} (seconds); nothing else. */
    private static long parseTtl(InputStream in) throws IOException {
        JsonNode root;
        try {
            root = READER.readTree(in);
        } catch (JacksonException e) {
            throw ApiError.badRequest("malformed_body", "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || root.size() != 1 || !root.has("ttl")) {
            throw ApiError.badRequest("malformed_body", "expected a JSON object {\"ttl\": \"30s\"} or {\"ttl\": 30}");
        }
        JsonNode ttl = root.get("ttl");
        if (ttl.isNumber()) return LeaseTtl.ofSeconds(ttl.asDouble());
        if (ttl.isTextual()) return LeaseTtl.parse(ttl.asText());
        throw ApiError.badRequest("bad_ttl", "\"ttl\" must be a number of seconds or a string such as \"30s\"");
    }

    /** While auth is on: the caller must be allowed to write (revoke) or read every key of the lease. */
    private void checkKeys(ServerRequest req, Lease lease, boolean write) {
        AuthBackend auth = backend.auth();
        if (!auth.required()) return;
        AuthState state = auth.state();
        User user = req.context().get(Caller.class).map(Caller::user).orElseThrow(() ->
                new ApiError(Status.UNAUTHORIZED_401, "unauthorized", "credentials required"));
        for (String k : lease.keys()) {
            if (!(write ? state.canWrite(user, k) : state.canRead(user, k))) {
                throw new ApiError(Status.FORBIDDEN_403, "forbidden", "user \"" + user.name() + "\" may not "
                        + (write ? "write" : "read") + " \"" + k + "\", which lease " + lease.id() + " holds");
            }
        }
    }

    private static void send(ServerResponse res, LeaseBackend.LeaseStatus s, boolean withKeys) throws IOException {
        try (Json.Body b = Json.body()) {
            writeLease(b.g, s, withKeys);
            Json.send(res, Status.OK_200, b);
        }
    }

    private static void writeLease(JsonGenerator g, LeaseBackend.LeaseStatus s, boolean withKeys) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", s.lease().id());
        seconds(g, "ttl", s.lease().ttlMillis());
        seconds(g, "remaining", s.remainingMillis());
        if (withKeys) {
            g.writeArrayFieldStart("keys");
            for (String k : s.lease().keys()) g.writeString(k);
            g.writeEndArray();
        } else {
            g.writeNumberField("keyCount", s.lease().keys().size());
        }
        g.writeEndObject();
    }

    /** Seconds, as a whole number when whole, else to the millisecond. */
    private static void seconds(JsonGenerator g, String field, long millis) throws IOException {
        if (millis % 1000 == 0) g.writeNumberField(field, millis / 1000);
        else g.writeNumberField(field, millis / 1000.0);
    }
}
