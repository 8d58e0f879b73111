package io.leifdb.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leifdb.server.auth.AuthState;
import io.leifdb.server.auth.User;
import io.leifdb.server.kv.KeyValue;
import io.leifdb.server.kv.Txn;
import io.leifdb.server.kv.TxnResult;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** POST /txn: compares, then the success or the failure branch, applied atomically as one Raft entry. */
final class TxnHandler {
    private static final Map<String, Txn.Target> TARGETS = Map.of("value", Txn.Target.VALUE,
            "revision", Txn.Target.REVISION, "createRevision", Txn.Target.CREATE_REVISION, "version", Txn.Target.VERSION);
    private static final Map<String, Txn.CompareOp> OPS = Map.of("==", Txn.CompareOp.EQUAL,
            "!=", Txn.CompareOp.NOT_EQUAL, "<", Txn.CompareOp.LESS, ">", Txn.CompareOp.GREATER);

    /** A field given twice or content after the object would otherwise be silently dropped. */
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final KvBackend backend;
    private final HttpSettings settings;

    TxnHandler(KvBackend backend, HttpSettings settings) {
        this.backend = backend;
        this.settings = settings;
    }

    void txn(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        Txn txn = KvHandlers.readBody(req, res, this::parse);
        if (txn.comparesValues() && backend.valuesCoded()) {
            // A value compare must give the same verdict on every member, but a follower may hold only a fragment.
            throw new ApiError(Status.CONFLICT_409, "txn_unsupported_coded", "a transaction may not compare values"
                    + " while erasure coding is on or values coded before are left (storedK above 1): followers hold"
                    + " values as fragments; compare version, revision or create_revision instead");
        }
        checkAccess(req, txn);
        TxnResult result = Outcomes.await(backend.txn(txn), settings.requestTimeout());
        try (Json.Body b = Json.body()) {
            b.g.writeStartObject();
            b.g.writeBooleanField("succeeded", result.succeeded());
            b.g.writeNumberField("revision", result.revision());
            b.g.writeArrayFieldStart("results");
            for (TxnResult.OpResult r : result.results()) {
                writeResult(b.g, r);
            }
            b.g.writeEndArray();
            b.g.writeEndObject();
            Json.send(res, Status.OK_200, b);
        }
    }

    /** The gate only knows the path; the keys are in the body, so each one is checked here, both branches alike. */
    private void checkAccess(ServerRequest req, Txn txn) {
        AuthBackend auth = backend.auth();
        if (!auth.required()) {
            return;
        }
        AuthState state = auth.state();
        User user = req.context().get(Caller.class).map(Caller::user).orElseThrow(() ->
                new ApiError(Status.UNAUTHORIZED_401, "unauthorized", "credentials required"));
        for (Txn.Compare c : txn.compare()) {
            requireAccess(state.canRead(user, c.key()), user, "read", c.key());
        }
        for (Txn.Op op : concat(txn.success(), txn.failure())) {
            boolean reads = op instanceof Txn.Get;
            requireAccess(reads ? state.canRead(user, op.key()) : state.canWrite(user, op.key()), user,
                    reads ? "read" : "write", op.key());
        }
    }

    private static void requireAccess(boolean allowed, User user, String what, String key) {
        if (!allowed) {
            throw new ApiError(Status.FORBIDDEN_403, "forbidden", "user \"" + user.name() + "\" may not " + what
                    + " \"" + key + "\"");
        }
    }

    private static List<Txn.Op> concat(List<Txn.Op> a, List<Txn.Op> b) {
        List<Txn.Op> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void writeResult(JsonGenerator g, TxnResult.OpResult r) throws IOException {
        g.writeStartObject();
        switch (r) {
            case TxnResult.PutResult p -> {
                g.writeObjectFieldStart("put");
                g.writeStringField("key", p.key());
                g.writeNumberField("revision", p.revision());
            }
            case TxnResult.DeleteResult d -> {
                g.writeObjectFieldStart("delete");
                g.writeStringField("key", d.key());
                g.writeBooleanField("deleted", d.deleted());
            }
            case TxnResult.GetResult got -> {
                g.writeObjectFieldStart("get");
                g.writeStringField("key", got.key());
                g.writeBooleanField("found", got.found().isPresent());
                if (got.found().isPresent()) {
                    KeyValue kv = got.found().get();
                    Values.write(g, kv.value());
                    KvHandlers.writeRevisions(g, kv);
                }
            }
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private Txn parse(InputStream in) throws IOException {
        JsonNode root;
        try {
            root = READER.readTree(in);
        } catch (JacksonException e) {
            throw bad("the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw bad("expected a JSON object {\"compare\": [...], \"success\": [...], \"failure\": [...]}");
        }
        onlyFields(root, Set.of("compare", "success", "failure"), "the transaction");
        int size = array(root, "compare").size() + array(root, "success").size() + array(root, "failure").size();
        if (size > Txn.MAX_OPS) {
            throw new ApiError(Status.REQUEST_ENTITY_TOO_LARGE_413, "too_many_operations", "the transaction has "
                    + size + " compares and operations; at most " + Txn.MAX_OPS + " are allowed");
        }
        List<Txn.Compare> compares = new ArrayList<>();
        for (JsonNode c : array(root, "compare")) {
            compares.add(compare(c));
        }
        return new Txn(compares, ops(root, "success"), ops(root, "failure"));
    }

    private Txn.Compare compare(JsonNode c) {
        if (!c.isObject()) {
            throw bad("each compare is an object {\"key\", \"target\", \"op\", \"value\"}");
        }
        onlyFields(c, Set.of("key", "target", "op", "value"), "a compare");
        String key = key(c, "a compare");
        Txn.Target target = TARGETS.get(text(c, "target", "a compare"));
        if (target == null) {
            throw bad("a compare's \"target\" must be one of value, revision, createRevision, version");
        }
        Txn.CompareOp op = OPS.get(text(c, "op", "a compare"));
        if (op == null) {
            throw bad("a compare's \"op\" must be one of ==, !=, <, >");
        }
        JsonNode v = c.get("value");
        if (target == Txn.Target.VALUE) {
            if (v == null || !v.isTextual()) {
                throw bad("a compare on target value needs \"value\" as a JSON string");
            }
            return Txn.Compare.ofValue(key, op, Keys.valueBytes(v.asText(), settings.maxValueBytes()));
        }
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw bad("a compare on target " + text(c, "target", "a compare")
                    + " needs \"value\" as a whole number >= 0 (0 means the key is absent)");
        }
        return Txn.Compare.ofNumber(key, target, op, v.asLong());
    }

    private List<Txn.Op> ops(JsonNode root, String branch) {
        List<Txn.Op> ops = new ArrayList<>();
        for (JsonNode o : array(root, branch)) {
            if (!o.isObject() || o.size() != 1) {
                throw bad("each operation of \"" + branch + "\" is an object with one field: put, delete or get");
            }
            String kind = o.fieldNames().next();
            JsonNode body = o.get(kind);
            if (!body.isObject()) {
                throw bad("\"" + kind + "\" must be an object");
            }
            String what = "a " + kind + " operation";
            ops.add(switch (kind) {
                case "put" -> {
                    if (body.has("lease") || body.has("ttl")) {
                        // A lease put is its own entry kind; mixing it into a transaction's apply is not supported.
                        throw bad("a transaction's put cannot carry a lease or ttl; attach the key afterwards with"
                                + " PUT /db/{key}?lease=ID");
                    }
                    onlyFields(body, Set.of("key", "value"), what);
                    String key = key(body, what);
                    yield new Txn.Put(key, Keys.valueBytes(text(body, "value", what), settings.maxValueBytes()));
                }
                case "delete" -> {
                    onlyFields(body, Set.of("key"), what);
                    yield new Txn.Delete(key(body, what));
                }
                case "get" -> {
                    onlyFields(body, Set.of("key"), what);
                    yield new Txn.Get(key(body, what));
                }
                default -> throw bad("unknown operation \"" + kind + "\" in \"" + branch + "\"; expected put, delete or get");
            });
        }
        return ops;
    }

    private String key(JsonNode n, String what) {
        String key = text(n, "key", what);
        Keys.checkKey(key, settings.maxKeyBytes(), "key");
        return key;
    }

    private static JsonNode array(JsonNode root, String field) {
        JsonNode a = root.get(field);
        if (a == null || a.isNull()) {
            return Json.MAPPER.createArrayNode();
        }
        if (!a.isArray()) {
            throw bad("\"" + field + "\" must be a JSON array");
        }
        return a;
    }

    private static String text(JsonNode n, String field, String what) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw bad(what + " needs \"" + field + "\" as a JSON string");
        }
        return v.asText();
    }

    private static void onlyFields(JsonNode n, Set<String> allowed, String what) {
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw bad("unknown field \"" + f + "\" in " + what + "; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static ApiError bad(String message) {
        return ApiError.badRequest("malformed_txn", message);
    }
}
