package io.leifdb.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * GET and POST /cluster/members, DELETE /cluster/members/{id}, POST /cluster/members/{id}/promote and
 * POST /cluster/leader: see {@link ClusterAdmin}.
 */
final class MembershipHandlers {
    static final String MEMBERS_PREFIX = "/cluster/members/";
    static final String PROMOTE_SUFFIX = "/promote";
    /** How long {@code ?codingOffFirst=true} waits for storedK 1 (seconds for a small store; the CLI's --wait goes longer). */
    static final Duration CODED_WAIT = Duration.ofSeconds(120);
    /** A transfer body is {"to": id}, an add body two addresses and an id; anything larger is not one. */
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
        boolean force = flag("force", q.get("force"));
        List<String> steps = new ArrayList<>();
        ClusterAdmin.MemberRemoved done = change(q, steps, () -> Outcomes.await(backend.admin().removeMember(id, force),
                settings.requestTimeout()), d -> "removed member " + d.id() + " at index " + d.index());
        try (Json.Body b = Json.body()) {
            b.g.writeStartObject();
            b.g.writeStringField("status", "OK");
            b.g.writeNumberField("removed", done.id());
            b.g.writeNumberField("index", done.index());
            writeSteps(b.g, q, steps);
            b.g.writeEndObject();
            Json.send(res, Status.OK_200, b);
        }
    }

    /** Adds a learner: {"raftAddress": "host:port", "httpAddress": "host:port", "id": optional}. */
    void add(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        JsonNode body = readBody(req);
        if (body == null || !body.isObject()) {
            throw malformed("expected a JSON object {\"raftAddress\": \"host:port\", \"httpAddress\": \"host:port\"}");
        }
        for (Map.Entry<String, JsonNode> f : body.properties()) {
            if (!java.util.Set.of("id", "raftAddress", "httpAddress").contains(f.getKey())) {
                throw malformed("unknown field \"" + f.getKey() + "\"; the body holds raftAddress, httpAddress and id");
            }
        }
        String raft = address(body, "raftAddress");
        String http = address(body, "httpAddress");
        if (raft.equalsIgnoreCase(http)) {
            throw ApiError.badRequest("bad_address", "raftAddress and httpAddress must differ (both are " + raft + ")");
        }
        JsonNode idNode = body.get("id");
        long id = 0;
        if (idNode != null && !idNode.isNull()) {
            if (idNode.isIntegralNumber() && idNode.canConvertToLong()) id = positive(idNode.asLong(), idNode.asText());
            else if (idNode.isTextual()) id = parseId(idNode.asText(), "\"id\"");
            else throw malformed("\"id\" must be a member id (a positive integer)");
        }
        ClusterAdmin.MemberAdded done = Outcomes.await(backend.admin().addLearner(
                new ClusterAdmin.MemberAddress(id, raft, http)), settings.requestTimeout());
        try (Json.Body b = Json.body()) {
            JsonGenerator g = b.g;
            g.writeStartObject();
            g.writeStringField("status", "OK");
            g.writeNumberField("id", done.id());
            g.writeStringField("role", "LEARNER");
            g.writeNumberField("index", done.index());
            g.writeBooleanField("alreadyMember", done.alreadyMember());
            g.writeStringField("clusterId", String.format("%016x", done.clusterId()));
            g.writeArrayFieldStart("members");
            for (ClusterAdmin.MemberAddress m : done.members()) {
                g.writeStartObject();
                g.writeNumberField("id", m.id());
                g.writeStringField("raftAddress", m.raftAddress());
                g.writeStringField("httpAddress", m.httpAddress());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            Json.send(res, Status.OK_200, b);
        }
    }

    void promote(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        String path = req.prologue().uriPath().rawPath();
        long id = parseId(path.substring(MEMBERS_PREFIX.length(), path.length() - PROMOTE_SUFFIX.length()),
                "member id in the path");
        List<String> steps = new ArrayList<>();
        ClusterAdmin.MemberPromoted done = change(q, steps, () -> Outcomes.await(backend.admin().promote(id),
                settings.requestTimeout()), d -> "promoted member " + d.id() + " at index " + d.index());
        try (Json.Body b = Json.body()) {
            b.g.writeStartObject();
            b.g.writeStringField("status", "OK");
            b.g.writeNumberField("promoted", done.id());
            b.g.writeNumberField("index", done.index());
            writeSteps(b.g, q, steps);
            b.g.writeEndObject();
            Json.send(res, Status.OK_200, b);
        }
    }

    /**
     * A voter change, with {@code ?codingOffFirst=true} through {@link CodedChangeSteps} when it is refused as
     * {@code coded}: the leader runs the steps here, on the request's virtual thread, within {@link #CODED_WAIT}.
     */
    private <T> T change(QueryParams q, List<String> steps, Supplier<T> change, Function<? super T, String> shown) {
        if (!flag("codingOffFirst", q.get("codingOffFirst"))) return change.get();
        return CodedChangeSteps.run(new LeaderCodedCluster(backend, settings.requestTimeout(), steps), change, shown,
                CODED_WAIT);
    }

    /** With codingOffFirst, the steps taken ("steps": [], when the change needed none). */
    private static void writeSteps(JsonGenerator g, QueryParams q, List<String> steps) throws IOException {
        if (!flag("codingOffFirst", q.get("codingOffFirst"))) return;
        g.writeArrayFieldStart("steps");
        for (String s : steps) g.writeString(s);
        g.writeEndArray();
    }

    /** A required {@code host:port} field with a port 1-65535. */
    private static String address(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || !n.isTextual()) throw ApiError.badRequest("bad_address", "\"" + field + "\" is required: host:port");
        String a = n.asText().strip();
        int colon = a.lastIndexOf(':');
        String host = colon > 0 ? a.substring(0, colon) : "";
        int port = -1;
        try {
            if (colon > 0) port = Integer.parseInt(a.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        boolean hostOk = !host.isEmpty() && host.length() <= 253 && host.chars().allMatch(c ->
                Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == '[' || c == ']' || c == ':');
        if (!hostOk || port < 1 || port > 65535) {
            throw ApiError.badRequest("bad_address", "\"" + field + "\" is \"" + shown(a)
                    + "\": expected host:port with a port 1-65535");
        }
        return a;
    }

    /** What the caller sent, safe to echo on one line. */
    private static String shown(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 100 ? t.substring(0, 100) + "..." : t;
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
        JsonNode body = readBody(req);
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

    /** The small JSON body of a membership request; null without one. */
    private static JsonNode readBody(ServerRequest req) throws IOException {
        if (!req.content().hasEntity()) return null;
        byte[] raw;
        try {
            raw = req.content().inputStream().readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException | RuntimeException e) {
            throw BodyFailure.of(e);
        }
        if (raw.length > MAX_BODY_BYTES) throw malformed("the body is larger than a membership request");
        JsonNode body;
        try {
            body = raw.length == 0 ? null : Json.MAPPER.readTree(raw);
        } catch (IOException e) {
            throw malformed("the body is not valid JSON");
        }
        return body == null || body.isMissingNode() ? null : body;
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

    private static boolean flag(String name, String raw) {
        if (raw == null || raw.equals("false")) return false;
        if (raw.isEmpty() || raw.equals("true")) return true;
        throw ApiError.badRequest("bad_" + name, name + "=\"" + raw + "\" is not valid: expected true or false");
    }

    private static ApiError malformed(String message) {
        return ApiError.badRequest("malformed_body", message);
    }
}
