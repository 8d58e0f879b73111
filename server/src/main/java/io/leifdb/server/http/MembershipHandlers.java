package io.leifdb.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.Map;

/** GET /cluster/members, DELETE /cluster/members/{id} and POST /cluster/leader: see {@link ClusterAdmin}. */
final class MembershipHandlers {
    static final String MEMBERS_PREFIX = "/cluster/members/";
    /** A transfer body is {"to": id}; anything larger is not one. */
    private static final int MAX_BODY_BYTES = 1024;

    private final KvBackend backend;
    private final HttpSettings settings;

    MembershipHandlers(KvBackend backend, HttpSettings settings) {
        this.backend = backend;
        this.settings = settings;
    }

    /**
     * Every member of the configuration in force, as this node sees it. Answered locally on every
     * member, so it works without a leader; only the leader's answer ({@code view: "leader"}) has
     * match indexes, lag and contact times, a follower's names the leader to ask for them.
     */
    void members(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        NodeStatus s = backend.status();
        try (Json.Body b = Json.body()) {
            JsonGenerator g = b.g;
            g.writeStartObject();
            g.writeNumberField("id", s.id());
            g.writeStringField("view", "LEADER".equals(s.role()) ? "leader" : "follower");
            g.writeNumberField("leader", s.leaderId());
            StatusHandlers.writeLeaderAddress(g, s);
            g.writeNumberField("term", s.term());
            g.writeNumberField("commitIndex", s.commit());
            writeMembers(g, s);
            g.writeEndObject();
            Json.send(res, Status.OK_200, b);
        }
    }

    /** The "members" array of /cluster and /cluster/members. */
    static void writeMembers(JsonGenerator g, NodeStatus s) throws IOException {
        g.writeArrayFieldStart("members");
        for (NodeStatus.MemberStatus m : s.members()) {
            g.writeStartObject();
            g.writeNumberField("id", m.id());
            g.writeStringField("raftAddress", m.raftAddress());
            g.writeStringField("httpAddress", m.httpAddress());
            g.writeStringField("role", m.role());
            g.writeBooleanField("voter", m.voter());
            g.writeNumberField("matchIndex", m.matchIndex());
            g.writeNumberField("lag", m.lag());
            g.writeNumberField("msSinceLastContact", m.msSinceLastContact());
            g.writeBooleanField("up", m.up());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    void remove(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        long id = parseId(req.prologue().uriPath().rawPath().substring(MEMBERS_PREFIX.length()), "member id in the path");
        boolean force = flag(q.get("force"));
        ClusterAdmin.MemberRemoved done = Outcomes.await(backend.admin().removeMember(id, force),
                settings.requestTimeout());
        try (Json.Body b = Json.body()) {
            b.g.writeStartObject();
            b.g.writeStringField("status", "OK");
            b.g.writeNumberField("removed", done.id());
            b.g.writeNumberField("index", done.index());
            b.g.writeEndObject();
            Json.send(res, Status.OK_200, b);
        }
    }

    void transfer(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        long to = transferTarget(req);
        ClusterAdmin.LeaderChange done = Outcomes.await(backend.admin().transferLeadership(to), settings.requestTimeout());
        try (Json.Body b = Json.body()) {
            b.g.writeStartObject();
            b.g.writeStringField("status", "OK");
            b.g.writeNumberField("leader", done.leader());
            b.g.writeStringField("leaderAddress", done.leaderAddress());
            b.g.writeNumberField("previous", done.previous());
            b.g.writeEndObject();
            Json.send(res, Status.OK_200, b);
        }
    }

    /** The body's "to" (a number, or a decimal string since ids pass 2^53), or 0 without one. */
    private static long transferTarget(ServerRequest req) throws IOException {
        if (!req.content().hasEntity()) return 0;
        byte[] raw;
        try {
            raw = req.content().inputStream().readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException | RuntimeException e) {
            throw BodyFailure.of(e);
        }
        if (raw.length > MAX_BODY_BYTES) throw malformed("the body is larger than a transfer request");
        JsonNode body;
        try {
            body = raw.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(raw);
        } catch (IOException e) {
            throw malformed("the body is not valid JSON");
        }
        if (body == null || body.isMissingNode()) return 0;
        if (!body.isObject()) throw malformed("expected a JSON object {\"to\": id} or no body");
        for (Map.Entry<String, JsonNode> f : body.properties()) {
            if (!f.getKey().equals("to")) throw malformed("unknown field \"" + f.getKey() + "\"; the body holds only \"to\"");
        }
        JsonNode to = body.get("to");
        if (to == null || to.isNull()) return 0;
        if (to.isIntegralNumber() && to.canConvertToLong()) return positive(to.asLong(), to.asText());
        if (to.isTextual()) return parseId(to.asText(), "\"to\"");
        throw malformed("\"to\" must be a member id (a positive integer)");
    }

    private static long parseId(String raw, String what) {
        try {
            return positive(Long.parseLong(raw), raw);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("bad_id", what + " \"" + raw + "\" is not valid: expected a member id (a positive integer)");
        }
    }

    private static long positive(long id, String raw) {
        if (id <= 0) throw ApiError.badRequest("bad_id", "\"" + raw + "\" is not valid: a member id is a positive integer");
        return id;
    }

    private static boolean flag(String raw) {
        if (raw == null || raw.equals("false")) return false;
        if (raw.isEmpty() || raw.equals("true")) return true;
        throw ApiError.badRequest("bad_force", "force=\"" + raw + "\" is not valid: expected true or false");
    }

    private static ApiError malformed(String message) {
        return ApiError.badRequest("malformed_body", message);
    }
}
