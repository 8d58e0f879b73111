package io.leifdb.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
            items.add(new KeyValue(item.path("key").asText(), item.path("value").asText().getBytes(StandardCharsets.UTF_8),
                    item.path("createRevision").asLong(), item.path("revision").asLong(), item.path("version").asLong()));
        }
        JsonNode next = body.path("next");
        return new Page(items, next.isTextual() ? Optional.of(next.asText()) : Optional.empty());
    }

    /** The node's /health document. */
    public JsonNode health() {
        return ok(send(request("/health").GET()));
    }

    /** The node's /cluster document. */
    public JsonNode cluster() {
        return ok(send(request("/cluster").GET()));
    }

    /** Percent-encodes every byte that is not unreserved, '/' included, so any key survives the path. */
    static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
    }

    private static HttpRequest.Builder conditional(HttpRequest.Builder b, Precondition pre) {
        return switch (pre) {
            case Precondition.None n -> b;
            case Precondition.IfRevision r -> b.header("If-Match", "\"" + r.rev() + "\"");
            case Precondition.IfAbsent a -> b.header("If-None-Match", "*");
        };
    }

    /** Sends, following 307/308 (which keep the method and body) up to {@value #MAX_REDIRECTS} times. */
    private HttpResponse<String> send(HttpRequest.Builder b) {
        HttpRequest req = b.build();
        String via = "";
        for (int hops = 0; ; hops++) {
            HttpResponse<String> r = sendOnce(req, via);
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

    private HttpResponse<String> sendOnce(HttpRequest req, String via) {
        String target = origin(req.uri());
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
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
        JsonNode body = parse(r);
        if (r.statusCode() / 100 != 2) {
            String error = body != null && body.hasNonNull("error") ? body.get("error").asText()
                    : "HTTP " + r.statusCode();
            throw new LeifClientException(r.statusCode(), code(r), error.replace('\n', ' '));
        }
        if (body == null) {
            throw new LeifClientException(r.statusCode(), "bad_response", "the server answered with something that is not JSON");
        }
        return body;
    }

    private static String code(HttpResponse<String> r) {
        JsonNode body = parse(r);
        return body != null && body.hasNonNull("code") ? body.get("code").asText() : "http_" + r.statusCode();
    }

    private static JsonNode parse(HttpResponse<String> r) {
        try {
            return MAPPER.readTree(r.body());
        } catch (IOException e) {
            return null;
        }
    }
}
