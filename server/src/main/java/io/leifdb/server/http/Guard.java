package io.leifdb.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps every endpoint handler: parses the query against the endpoint's parameters, turns failures into
 * JSON errors (never a stack trace), and records the request's latency.
 */
final class Guard {
    private static final Logger LOG = LoggerFactory.getLogger(Guard.class);
    static final String RETRY_AFTER_SECONDS = "1";

    /** An endpoint's logic; it may throw {@link ApiError} and the backend's exceptions. */
    @FunctionalInterface
    interface ApiHandler {
        void handle(ServerRequest req, ServerResponse res, QueryParams query) throws IOException;
    }

    private Guard() {
    }

    static Handler wrap(Endpoint endpoint, ApiHandler handler, HttpMetrics metrics) {
        return (req, res) -> {
            long start = System.nanoTime();
            try {
                handler.handle(req, res, QueryParams.parse(req.query().rawValue(), endpoint.queryParams));
            } catch (RequestException | CloseConnectionException e) {
                // Helidon's own verdict on the connection (e.g. a chunked body past the payload limit): it
                // answers through our JSON direct handlers and decides whether the connection survives.
                throw e;
            } catch (RuntimeException | IOException e) {
                fail(req, res, e);
            } finally {
                metrics.record(endpoint, res.status().code(), System.nanoTime() - start);
            }
        };
    }

    static void fail(ServerRequest req, ServerResponse res, Exception e) {
        if (res.isSent()) {
            LOG.debug("failure after the response was sent: {}", e.toString());
            return;
        }
        switch (e) {
            case BodyFailure.ClientGone g -> {
                LOG.debug("client went away during {} {}: {}", req.prologue().method().text(), req.path().rawPath(),
                        g.getMessage());
                closeQuietly(res);
            }
            case ApiError a -> {
                if (a.status == Status.SERVICE_UNAVAILABLE_503) {
                    res.header(HeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
                }
                Json.sendError(res, a.status, a.code, a.getMessage());
            }
            case NotLeaderException n -> notLeader(req, res, n);
            case RequestRefused m -> {
                Status status = switch (m.kind()) {
                    case NOT_FOUND -> Status.NOT_FOUND_404;
                    case CONFLICT -> Status.CONFLICT_409;
                    case UNAVAILABLE -> Status.SERVICE_UNAVAILABLE_503;
                };
                if (status == Status.SERVICE_UNAVAILABLE_503) res.header(HeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
                Json.sendError(res, status, m.code(), m.getMessage());
            }
            case io.leifdb.server.auth.AuthRefusedException r -> Json.sendError(res, AuthStatus.of(r), r.code, r.getMessage());
            case PreconditionFailedException p -> preconditionFailed(res, p);
            case io.helidon.http.HttpException h when h.status().code() < 500 -> {
                // Helidon's static content signals 304 Not Modified (and 404s) by throwing.
                if (h.status().code() == 304) {
                    res.status(h.status()).send();
                } else {
                    Json.sendError(res, h.status(), "http_" + h.status().code(), h.getMessage());
                }
            }
            case UncheckedIOException io -> Json.sendError(res, Status.BAD_REQUEST_400, "bad_request",
                    "the request could not be read: " + io.getCause().getMessage());
            default -> {
                LOG.error("unexpected failure on {} {}", req.prologue().method().text(), req.path().rawPath(), e);
                Json.sendError(res, Status.INTERNAL_SERVER_ERROR_500, "internal",
                        "internal error; the server log has the details");
            }
        }
    }

    /** Nobody is listening; answer only so Helidon does not complain that the route never did. */
    private static void closeQuietly(ServerResponse res) {
        try {
            res.header(HeaderValues.CONNECTION_CLOSE);
            res.status(Status.BAD_REQUEST_400).send();
        } catch (RuntimeException ignored) {
            // the peer is gone; its socket is already broken
        }
    }

    /** 307 to the leader with the same path and query, so clients (and curl -L) retry there unchanged. */
    private static void notLeader(ServerRequest req, ServerResponse res, NotLeaderException n) {
        if (n.leaderHttpAddress().isEmpty()) {
            res.header(HeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
            Json.sendError(res, Status.SERVICE_UNAVAILABLE_503, "no_leader",
                    "no leader is known right now (election in progress?); retry shortly");
            return;
        }
        String leader = n.leaderHttpAddress().get();
        // Every member serves the same scheme, so a client that came over TLS is sent on over TLS.
        String scheme = req.isSecure() ? "https://" : "http://";
        String base = leader.startsWith("http://") || leader.startsWith("https://") ? leader : scheme + leader;
        String rawQuery = req.query().rawValue();
        String location = base + req.prologue().uriPath().rawPath()
                + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
        res.header(HeaderNames.LOCATION, location);
        Json.sendError(res, Status.TEMPORARY_REDIRECT_307, "not_leader", "this node is not the leader; the leader is "
                + leader);
    }

    private static void preconditionFailed(ServerResponse res, PreconditionFailedException p) throws UncheckedIOException {
        if (p.currentRevision() > 0) {
            res.header(HeaderNames.ETAG, KvHandlers.etag(p.currentRevision()));
        }
        try (Json.Body b = Json.body()) {
            b.g.writeStartObject();
            b.g.writeStringField("error", "precondition failed: " + p.getMessage());
            b.g.writeStringField("code", "precondition_failed");
            b.g.writeNumberField("currentRevision", p.currentRevision());
            b.g.writeEndObject();
            Json.send(res, Status.PRECONDITION_FAILED_412, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
