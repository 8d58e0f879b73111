package io.leifdb.server.it.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * A client of the /db API that follows redirects itself, so that every hop is visible: it re-sends
 * only after answers that prove nothing was proposed (see {@link ReplyRules#next}), and stops after
 * a bounded number of attempts.
 */
public final class KvClient {
    /** Waits between retries; returns early when the test is stopping. */
    @FunctionalInterface
    public interface Pause {
        void pause(long millis) throws InterruptedException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RETRY_PAUSE_MS = 100;

    private final HttpClient http;
    private final List<String> baseUrls;
    private final Duration timeout;
    private final int maxAttempts;

    /** @param baseUrls node i answers at {@code baseUrls.get(i)}, e.g. {@code http://127.0.0.1:8080} */
    public KvClient(List<String> baseUrls, Duration timeout, int maxAttempts) {
        this.baseUrls = List.copyOf(baseUrls);
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Runs {@code r} starting at node {@code first}; {@code another} picks the node for a retry.
     * Returns every attempt in order; the last one decides the outcome.
     */
    public List<Attempt> execute(Request r, int first, IntSupplier another, Pause pause) throws InterruptedException {
        List<Attempt> trail = new ArrayList<>();
        URI target = URI.create(baseUrls.get(first) + "/db/" + r.key());
        int node = first;
        while (true) {
            Attempt a = send(node, target, r);
            trail.add(a);
            ReplyRules.Next next = ReplyRules.next(a);
            if (next == ReplyRules.Next.DONE || trail.size() >= maxAttempts) return trail;
            if (next == ReplyRules.Next.FOLLOW) {
                target = URI.create(((Attempt.Answered) a).location());
                node = nodeOf(target);
            } else {
                pause.pause(RETRY_PAUSE_MS);
                node = another.getAsInt();
                target = URI.create(baseUrls.get(node) + "/db/" + r.key());
            }
        }
    }

    private Attempt send(int node, URI uri, Request r) throws InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        switch (r.kind()) {
            case READ -> b.GET();
            case DELETE -> b.DELETE();
            case WRITE, IF_MATCH, IF_ABSENT -> {
                b.PUT(HttpRequest.BodyPublishers.ofString(body(r.value())));
                b.header("Content-Type", "application/json");
                if (r.kind() == Request.Kind.IF_MATCH) b.header("If-Match", r.etag());
                if (r.kind() == Request.Kind.IF_ABSENT) b.header("If-None-Match", "*");
            }
        }
        HttpResponse<String> resp;
        try {
            resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            // The TCP connection never opened, so the node cannot have seen the request.
            return new Attempt.NotSent(node, e.getClass().getSimpleName());
        } catch (HttpTimeoutException e) {
            return new Attempt.Lost(node, "timeout");
        } catch (IOException e) {
            return new Attempt.Lost(node, e.getClass().getSimpleName());
        }
        String etag = resp.headers().firstValue("ETag").orElse(null);
        String location = resp.headers().firstValue("Location").orElse(null);
        JsonNode json = parse(resp.body());
        String code = json.path("code").isTextual() ? json.path("code").asText() : null;
        String value = resp.statusCode() == 200 && r.isRead() && json.path("value").isTextual()
                ? json.path("value").asText() : null;
        return new Attempt.Answered(node, resp.statusCode(), code, value, etag, location);
    }

    /** The index of the node a redirect names, or -1 if it is none of ours. */
    private int nodeOf(URI target) {
        String authority = target.getScheme() + "://" + target.getAuthority();
        for (int i = 0; i < baseUrls.size(); i++) {
            if (baseUrls.get(i).equals(authority)) return i;
        }
        return -1;
    }

    private static String body(String value) {
        try {
            return JSON.writeValueAsString(Map.of("value", value));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isEmpty() ? JSON.missingNode() : JSON.readTree(body);
        } catch (IOException notJson) {
            return JSON.missingNode();
        }
    }
}
