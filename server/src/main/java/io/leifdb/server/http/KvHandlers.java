package io.leifdb.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leifdb.server.kv.KeyPage;
import io.leifdb.server.kv.KeyValue;
import io.leifdb.server.kv.Precondition;
import io.leifdb.server.kv.Utf8;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The /db/{key} endpoints: read, write and delete one key. */
final class KvHandlers {
    /** Writes of If-Match: * retried while other writers keep changing the key. */
    static final int IF_MATCH_ANY_ATTEMPTS = 8;

    private static final Logger LOG = LoggerFactory.getLogger(KvHandlers.class);
    private final KvBackend backend;
    private final HttpSettings settings;

    KvHandlers(KvBackend backend, HttpSettings settings) {
        this.backend = backend;
        this.settings = settings;
    }

    /**
     * The value in JSON, written while a coded value is still being gathered when its entry recorded the
     * value's kind (plain, escaped or base64 is otherwise known only from the whole value; see
     * {@link ValueJson}). A HEAD gathers the value whole: an escaped value's length is known only then.
     */
    void read(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        String key = key(req);
        boolean linearizable = linearizable(q);
        if (Values.wantsRaw(req.headers())) {
            readRaw(req, res, key, linearizable);
            return;
        }
        ValueStream value = Head.isHead()
                ? ValueStream.of(found(Outcomes.awaitRead(backend.get(key, linearizable), settings.requestTimeout())))
                : found(Outcomes.awaitRead(backend.getStream(key, linearizable, true), settings.requestTimeout()));
        KeyValue kv = value.meta();
        if (notModified(req, res, kv)) return;
        if (value.kind() == null) { // held whole (see KvBackend#getStream)
            Json.send(res, Status.OK_200, answer(kv, kv.value(), Utf8.scan(kv.value())));
            return;
        }
        try {
            ValueJson.send(res, value, answer(kv, new byte[0], value.kind()));
        } catch (IOException e) {
            throw cutShort(key, e);
        }
    }

    /** The JSON answer of a read of {@code kv} whose value is {@code value}, of {@code kind}. */
    private static byte[] answer(KeyValue kv, byte[] value, Utf8.Kind kind) throws IOException {
        try (Json.Body b = Json.body()) {
            b.g.writeStartObject();
            Values.write(b.g, value, kind);
            writeRevisions(b.g, kv);
            b.g.writeEndObject();
            return b.bytes();
        }
    }

    private static <T> T found(Optional<T> found) {
        return found.orElseThrow(() -> new ApiError(Status.NOT_FOUND_404, "not_found", "key not found"));
    }

    /** Headers and part of the body are out: only closing the connection short of its end tells the client. */
    private static CloseConnectionException cutShort(String key, IOException e) {
        LOG.warn("read of {} cut short: {}", key, e.getMessage());
        return new CloseConnectionException("value of " + key + " incomplete", e);
    }

    /**
     * The value as raw bytes, written while a coded value is still being gathered. Once the first byte is
     * out a failure cannot become an error answer; the body then ends short of its Content-Length.
     */
    private void readRaw(ServerRequest req, ServerResponse res, String key, boolean linearizable) throws IOException {
        ValueStream value = found(Outcomes.awaitRead(backend.getStream(key, linearizable, false), settings.requestTimeout()));
        if (notModified(req, res, value.meta())) return;
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, Values.OCTET_STREAM);
        res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(value.length()));
        if (Head.isHead()) {
            res.send(); // the length the GET's body has, and no body (RFC 9110 §9.3.2)
            return;
        }
        OutputStream out = res.outputStream();
        try {
            value.writeTo(out);
        } catch (IOException e) {
            throw cutShort(key, e);
        }
        out.close();
    }

    /** Sets the ETag; answers 304 (and returns true) when If-None-Match names this revision. */
    private static boolean notModified(ServerRequest req, ServerResponse res, KeyValue kv) {
        res.header(HeaderNames.ETAG, etag(kv.modRevision()));
        Optional<String> ifNoneMatch = req.headers().first(HeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch.isPresent() && Preconditions.matchesAny(ifNoneMatch.get(), kv.modRevision())) {
            res.status(Status.NOT_MODIFIED_304);
            res.send();
            return true;
        }
        return false;
    }

    void write(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        String key = key(req);
        Precondition pre = Preconditions.forWrite(req.headers(), true);
        String queryValue = q.get("value");
        byte[] bytes;
        if (req.content().hasEntity()) {
            bytes = Values.isRaw(req.headers())
                    ? readBody(req, res, in -> Values.readRaw(in, settings.maxValueBytes()))
                    : Keys.valueBytes(readBody(req, res), settings.maxValueBytes());
            if (queryValue != null) {
                throw ApiError.badRequest("bad_request", "give the value either in the body or as ?value=, not both");
            }
        } else if (queryValue != null) {
            bytes = Keys.valueBytes(queryValue, settings.maxValueBytes());
        } else {
            throw ApiError.badRequest("missing_value", "no value: send a JSON body {\"value\": \"...\"}, ?value=,"
                    + " or raw bytes with Content-Type: application/octet-stream");
        }
        long leaseId = leaseOf(q);
        long grantTtl = q.get("ttl") == null ? 0 : LeaseTtl.parse(q.get("ttl"));
        if (leaseId > 0 && grantTtl > 0) {
            throw ApiError.badRequest("bad_request", "give either ?lease= (an existing lease) or ?ttl= (a new one), not both");
        }
        Function<Precondition, CompletableFuture<WriteOutcome>> put = leaseId > 0 || grantTtl > 0
                ? p -> backend.leases().put(key, bytes, p, leaseId, grantTtl)
                : p -> backend.put(key, bytes, p);
        WriteOutcome out = Preconditions.ifMatchAny(req.headers())
                ? whileExists(key, put)
                : Outcomes.await(put.apply(pre), settings.requestTimeout());
        res.header(HeaderNames.ETAG, etag(out.revision()));
        // A ?ttl= write grants its lease in the same entry, so the lease's id is the write's revision.
        sendOk(res, out, leaseId > 0 ? leaseId : grantTtl > 0 ? out.revision() : 0);
    }

    void delete(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        String key = key(req);
        Precondition pre = Preconditions.forWrite(req.headers(), false);
        WriteOutcome out = Preconditions.ifMatchAny(req.headers())
                ? whileExists(key, p -> backend.delete(key, p))
                : Outcomes.await(backend.delete(key, pre), settings.requestTimeout());
        sendOk(res, out, 0);
    }

    /** ?lease=ID: a positive number, else 400. */
    private static long leaseOf(QueryParams q) {
        String raw = q.get("lease");
        if (raw == null) return 0;
        try {
            long id = Long.parseLong(raw);
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest("bad_lease", "lease=\"" + raw + "\" is not valid: expected a positive number");
    }

    /**
     * If-Match: *: the write applies only while the key exists. It is made conditional on the revision
     * read just before, and retried with the newer revision a concurrent write left; a missing key is 412.
     */
    private WriteOutcome whileExists(String key, Function<Precondition, CompletableFuture<WriteOutcome>> write) {
        Optional<KeyValue> current = Outcomes.awaitRead(backend.get(key, true), settings.requestTimeout());
        if (current.isEmpty()) {
            throw new PreconditionFailedException(0);
        }
        long revision = current.get().modRevision();
        for (int attempt = 0; attempt < IF_MATCH_ANY_ATTEMPTS; attempt++) {
            try {
                return Outcomes.await(write.apply(Precondition.ifRevision(revision)), settings.requestTimeout());
            } catch (PreconditionFailedException changed) {
                if (changed.currentRevision() == 0) {
                    throw changed;
                }
                revision = changed.currentRevision();
            }
        }
        throw ApiError.unavailable("the key changed under " + IF_MATCH_ANY_ATTEMPTS + " attempts of If-Match: *; retry");
    }

    static String etag(long revision) {
        return "\"" + revision + "\"";
    }

    private String key(ServerRequest req) {
        return Keys.fromRawPath(req.prologue().uriPath().rawPath(), settings.maxKeyBytes());
    }

    static void writeRevisions(JsonGenerator g, KeyValue kv) throws IOException {
        g.writeNumberField("revision", kv.modRevision());
        g.writeNumberField("createRevision", kv.createRevision());
        g.writeNumberField("version", kv.version());
    }

    private static void sendOk(ServerResponse res, WriteOutcome out, long lease) throws IOException {
        try (Json.Body b = Json.body()) {
            b.g.writeStartObject();
            b.g.writeStringField("status", "OK");
            b.g.writeNumberField("revision", out.revision());
            if (lease > 0) b.g.writeNumberField("lease", lease);
            b.g.writeEndObject();
            Json.send(res, Status.OK_200, b);
        }
    }

    static boolean linearizable(QueryParams q) {
        String c = q.get("consistency");
        if (c == null || c.equals("linearizable")) {
            return true;
        }
        if (c.equals("stale")) {
            return false;
        }
        throw ApiError.badRequest("bad_consistency", "consistency=\"" + c + "\" is not valid: expected stale or linearizable");
    }

    /** The body's value; a body whose transfer fails is the client's fault (see {@link BodyFailure}). */
    private static String readBody(ServerRequest req, ServerResponse res) throws IOException {
        return readBody(req, res, KvHandlers::readValue);
    }

    /** Reads a JSON body; the parser's bad input is a 400 it throws itself. */
    @FunctionalInterface
    interface BodyParser<T> {
        T parse(InputStream in) throws IOException;
    }

    /** The parsed body; a body whose transfer fails is the client's fault (see {@link BodyFailure}). */
    static <T> T readBody(ServerRequest req, ServerResponse res, BodyParser<T> parser) throws IOException {
        try {
            return parser.parse(req.content().inputStream());
        } catch (ApiError | io.helidon.http.RequestException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            // The stream's position is unknown now, so this connection cannot carry another request.
            res.header(HeaderValues.CONNECTION_CLOSE);
            throw BodyFailure.of(e);
        }
    }

    /** Reads {"value": "..."} and nothing else; anything malformed is a 400. */
    private static String readValue(InputStream in) throws IOException {
        try (JsonParser p = Json.FACTORY.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("expected a JSON object {\"value\": \"...\"}");
            }
            String value = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String field = p.currentName();
                if (!"value".equals(field)) {
                    throw malformed("unknown field \"" + field + "\"; the body holds only \"value\"");
                }
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    throw malformed("\"value\" must be a JSON string");
                }
                if (value != null) {
                    throw malformed("\"value\" is given twice");
                }
                value = p.getText();
            }
            if (p.nextToken() != null) {
                throw malformed("unexpected content after the JSON object");
            }
            if (value == null) {
                throw malformed("the body has no \"value\"");
            }
            return value;
        } catch (StreamReadException e) {
            throw malformed("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static ApiError malformed(String message) {
        return ApiError.badRequest("malformed_body", message);
    }
}
