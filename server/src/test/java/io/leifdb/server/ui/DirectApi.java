package io.leifdb.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Talks to the cluster without the browser, to set the scene and to check what the UI did. */
final class DirectApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(TIMEOUT)
            .build();
    private final List<String> bases;

    DirectApi(List<String> bases) {
        this.bases = bases;
    }

    record Reply(int status, JsonNode body) {}

    Reply get(String base, String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET());
    }

    /** Writes through the first member; a follower's 307 is followed to the leader. */
    Reply put(String key, String value) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("value", value));
        return send(HttpRequest.newBuilder(keyUri(bases.get(0), key))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply getKey(String key) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(keyUri(bases.get(0), key)).GET());
    }

    /** DELETE on the first member; a follower's 307 is followed to the leader. */
    Reply delete(String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(bases.get(0) + pathAndQuery)).DELETE());
    }

    /** Any call on the first member, with a JSON body or none, answered within {@code timeout}; 307s are followed. */
    Reply call(String method, String pathAndQuery, String json, java.time.Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(bases.get(0) + pathAndQuery))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        HttpResponse<String> r = http.send(b.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
    }

    /** The base URL of a member whose /health says it follows, or null when none does right now. */
    String aFollower() throws IOException, InterruptedException {
        for (String base : bases) {
            Reply r = get(base, "/health");
            if (r.status() == 200 && "follower".equalsIgnoreCase(r.body().path("role").asText())) {
                return base;
            }
        }
        return null;
    }

    /** The index of the member whose /health says it leads, or -1. */
    int leaderIndex() throws IOException, InterruptedException {
        for (int i = 0; i < bases.size(); i++) {
            Reply r = get(bases.get(i), "/health");
            if (r.status() == 200 && "leader".equalsIgnoreCase(r.body().path("role").asText())) {
                return i;
            }
        }
        return -1;
    }

    /** True when the member at base answers and knows of no leader (id 0 or none). */
    boolean knowsNoLeader(String base) {
        try {
            Reply r = get(base, "/health");
            return r.status() == 200 && r.body().path("leader").asLong(0) <= 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static URI keyUri(String base, String key) {
        return URI.create(base + "/db/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        return new Reply(r.statusCode(), body);
    }
}
