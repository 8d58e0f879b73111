package io.leifdb.server.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leifdb.server.config.JoinSettings;
import io.leifdb.server.kv.AddressBook;
import io.leifdb.server.tls.ClientSsl;
import io.leifdb.server.transport.ClusterIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * LEIFDB_JOIN: an empty node asks a running cluster to add it as a learner ({@code POST
 * /cluster/members}, following a follower's 307 to the leader) and learns the cluster's id and where
 * its members listen. While the cluster cannot add it (unreachable, no leader, another change in
 * flight, its address still held by a gone member) it retries with back-off and says why. The
 * request is idempotent for the same id and addresses, so a retry after a lost answer is safe.
 *
 * <p>On a secured cluster (issue 15) it speaks HTTPS, verifying the member against the join CA and
 * never falling back to plain HTTP (a redirect from https to http is refused), and authenticates as
 * the join user. Refused credentials (401, 403) are retried like other failures: the cluster may not
 * have applied its root user yet, or an operator may fix the password or grant the role there. A 401
 * to a node that has no credentials at all stops it: only a restart with a password file can help.
 */
final class JoinRequest {
    private static final Logger log = LoggerFactory.getLogger(JoinRequest.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final long FIRST_PAUSE_MILLIS = 200;
    static final long MAX_PAUSE_MILLIS = 5_000;
    private static final int MAX_REDIRECTS = 5;

    /** What the cluster answered: its id and its other members' addresses. */
    record Joined(long clusterId, AddressBook members) {
    }

    /** The cluster refused in a way a retry cannot fix (a 4xx other than 409). */
    static final class Refused extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final JoinSettings settings;
    private final URI target;
    private final long id;
    private final AddressBook.Addresses self;
    private final Optional<String> authorization;
    private final HttpClient client;

    JoinRequest(JoinSettings settings, long id, AddressBook.Addresses self) {
        this.settings = settings;
        this.target = settings.target();
        this.id = id;
        this.self = self;
        this.authorization = settings.user().map(u -> "Basic " + Base64.getEncoder().encodeToString(
                (u + ":" + settings.password().orElseThrow()).getBytes(StandardCharsets.UTF_8)));
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER);
        settings.tls().ifPresent(ctx -> b.sslContext(ctx).sslParameters(ClientSsl.parameters(ctx)));
        this.client = b.build();
    }

    /** Asks until the cluster has added this node as a learner. */
    Joined run() throws IOException {
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            String why;
            try {
                return once();
            } catch (Retry r) {
                why = r.getMessage();
            } catch (IOException e) {
                why = tls(e) ? "the TLS handshake with " + target.getAuthority() + " failed (" + detail(e) + "); does "
                        + JoinSettings.JOIN_CA + " (default LEIFDB_PEER_TLS_CA) name the CA that signed its certificate?"
                        : "cannot reach " + target + ": " + detail(e);
            }
            log.warn("joining the cluster through {} as member {}: {}; retrying in {} ms", target, id, why, pause);
            try {
                TimeUnit.MILLISECONDS.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while joining");
            }
            pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
        }
    }

    private Joined once() throws IOException {
        String body = MAPPER.writeValueAsString(Map.of("id", Long.toString(id), "raftAddress", self.raft(),
                "httpAddress", self.http()));
        URI uri = target.resolve("/cluster/members");
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            authorization.ifPresent(a -> rb.header("Authorization", a));
            HttpRequest req = rb.build();
            HttpResponse<String> res;
            try {
                res = client.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while joining");
            }
            int code = res.statusCode();
            if (code == 307 || code == 308) {
                String next = res.headers().firstValue("Location").orElseThrow(() -> new Retry("a redirect without Location"));
                URI to = uri.resolve(next);
                if (!target.getScheme().equals(to.getScheme())) {
                    throw new Retry(uri.getAuthority() + " redirected to " + to.getScheme() + "://" + to.getAuthority()
                            + "; a join keeps the scheme of " + target.getScheme() + "://");
                }
                uri = to;
                continue;
            }
            if (code == 200 || code == 201) return parse(res.body());
            String message = message(res.body());
            if (code == 401 && authorization.isEmpty()) {
                throw new Refused("the cluster at " + target + " requires authentication (401: " + message + "); set "
                        + JoinSettings.JOIN_PASSWORD_FILE + " (and " + JoinSettings.JOIN_USER + " if not root)");
            }
            if (code == 401 || code == 403) {
                throw new Retry(uri.getAuthority() + " refused the join as " + settings.user().orElseThrow() + " (" + code
                        + ": " + message + ")" + (code == 401 ? "; check " + JoinSettings.JOIN_PASSWORD_FILE
                        : "; the user needs the root role"));
            }
            if (code == 409 || code == 503 || code >= 500) throw new Retry(uri.getAuthority() + " answered " + code + ": " + message);
            throw new Refused("the cluster at " + target + " refused to add this node (" + code + "): " + message);
        }
        throw new Retry("more than " + MAX_REDIRECTS + " redirects");
    }

    private static Joined parse(String body) throws IOException {
        JsonNode n = MAPPER.readTree(body);
        long clusterId = ClusterIds.parse(n.path("clusterId").asText(""));
        Map<Long, AddressBook.Addresses> m = new HashMap<>();
        for (JsonNode member : n.path("members")) {
            m.put(Long.parseLong(member.path("id").asText()),
                    new AddressBook.Addresses(member.path("raftAddress").asText(), member.path("httpAddress").asText()));
        }
        return new Joined(clusterId, new AddressBook(m));
    }

    private static String message(String body) {
        try {
            JsonNode n = MAPPER.readTree(body);
            if (n != null && n.has("error")) return n.get("error").asText();
            if (n != null && n.has("message")) return n.get("message").asText();
        } catch (IOException e) {
            // not our JSON: show the start of what came
        }
        return body.length() > 200 ? body.substring(0, 200) : body;
    }

    private static boolean tls(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof SSLException) return true;
        return false;
    }

    private static String detail(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Worth asking again later. Cheap: no stack trace. */
    private static final class Retry extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Retry(String message) {
            super(message, null, false, false);
        }
    }
}
