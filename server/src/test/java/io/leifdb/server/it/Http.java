package io.leifdb.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small HTTP client for integration tests: no redirects unless asked, JSON bodies parsed on demand. */
public final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient NO_REDIRECTS = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();
    private static final HttpClient FOLLOWING = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NORMAL).build();

    private Http() {
    }

    public record Response(int status, Map<String, java.util.List<String>> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> String.join(",", e.getValue())).findFirst().orElse(null);
        }
    }

    public static Response get(String url, String... headers) throws IOException, InterruptedException {
        return send("GET", url, null, false, headers);
    }

    public static Response put(String url, String body, String... headers) throws IOException, InterruptedException {
        return send("PUT", url, body, false, headers);
    }

    public static Response delete(String url, String... headers) throws IOException, InterruptedException {
        return send("DELETE", url, null, false, headers);
    }

    /** Like {@code curl -L}: follows 307 to the leader, keeping method and body. */
    public static Response putFollowing(String url, String body) throws IOException, InterruptedException {
        return send("PUT", url, body, true);
    }

    public static String valueJson(String value) {
        try {
            return JSON.writeValueAsString(Map.of("value", value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Response send(String method, String url, String body, boolean follow, String... headers)
            throws IOException, InterruptedException {
        return sendWithin(Duration.ofSeconds(10), method, url, body, follow, headers);
    }

    /** As {@link #send}, for a call that may take longer than 10 s to answer. */
    public static Response sendWithin(Duration timeout, String method, String url, String body, boolean follow,
            String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        HttpResponse<String> r = (follow ? FOLLOWING : NO_REDIRECTS).send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.headers().map(), r.body());
    }
}
