package io.leifdb.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Sends one call to the cluster: to the remembered leader or a live seed, following 307s (and remembering
 * where they led), and retrying by {@link RetryRule} what was not applied or is safe to repeat.
 * Thread-safe: the leader and the live seed are the only shared state, each one volatile field.
 */
final class Transport {
    static final int MAX_REDIRECTS = 5;
    /** 421 Misdirected Request: the node was removed from the cluster and answers nothing that needs it. */
    static final int REMOVED = 421;

    /** Where a call goes: the leader (writes, linearizable reads) or the seed a caller named (node-local calls). */
    enum Target {
        LEADER, SEED
    }

    /** One request; {@code body} null for none. */
    record Call(String method, String path, byte[] body, String contentType, Map<String, String> headers,
            RetryRule.Kind kind, Target target) {
        static Call get(String path, Target target) {
            return new Call("GET", path, null, null, Map.of(), RetryRule.Kind.READ, target);
        }
    }

    /** An answer; {@code body} is the handler's result on 2xx and the raw bytes otherwise. */
    record Answer(int status, HttpHeaders headers, URI uri, Object body) {
    }

    private final HttpClient http;
    private final List<String> seeds;
    private final Duration timeout;
    private final String authorization;
    private final RetryRule retry;
    /** Base URL of the node that last answered a leader-bound call, or null when none is known. */
    private volatile String leader;
    /** Index into seeds of the one believed alive; moves on when a seed refuses connections. */
    private volatile int liveSeed;

    Transport(HttpClient http, List<String> seeds, Duration timeout, String authorization, RetryRule retry) {
        this.http = http;
        this.seeds = List.copyOf(seeds);
        this.timeout = timeout;
        this.authorization = authorization;
        this.retry = retry;
    }

    /** The base URL of the remembered leader, if any. */
    Optional<String> leader() {
        return Optional.ofNullable(leader);
    }

    /** Sends with retries; returns the first answer that is not retried (any status), or throws. */
    Answer send(Call call, BodyHandler<?> okBodies) {
        RetryRule.State state = retry.start(call.kind());
        int outsidersSkipped = 0;
        while (true) {
            String base = base(call.target());
            try {
                Answer a = sendFollowing(call, base, okBodies);
                if (outside(a) && outsidersSkipped++ < seeds.size() - 1) {
                    // A member removed from the cluster, or still joining it, refused before doing anything: the next seed may serve.
                    dead(origin(a.uri()));
                    continue;
                }
                // Only the leader applies writes, and a redirect names it; a read may be a follower's answer.
                boolean redirected = !origin(a.uri()).equals(origin(URI.create(base)));
                boolean applied = call.kind() != RetryRule.Kind.READ && call.kind() != RetryRule.Kind.PROBE
                        && a.status() / 100 == 2;
                if (call.target() == Target.LEADER && a.status() != 503 && (redirected || applied)) {
                    leader = origin(a.uri());
                }
                if (!state.retryAfterAnswer(a)) return a;
            } catch (Failure f) {
                if (f.notSent()) dead(f.origin());
                state.failed(f);
            }
        }
    }

    /** 421 removed, or 503 joining (alone, a joining seed is retried like any 503: it serves once it has caught up). */
    private static boolean outside(Answer a) {
        if (a.status() == REMOVED) return true;
        if (a.status() != 503) return false;
        JsonNode body = Answers.json(a);
        return body != null && "joining".equals(body.path("code").asText());
    }

    /** Sends once to {@code base}, following redirects, with no retry. */
    Answer sendTo(String base, Call call, BodyHandler<?> okBodies) {
        try {
            return sendFollowing(call, base, okBodies);
        } catch (Failure f) {
            throw f.error();
        }
    }

    /** The base URL calls to {@code target} go to now. */
    String base(Target target) {
        String l = leader;
        return target == Target.LEADER && l != null ? l : seeds.get(liveSeed % seeds.size());
    }

    /** A request that got no answer: from whom, whether it never reached them, and what to tell the caller. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final String origin;
        private final boolean notSent;
        private final transient LeifException error;

        Failure(String origin, boolean notSent, LeifException error) {
            super(error.getMessage(), null, false, false);
            this.origin = origin;
            this.notSent = notSent;
            this.error = error;
        }

        String origin() {
            return origin;
        }

        boolean notSent() {
            return notSent;
        }

        LeifException error() {
            return error;
        }
    }

    /** A node refused the connection (or was removed): forget it as leader, and move past it if it is the live seed. */
    private void dead(String origin) {
        if (origin.equals(leader)) leader = null;
        if (origin.equals(origin(URI.create(seeds.get(liveSeed % seeds.size()))))) {
            liveSeed = (liveSeed + 1) % seeds.size();
        }
    }

    /** Sends, following 307/308 (which keep the method and body) up to {@value #MAX_REDIRECTS} times. */
    private Answer sendFollowing(Call call, String base, BodyHandler<?> okBodies) throws Failure {
        HttpRequest req = request(call, URI.create(base + call.path()));
        String via = "";
        for (int hops = 0; ; hops++) {
            Answer a = sendOnce(req, via, okBodies);
            Optional<String> location = a.headers().firstValue("Location");
            if ((a.status() != 307 && a.status() != 308) || location.isEmpty()) return a;
            URI next = req.uri().resolve(location.get());
            if (hops == MAX_REDIRECTS) {
                // Nothing was applied, and asking again would loop again: the caller hears of it at once.
                throw new LeifException(a.status(), "redirect", "more than " + MAX_REDIRECTS
                        + " redirects, the last from " + origin(req.uri()) + " to " + origin(next));
            }
            via = " (redirected there by " + origin(req.uri()) + ")";
            req = HttpRequest.newBuilder(req, (name, value) -> true).uri(next).build();
        }
    }

    private HttpRequest request(Call call, URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        if (authorization != null) b.header("Authorization", authorization);
        call.headers().forEach(b::header);
        if (call.contentType() != null) b.header("Content-Type", call.contentType());
        return b.method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(call.body())).build();
    }

    private Answer sendOnce(HttpRequest req, String via, BodyHandler<?> okBodies) throws Failure {
        String target = origin(req.uri());
        BodyHandler<Object> handler = info -> info.statusCode() / 100 == 2
                ? BodySubscribers.mapping(okBodies.apply(info), body -> (Object) body)
                : BodySubscribers.mapping(BodySubscribers.ofByteArray(), bytes -> (Object) bytes);
        try {
            HttpResponse<Object> r = http.send(req, handler);
            return new Answer(r.statusCode(), r.headers(), r.uri(), r.body());
        } catch (ConnectException e) {
            throw new Failure(target, true, new LeifException(0, "connection", "cannot connect to " + target + via
                    + ": connection refused"));
        } catch (HttpConnectTimeoutException e) {
            throw new Failure(target, true, new LeifException(0, "connection", "cannot connect to " + target + via
                    + " within " + timeout.toMillis() + " ms"));
        } catch (HttpTimeoutException e) {
            throw new Failure(target, false, new LeifException(0, "timeout", "no answer from " + target + via + " within "
                    + timeout.toMillis() + " ms"));
        } catch (SSLException e) {
            // Trying again cannot fix a certificate; the caller hears of it at once.
            throw new LeifException(0, "tls", "TLS with " + target + via + " failed: " + oneLine(e));
        } catch (IOException e) {
            throw new Failure(target, false, new LeifException(0, "connection", "request to " + req.uri() + via
                    + " failed: " + oneLine(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeifException(0, "interrupted", "interrupted while waiting for " + target);
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").strip();
    }

    static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
