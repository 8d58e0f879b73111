package io.leifdb.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client for a LeifDB cluster's HTTP API. Writes and linearizable reads go to the leader once it is known
 * (a follower's 307 is followed and remembered); stale reads, watches and node-local calls (health, metrics,
 * backup) go to the first live seed. What is retried, and when an {@link OutcomeUnknownException} is thrown
 * instead, is {@link RetryRule}'s to say. Every failure is a {@link LeifException}. Thread-safe; share one.
 * <pre>{@code
 * try (LeifClient db = LeifClient.builder("http://localhost:8080", "http://localhost:8081").build()) {
 *     long rev = db.put("greeting", "hello");
 *     db.get("greeting").ifPresent(kv -> System.out.println(kv.text() + " @" + kv.modRevision()));
 * }
 * }</pre>
 */
public final class LeifClient implements AutoCloseable {
    private static final String JSON = "application/json";
    private static final String OCTETS = "application/octet-stream";

    private final HttpClient http;
    private final Transport transport;
    private final RetryRule retry;
    /** The watches still running, so that close() ends them at once. */
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();

    LeifClient(HttpClient http, Transport transport, RetryRule retry) {
        this.http = http;
        this.transport = transport;
        this.retry = retry;
    }

    /** A builder for a client of the cluster these nodes belong to (any of them will do; dead ones are skipped). */
    public static LeifClientBuilder builder(String... urls) {
        return new LeifClientBuilder(List.of(urls));
    }

    /** The base URL of the leader the client remembers, if it knows one yet. */
    public Optional<String> leader() {
        return transport.leader();
    }

    // ---- keys ---------------------------------------------------------------------------------------------

    /** The key (linearizable read), or empty when it does not exist. */
    public Optional<KeyValue> get(String key) {
        return get(key, false);
    }

    /** The key, from the answering member's own state when {@code stale}; empty when it does not exist. */
    public Optional<KeyValue> get(String key, boolean stale) {
        Transport.Answer a = send(Transport.Call.get(Paths.key(key) + (stale ? "?consistency=stale" : ""), target(stale)));
        if (a.status() == 404 && Answers.error(a).isNotFound()) return Optional.empty();
        return Optional.of(keyValue(key, Answers.ok(a)));
    }

    /** The key's raw bytes (Accept: application/octet-stream), whatever they are; empty when it does not exist. */
    public Optional<byte[]> getBytes(String key, boolean stale) {
        Transport.Call call = new Transport.Call("GET", Paths.key(key) + (stale ? "?consistency=stale" : ""), null,
                null, Map.of("Accept", OCTETS), RetryRule.Kind.READ, target(stale));
        Transport.Answer a = transport.send(call, HttpResponse.BodyHandlers.ofByteArray());
        if (a.status() == 404 && Answers.error(a).isNotFound()) return Optional.empty();
        if (a.status() / 100 != 2) throw Answers.error(a);
        return Optional.of((byte[]) a.body());
    }

    /** Writes {@code value}; returns the new revision once the cluster committed and applied it. */
    public long put(String key, String value) {
        return put(key, value, Precondition.NONE);
    }

    public long put(String key, String value, Precondition pre) {
        byte[] body = Answers.json(Map.of("value", value));
        return revision(write("PUT", Paths.key(key), body, JSON, pre));
    }

    /** Writes raw bytes (Content-Type: application/octet-stream), for values that are not text. */
    public long put(String key, byte[] value, Precondition pre) {
        return revision(write("PUT", Paths.key(key), value, OCTETS, pre));
    }

    /** Deletes the key (a missing key also succeeds); returns the revision of the delete. */
    public long delete(String key) {
        return delete(key, Precondition.NONE);
    }

    public long delete(String key, Precondition pre) {
        if (pre instanceof Precondition.IfAbsent) throw new IllegalArgumentException("a delete cannot be If-None-Match");
        return revision(write("DELETE", Paths.key(key), null, null, pre));
    }

    /** One page of a listing; follow {@link Page#next()} with {@link ListQuery#withAfter} for the next one. */
    public Page list(ListQuery q) {
        JsonNode body = Answers.ok(send(Transport.Call.get("/db?" + q.queryString(), target(q.stale()))));
        List<KeyValue> items = new ArrayList<>();
        for (JsonNode item : body.path("items")) items.add(keyValue(item.path("key").asText(), item));
        List<String> prefixes = new ArrayList<>();
        body.path("prefixes").forEach(p -> prefixes.add(p.asText()));
        JsonNode next = body.path("next");
        return new Page(items, prefixes, next.isTextual() ? Optional.of(next.asText()) : Optional.empty(),
                body.has("count") ? OptionalLong.of(body.get("count").asLong()) : OptionalLong.empty());
    }

    // ---- transactions and watches ---------------------------------------------------------------------------

    public TxnResult txn(Txn txn) {
        return TxnResult.of(txn(txn.toJson()));
    }

    /** {@code POST /txn} with the transaction's JSON as the API takes it; returns the answer as it came. */
    public JsonNode txn(String json) {
        return Answers.ok(transport.send(new Transport.Call("POST", "/txn", json.getBytes(StandardCharsets.UTF_8), JSON,
                Map.of(), RetryRule.Kind.WRITE, Transport.Target.LEADER), HttpResponse.BodyHandlers.ofByteArray()));
    }

    /** Watches every key starting with {@code prefix}, from after {@code fromRevision} (-1: from now). */
    public Watch watchPrefix(String prefix, long fromRevision, WatchListener listener) {
        return running(new Watch(transport, retry, "prefix=" + Paths.encode(prefix), fromRevision, listener));
    }

    /** Watches one key, from after {@code fromRevision} (-1: from now). */
    public Watch watchKey(String key, long fromRevision, WatchListener listener) {
        return running(new Watch(transport, retry, "key=" + Paths.encode(key), fromRevision, listener));
    }

    private Watch running(Watch w) {
        watches.add(w);
        w.ended().whenComplete((why, failure) -> watches.remove(w));
        return w;
    }

    // ---- the rest of the API --------------------------------------------------------------------------------

    /** The cluster's administration calls (members, leadership, coding, node status, backup, metrics). */
    public Admin admin() {
        return new Admin(this);
    }

    /** Leases: keys that expire unless their owner keeps the lease alive (see {@link Leases#keepAliveForever}). */
    public Leases leases() {
        return new Leases(this);
    }

    /** Users, roles and tokens, when the cluster has authentication on. */
    public AuthAdmin auth() {
        return new AuthAdmin(this);
    }

    /**
     * Any JSON call to the API: {@code body} null for none; returns the answer's JSON or throws its error. A GET
     * goes to the live seed and is retried as a read; any other method goes to the leader, as a write that is
     * never repeated once sent.
     */
    public JsonNode call(String method, String path, String body) {
        boolean read = method.equals("GET");
        return Answers.ok(transport.send(new Transport.Call(method, path, body == null ? null
                : body.getBytes(StandardCharsets.UTF_8), body == null ? null : JSON, Map.of(),
                read ? RetryRule.Kind.READ : RetryRule.Kind.WRITE, read ? Transport.Target.SEED : Transport.Target.LEADER),
                HttpResponse.BodyHandlers.ofByteArray()));
    }

    /** Ends the running watches (their listeners hear {@code onEnd(null)}) and stops the client's connections. */
    @Override
    public void close() {
        watches.forEach(Watch::close);
        http.shutdownNow();
    }

    // ---- for Admin, AuthAdmin -------------------------------------------------------------------------------

    Transport transport() {
        return transport;
    }

    Transport.Answer send(Transport.Call call) {
        return transport.send(call, HttpResponse.BodyHandlers.ofByteArray());
    }

    JsonNode json(String method, String path, JsonNode body, Transport.Target target) {
        RetryRule.Kind kind = method.equals("GET") ? RetryRule.Kind.READ : RetryRule.Kind.WRITE;
        return Answers.ok(send(new Transport.Call(method, path, body == null ? null : Answers.json(body),
                body == null ? null : JSON, Map.of(), kind, target)));
    }

    private static Transport.Target target(boolean stale) {
        return stale ? Transport.Target.SEED : Transport.Target.LEADER;
    }

    private Transport.Answer write(String method, String path, byte[] body, String type, Precondition pre) {
        Map<String, String> headers = switch (pre) {
            case Precondition.None n -> Map.of();
            case Precondition.IfRevision r -> Map.of("If-Match", "\"" + r.rev() + "\"");
            case Precondition.IfAbsent a -> Map.of("If-None-Match", "*");
            case Precondition.IfExists e -> Map.of("If-Match", "*");
        };
        // If-Match: * holds again after the first attempt applied, so only revision and absence make a repeat safe.
        RetryRule.Kind kind = pre instanceof Precondition.IfRevision || pre instanceof Precondition.IfAbsent
                ? RetryRule.Kind.CONDITIONAL_WRITE : RetryRule.Kind.WRITE;
        return send(new Transport.Call(method, path, body, type, headers, kind, Transport.Target.LEADER));
    }

    private static long revision(Transport.Answer a) {
        return Answers.ok(a).path("revision").asLong();
    }

    private static KeyValue keyValue(String key, JsonNode item) {
        byte[] value = WatchEvent.value(item);
        return new KeyValue(key, value == null ? new byte[0] : value, item.path("createRevision").asLong(),
                item.path("revision").asLong(), item.path("version").asLong());
    }
}
