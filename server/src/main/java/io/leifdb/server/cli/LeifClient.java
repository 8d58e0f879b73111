package io.leifdb.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leifdb.server.config.DataDir;
import io.leifdb.server.kv.KeyValue;
import io.leifdb.server.kv.Page;
import io.leifdb.server.kv.Precondition;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import io.leifdb.server.tls.ClientSsl;

/**
 * A small Java client for one LeifDB node's HTTP API. It follows the 307 a follower answers with, so
 * any node of the cluster will do. Failures are {@link LeifClientException}s with a one-line message
 * that names the address that failed, the leader's after a redirect.
 */
public final class LeifClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_REDIRECTS = 5;

    private final String base;
    private final Duration timeout;
    private final HttpClient http;
    /** The Authorization header sent with every request (Basic or Bearer), or null for none. */
    private final String authorization;

    /** A stored value and the revision of its last write (usable with If-Match). */
    public record Read(String value, long revision) {
    }

    public LeifClient(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(10));
    }

    public LeifClient(String baseUrl, Duration timeout) {
        this(baseUrl, timeout, null);
    }

    /** {@code ssl}: whom to trust and what to present over https (see ClientSsl); null for the JDK's defaults. */
    public LeifClient(String baseUrl, Duration timeout, SSLContext ssl) {
        this(baseUrl, timeout, ssl, null);
    }

    /** {@code authorization}: the Authorization header for every request (see CredentialOptions), or null. */
    public LeifClient(String baseUrl, Duration timeout, SSLContext ssl, String authorization) {
        this.authorization = authorization;
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new LeifClientException(0, "bad_url", "--url \"" + baseUrl + "\" is not valid: expected http://host:port or https://host:port");
        }
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        // Redirects are followed by send(), so that an error can name the address that failed.
        HttpClient.Builder b = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout);
        if (ssl != null) b.sslContext(ssl).sslParameters(ClientSsl.parameters(ssl));
        this.http = b.build();
    }

    /** The value, or empty when the key does not exist. */
    public Optional<Read> get(String key, boolean stale) {
        HttpResponse<String> r = send(request("/db/" + encode(key) + (stale ? "?consistency=stale" : "")).GET());
        if (r.statusCode() == 404 && "not_found".equals(code(r))) {
            return Optional.empty();
        }
        JsonNode body = ok(r);
        return Optional.of(new Read(body.path("value").asText(), body.path("revision").asLong()));
    }

    /** Writes and returns the new revision once the cluster has committed and applied it. */
    public long put(String key, String value, Precondition pre) {
        String json;
        try {
            json = MAPPER.writeValueAsString(MAPPER.createObjectNode().put("value", value));
        } catch (IOException e) {
            throw new LeifClientException(0, "bad_value", "cannot encode the value: " + e.getMessage());
        }
        HttpRequest.Builder b = conditional(request("/db/" + encode(key)), pre)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json));
        return ok(send(b)).path("revision").asLong();
    }

    public long put(String key, String value) {
        return put(key, value, Precondition.NONE);
    }

    /** Deletes (a missing key also succeeds) and returns the revision of the delete. */
    public long delete(String key, Precondition pre) {
        return ok(send(conditional(request("/db/" + encode(key)), pre).DELETE())).path("revision").asLong();
    }

    public long delete(String key) {
        return delete(key, Precondition.NONE);
    }

    /** One page of the keys starting with {@code prefix} after the key {@code after} ("" for the first page). */
    public Page list(String prefix, String after, int limit, boolean stale) {
        JsonNode body = ok(send(request("/db?prefix=" + encode(prefix) + "&after=" + encode(after) + "&limit=" + limit
                + (stale ? "&consistency=stale" : "")).GET()));
        List<KeyValue> items = new ArrayList<>();
        for (JsonNode item : body.path("items")) {
            items.add(new KeyValue(item.path("key").asText(), valueBytes(item),
                    item.path("createRevision").asLong(), item.path("revision").asLong(), item.path("version").asLong()));
        }
        JsonNode next = body.path("next");
        return new Page(items, next.isTextual() ? Optional.of(next.asText()) : Optional.empty());
    }

    /** A value as the server sent it: text, or base64 for bytes that are not UTF-8. */
    static byte[] valueBytes(JsonNode item) {
        String value = item.path("value").asText();
        return "base64".equals(item.path("encoding").asText())
                ? java.util.Base64.getDecoder().decode(value) : value.getBytes(StandardCharsets.UTF_8);
    }

    /** POST /txn with {@code body} (the transaction's JSON, as the API takes it); returns the answer. */
    public JsonNode txn(String body) {
        return ok(send(request("/txn").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))));
    }

    /**
     * GET /watch: hands {@code onEvent} each event's name and JSON data, in order, until the stream ends
     * (the node ended it, or went away); returns the name of the last event.
     */
    public String watch(String key, String prefix, Long fromRevision, java.util.function.BiConsumer<String, String> onEvent) {
        StringBuilder q = new StringBuilder(key != null ? "key=" + encode(key) : "prefix=" + encode(prefix == null ? "" : prefix));
        if (fromRevision != null) q.append("&fromRevision=").append(fromRevision);
        HttpResponse<java.util.stream.Stream<String>> r = send(request("/watch?" + q).GET(),
                HttpResponse.BodyHandlers.ofLines());
        try (java.util.stream.Stream<String> lines = r.body()) {
            if (r.statusCode() != 200) {
                ok(r.statusCode(), String.join("\n", lines.toList())); // throws, naming the error
            }
            String[] event = {""};
            lines.forEach(line -> {
                if (line.startsWith("event: ")) {
                    event[0] = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    onEvent.accept(event[0], line.substring(6));
                }
            });
            return event[0];
        } catch (java.io.UncheckedIOException gone) {
            throw new LeifClientException(0, "unavailable", "the watch stream from " + base + " broke: " + gone.getMessage());
        }
    }

    /** The node's /health document. */
    public JsonNode health() {
        return ok(send(request("/health").GET()));
    }

    /** The node's /readyz document, whether ready (200) or not (503 with a reason). */
    public JsonNode readiness() {
        HttpResponse<String> r = send(request("/readyz").GET());
        JsonNode body = parse(r.body());
        if (r.statusCode() == 503 && body != null && "not_ready".equals(code(r))) return body;
        return ok(r);
    }

    /** The node's /cluster document. */
    public JsonNode cluster() {
        return ok(send(request("/cluster").GET()));
    }

    /**
     * GET /cluster/members, from the leader when this node is not it (only the leader knows match
     * indexes, lag and contact times); the answering node's own view when the leader cannot be asked.
     */
    public JsonNode members() {
        JsonNode here = ok(send(request("/cluster/members").GET()));
        JsonNode leader = here.path("leaderAddress");
        if (!"follower".equals(here.path("view").asText()) || !leader.isTextual()) return here;
        try { // the same client and scheme, so TLS settings carry over
            URI atLeader = URI.create(URI.create(base).getScheme() + "://" + leader.asText() + "/cluster/members");
            return ok(send(HttpRequest.newBuilder(atLeader).timeout(timeout).GET()));
        } catch (LeifClientException | IllegalArgumentException unreachable) {
            return here;
        }
    }

    /** DELETE /cluster/members/{id}: returns the answer once the removal committed (see README, "Change the cluster"). */
    public JsonNode removeMember(long id, boolean force) {
        return ok(send(request("/cluster/members/" + id + (force ? "?force=true" : "")).DELETE()));
    }

    /** POST /cluster/members: adds a learner at these addresses (id 0: the leader draws one); returns once committed. */
    public JsonNode addMember(String raftAddress, String httpAddress, long id) {
        var body = MAPPER.createObjectNode().put("raftAddress", raftAddress).put("httpAddress", httpAddress);
        if (id != 0) body.put("id", String.valueOf(id));
        return ok(send(request("/cluster/members").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))));
    }

    /** POST /cluster/members/{id}/promote: makes a caught-up learner a voter; returns once committed. */
    public JsonNode promoteMember(long id) {
        return ok(send(request("/cluster/members/" + id + "/promote").POST(HttpRequest.BodyPublishers.noBody())));
    }

    /** POST /cluster/leader: hands leadership to {@code to}, or with 0 to the most up-to-date voter. */
    public JsonNode transferLeadership(long to) {
        String body = to == 0 ? "{}" : MAPPER.createObjectNode().put("to", String.valueOf(to)).toString();
        return ok(send(request("/cluster/leader").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))));
    }

    /** The node's /metrics, in the Prometheus text format. */
    public String metrics() {
        HttpResponse<String> r = send(request("/metrics").GET());
        if (r.statusCode() != 200) ok(r); // throws, naming the error
        return r.body();
    }

    /** Percent-encodes every byte that is not unreserved, '/' included, so any key survives the path. */
    static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    /** A JSON call to the API (the /auth routes): {@code body} null for none; the answer's JSON, or the error. */
    public JsonNode call(String method, String path, String body) {
        HttpRequest.Builder b = request(path).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        return ok(send(b));
    }

    private static HttpRequest.Builder conditional(HttpRequest.Builder b, Precondition pre) {
        return switch (pre) {
            case Precondition.None n -> b;
            case Precondition.IfRevision r -> b.header("If-Match", "\"" + r.rev() + "\"");
            case Precondition.IfAbsent a -> b.header("If-None-Match", "*");
        };
    }

    /**
     * Streams the node's GET /backup into {@code target} (created or replaced); the caller verifies it.
     * {@code --timeout} bounds the wait until the node starts sending, which includes taking the copy.
     */
    public void backup(Path target) {
        try {
            DataDir.write(target, new byte[0]); // a backup holds every value: the owner's alone, as the data directory
        } catch (IOException e) {
            throw new LeifClientException(0, "file", "cannot write " + target + ": " + e.getMessage());
        }
        HttpResponse<Path> r = send(request("/backup").GET(), HttpResponse.BodyHandlers.ofFile(target,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
        if (r.statusCode() == 200) return;
        String body;
        try {
            body = Files.readString(target);
            Files.deleteIfExists(target);
        } catch (IOException e) {
            body = "";
        }
        ok(r.statusCode(), body);
        throw new LeifClientException(r.statusCode(), "bad_response", "GET /backup answered " + r.statusCode());
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        return send(b, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends, following 307/308 (which keep the method and body) up to {@value #MAX_REDIRECTS} times. */
    private <T> HttpResponse<T> send(HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler) {
        HttpRequest req = b.build();
        String via = "";
        for (int hops = 0; ; hops++) {
            HttpResponse<T> r = sendOnce(req, via, handler);
            Optional<String> location = r.headers().firstValue("Location");
            if ((r.statusCode() != 307 && r.statusCode() != 308) || location.isEmpty()) {
                return r;
            }
            URI next = req.uri().resolve(location.get());
            if (hops == MAX_REDIRECTS) {
                throw new LeifClientException(r.statusCode(), "redirect", "more than " + MAX_REDIRECTS
                        + " redirects, the last from " + origin(req.uri()) + " to " + origin(next));
            }
            via = " (redirected there by " + origin(req.uri()) + ")";
            req = HttpRequest.newBuilder(req, (name, value) -> true).uri(next).build();
        }
    }

    private <T> HttpResponse<T> sendOnce(HttpRequest req, String via, HttpResponse.BodyHandler<T> handler) {
        String target = origin(req.uri());
        try {
            return http.send(req, handler);
        } catch (ConnectException e) {
            throw new LeifClientException(0, "connection", "cannot connect to " + target + via + ": connection refused");
        } catch (HttpTimeoutException e) {
            throw new LeifClientException(0, "timeout", "no answer from " + target + via + " within "
                    + timeout.toMillis() + " ms");
        } catch (SSLException e) {
            throw new LeifClientException(0, "tls", "TLS with " + target + via + " failed: " + oneLine(e)
                    + " (--cacert must be the CA that signed the node's certificate; --cert/--key if it requires one)");
        } catch (IOException e) {
            throw new LeifClientException(0, "connection", "request to " + req.uri() + via + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeifClientException(0, "interrupted", "interrupted");
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").strip();
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static JsonNode ok(HttpResponse<String> r) {
        return ok(r.statusCode(), r.body());
    }

    private static JsonNode ok(int status, String text) {
        JsonNode body = parse(text);
        if (status / 100 != 2) {
            String error = body != null && body.hasNonNull("error") ? body.get("error").asText() : "HTTP " + status;
            throw new LeifClientException(status, code(status, body), error.replace('\n', ' '));
        }
        if (body == null) {
            throw new LeifClientException(status, "bad_response", "the server answered with something that is not JSON");
        }
        return body;
    }

    private static String code(HttpResponse<String> r) {
        return code(r.statusCode(), parse(r.body()));
    }

    private static String code(int status, JsonNode body) {
        return body != null && body.hasNonNull("code") ? body.get("code").asText() : "http_" + status;
    }

    private static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
