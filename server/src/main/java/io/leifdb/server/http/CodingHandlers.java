package io.leifdb.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** GET and PUT /cluster/coding: see {@link CodingAdmin}. */
final class CodingHandlers {
    /** A body is {"on": bool, "k": n, "threshold": n}; anything larger is not one. */
    private static final int MAX_BODY_BYTES = 1024;
    private static final Set<String> FIELDS = Set.of("on", "k", "threshold");

    private final KvBackend backend;
    private final HttpSettings settings;

    CodingHandlers(KvBackend backend, HttpSettings settings) {
        this.backend = backend;
        this.settings = settings;
    }

    void get(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        send(res, backend.coding().get(), backend.coding().repair());
    }

    /** Fields left out keep their value; k must be in [1, N - F], the threshold in [0, 2^31 - 1]. */
    void set(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        JsonNode body = body(req);
        CodingAdmin.Coding now = backend.coding().get();
        boolean on = now.on();
        int k = now.k();
        long threshold = now.threshold();
        JsonNode v = body.get("on");
        if (v != null) {
            if (!v.isBoolean()) throw ApiError.badRequest("bad_on", "\"on\" must be true or false");
            on = v.asBoolean();
        }
        v = body.get("k");
        int maxK = now.voters() - now.tolerated();
        if (v != null) {
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1 || v.asInt() > maxK) {
                throw ApiError.badRequest("bad_k", "\"k\"=" + v + " is not valid: with " + now.voters()
                        + " voters k must be an integer from 1 to N - F = " + maxK);
            }
            k = v.asInt();
        }
        v = body.get("threshold");
        if (v != null) {
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
                throw ApiError.badRequest("bad_threshold", "\"threshold\"=" + v + " is not valid: expected bytes from 0 to "
                        + Integer.MAX_VALUE);
            }
            threshold = v.asInt();
        }
        send(res, Outcomes.await(backend.coding().set(on, k, threshold), settings.requestTimeout()), Optional.empty());
    }

    private static void send(ServerResponse res, CodingAdmin.Coding c, Optional<CodingAdmin.Repair> repair)
            throws IOException {
        try (Json.Body b = Json.body()) {
            b.g.writeStartObject();
            b.g.writeBooleanField("on", c.on());
            b.g.writeNumberField("k", c.kInForce());
            b.g.writeNumberField("m", c.mInForce());
            b.g.writeNumberField("configuredK", c.k());
            b.g.writeNumberField("threshold", c.threshold());
            b.g.writeBooleanField("recorded", c.recorded());
            b.g.writeNumberField("voters", c.voters());
            b.g.writeNumberField("currentK", c.currentK());
            b.g.writeNumberField("storedK", c.storedK());
            if (c.index() > 0) b.g.writeNumberField("index", c.index());
            if (repair.isPresent()) {
                CodingAdmin.Repair r = repair.get();
                b.g.writeNumberField("belowFullRedundancy", r.belowFullRedundancy());
                b.g.writeNumberField("lastScrubFound", r.lastPassFound());
                b.g.writeNumberField("repaired", r.repaired());
                b.g.writeStringField("lastScrubAt", Instant.ofEpochMilli(r.passFinishedMillis()).toString());
            }
            b.g.writeEndObject();
            Json.send(res, Status.OK_200, b);
        }
    }

    private static JsonNode body(ServerRequest req) {
        byte[] raw;
        try {
            raw = req.content().hasEntity() ? req.content().inputStream().readNBytes(MAX_BODY_BYTES + 1) : new byte[0];
        } catch (IOException | RuntimeException e) {
            throw BodyFailure.of(e);
        }
        if (raw.length > MAX_BODY_BYTES) throw malformed("the body is larger than a coding change");
        JsonNode body;
        try {
            body = raw.length == 0 ? null : Json.MAPPER.readTree(raw);
        } catch (IOException e) {
            throw malformed("the body is not valid JSON");
        }
        if (body == null || !body.isObject() || body.isEmpty()) {
            throw malformed("expected a JSON object with at least one of \"on\", \"k\", \"threshold\"");
        }
        for (Map.Entry<String, JsonNode> f : body.properties()) {
            if (!FIELDS.contains(f.getKey())) {
                throw malformed("unknown field \"" + f.getKey() + "\"; the body holds \"on\", \"k\" and \"threshold\"");
            }
        }
        return body;
    }

    private static ApiError malformed(String message) {
        return ApiError.badRequest("malformed_body", message);
    }
}
