package io.leifdb.server.http;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;
import io.helidon.webserver.ErrorHandling;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.cors.CorsFeature;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import io.leifdb.server.config.Config;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The client HTTP API of one node (see REFERENCE.md for the contract): /db, /health, /livez, /readyz, /cluster, /backup,
 * /metrics, the OpenAPI document at /, Swagger UI at /swagger/ and the web UI at /ui/. Runs on
 * Helidon SE with a virtual thread per request, so handlers simply wait for the node's futures.
 */
public final class HttpApi implements AutoCloseable {
    /** Response headers a browser page may read; ETag matters for conditional writes from the UI. */
    static final Set<String> EXPOSED_HEADERS = Set.of("ETag", "Location", "Retry-After");
    /** Request headers past this many bytes are refused (431); clients send a few hundred. */
    static final int MAX_HEADERS_BYTES = 16 * 1024;
    /** Listed rather than "*", which older browsers do not understand in preflight answers. */
    static final Set<String> ALLOWED_METHODS = Set.of("GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS");


    private final PrometheusMeterRegistry registry;
    private final Duration probePeriod;
    private WebServer server;
    private ListenerProbe probe;
    private HeaderDeadline headerDeadline;
    private MetricsHistory history;

    public HttpApi() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** Shares a registry, so the node's own meters appear at /metrics beside the HTTP ones. */
    public HttpApi(PrometheusMeterRegistry registry) {
        this(registry, ListenerProbe.DEFAULT_PERIOD);
    }

    /** {@code probePeriod}: how often the listener is checked for death (tests shorten it). */
    HttpApi(PrometheusMeterRegistry registry, Duration probePeriod) {
        this.registry = registry;
        this.probePeriod = probePeriod;
    }

    /**
     * Listens on LEIFDB_BIND_ADDRESS (every interface by default) at LEIFDB_HTTP_PORT, over HTTPS when
     * LEIFDB_TLS_CERT is set; returns the bound port. {@code onListenerDeath} runs
     * once if the listener stops without {@link #stop()} (e.g. accept failed with EMFILE).
     */
    public int start(Config config, KvBackend backend, Runnable onListenerDeath) {
        return start(HttpSettings.of(config), backend, onListenerDeath);
    }

    /** Starts serving {@code backend}; returns the bound port (useful with port 0). */
    public int start(HttpSettings settings, KvBackend backend) {
        return start(settings, backend, () -> { });
    }

    public synchronized int start(HttpSettings settings, KvBackend backend, Runnable onListenerDeath) {
        if (server != null) {
            throw new IllegalStateException("the HTTP API is already running on port " + server.port());
        }
        HttpMetrics metrics = new HttpMetrics(registry);
        Docs docs = new Docs(backend.status().version());
        KvHandlers kv = new KvHandlers(backend, settings);
        TxnHandler txn = new TxnHandler(backend, settings);
        ListHandler list = new ListHandler(backend, settings);
        WatchHandler watch = new WatchHandler(backend, settings);
        history = new MetricsHistory(registry);
        history.start();
        LeaseHandlers leases = new LeaseHandlers(backend, settings);
        StatusHandlers status = new StatusHandlers(backend, metrics, history);
        BackupHandler backup = new BackupHandler(backend);
        MembershipHandlers membership = new MembershipHandlers(backend, settings);
        CodingHandlers coding = new CodingHandlers(backend, settings);
        HttpRouting.Builder routing = HttpRouting.builder();
        AuthGate gate = new AuthGate(backend.auth(), java.time.Clock.systemUTC());
        AuthRoutes auth = new AuthRoutes(backend.auth(), gate.tokens(), settings.requestTimeout());
        routing.addFilter(gate::filter); // first: nothing is routed before the caller is known
        for (Endpoint e : Endpoint.values()) {
            Guard.ApiHandler h = switch (e) {
                case OPENAPI, OPENAPI_HEAD -> docs::openapi;
                case HEALTH, HEALTH_HEAD -> status::health;
                case LIVEZ, LIVEZ_HEAD -> status::livez;
                case READYZ, READYZ_HEAD -> status::readyz;
                case CLUSTER, CLUSTER_HEAD -> status::cluster;
                case CLUSTER_MEMBERS, CLUSTER_MEMBERS_HEAD -> membership::members;
                case MEMBER_ADD -> membership::add;
                case MEMBER_REMOVE -> membership::remove;
                case MEMBER_PROMOTE -> membership::promote;
                case LEADER_TRANSFER -> membership::transfer;
                case CODING_GET, CODING_GET_HEAD -> coding::get;
                case CODING_SET -> coding::set;
                case BACKUP, BACKUP_HEAD -> backup::backup;
                case METRICS, METRICS_HEAD -> status::metrics;
                case METRICS_HISTORY, METRICS_HISTORY_HEAD -> status::metricsHistory;
                case DB_LIST, DB_LIST_HEAD -> list::list;
                case DB_READ, DB_READ_HEAD -> kv::read;
                case DB_WRITE -> kv::write;
                case DB_DELETE -> kv::delete;
                case AUTH_USER_ADD -> auth::addUser;
                case AUTH_USER_LIST -> auth::listUsers;
                case AUTH_USER_GET -> auth::getUser;
                case AUTH_USER_DELETE -> auth::deleteUser;
                case AUTH_USER_PASSWORD -> auth::setPassword;
                case AUTH_USER_ROLES -> auth::grantRoles;
                case AUTH_ROLE_ADD -> auth::addRole;
                case AUTH_ROLE_LIST -> auth::listRoles;
                case AUTH_ROLE_GET -> auth::getRole;
                case AUTH_ROLE_UPDATE -> auth::updateRole;
                case AUTH_ROLE_DELETE -> auth::deleteRole;
                case AUTH_TOKEN -> auth::token;
                case AUTH_ENABLE -> auth::enable;
                case TXN -> txn::txn;
                case WATCH -> watch::watch;
                case LEASE_GRANT -> leases::grant;
                case LEASE_LIST -> leases::list;
                case LEASE_GET -> leases::get;
                case LEASE_REVOKE -> leases::revoke;
                case LEASE_KEEPALIVE -> leases::keepAlive;
            };
            routing.route(e.method, e.path.endsWith("/{key}")
                    ? PathMatchers.prefix(e.path.substring(0, e.path.length() - "/{key}".length()))
                    : e.hasSegmentParam() ? PathMatchers.create(e.path) : PathMatchers.exact(e.path),
                    keyRouteGuard(e, Guard.wrap(e, RemovedMember.guard(e, h, backend), metrics)));
        }
        routing.addFilter(Head::filter);
        docs.registerSwagger(routing);
        Docs.registerUi(routing);
        routing.any(fallback(metrics));
        routing.error(Throwable.class, (req, res, t) -> Guard.fail(req, res,
                t instanceof Exception ex ? ex : new RuntimeException(t)));

        headerDeadline = new HeaderDeadline(settings.limits().headerTimeoutMillis());
        Http1Config http1 = Http1Config.builder()
                .maxPrologueLength(settings.maxPrologueBytes())
                .maxHeadersSize(MAX_HEADERS_BYTES)
                .addReceiveListener(headerDeadline)
                .build();
        var web = WebServer.builder();
        settings.tls().ifPresent(id -> web.tls(ClientTls.of(id)));
        server = web
                .host(settings.bindHost())
                .port(settings.port())
                .shutdownHook(false)
                .featuresDiscoverServices(false)
                .maxPayloadSize(settings.maxPayloadBytes())
                .idleConnectionTimeout(settings.idleTimeout())
                .idleConnectionPeriod(settings.idleCheckPeriod())
                .maxTcpConnections(settings.limits().maxConnections())
                // Nagle held a response's last segment for the client's delayed ACK: 44 ms per 64 KiB read.
                .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                // Our selector alone, so Helidon hands it each connection before reading (see Http1Selector).
                .protocolsDiscoverServices(false)
                .addConnectionSelector(new Http1Selector(http1, headerDeadline))
                .directHandlers(JsonDirectHandler.all())
                // Hands Helidon's reason to JsonDirectHandler (which never echoes it), so it can tell 431 apart.
                .errorHandling(ErrorHandling.builder().includeEntity(true).build())
                .addFeature(CorsFeature.create(c -> c.addDefaults(false).addPath(p -> p
                        .pathPattern("/*")
                        .allowOrigins(Set.copyOf(settings.corsOrigins()))
                        .allowMethods(ALLOWED_METHODS)
                        .allowHeaders(Set.of("*"))
                        .exposeHeaders(EXPOSED_HEADERS))))
                .routing(routing)
                .build()
                .start();
        probe = new ListenerProbe(settings.bindHost(), server.port(), probePeriod, onListenerDeath);
        probe.start();
        return server.port();
    }

    /** The bound port, or -1 when stopped. */
    public synchronized int port() {
        return server == null ? -1 : server.port();
    }

    /** The running server, for tests that break its listener on purpose. */
    synchronized WebServer webServer() {
        return server;
    }

    /** The registry behind /metrics; the node may register its own meters here. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public synchronized void stop() {
        if (probe != null) {
            probe.close();
            probe = null;
        }
        if (server != null) {
            server.stop();
            server = null;
        }
        if (headerDeadline != null) {
            headerDeadline.close();
            headerDeadline = null;
        }
        if (history != null) {
            history.close();
            history = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * The prefix matcher for /db/{key} also matches "/db" and "/dbx"; only "/db/..." addresses a key,
     * so anything else continues to the next route (the listing, or 404).
     */
    private static Handler keyRouteGuard(Endpoint e, Handler h) {
        if (!e.path.endsWith("/{key}")) {
            return h;
        }
        return (req, res) -> {
            if (req.prologue().uriPath().rawPath().startsWith(Keys.DB_PREFIX)) {
                h.handle(req, res);
            } else {
                res.next();
            }
        };
    }

    /** Nothing matched: 405 with Allow when the path exists under another method, else 404. */
    private static Handler fallback(HttpMetrics metrics) {
        return (ServerRequest req, ServerResponse res) -> {
            long start = System.nanoTime();
            String rawPath = req.prologue().uriPath().rawPath();
            Method method = req.prologue().method();
            List<String> allowed = new ArrayList<>();
            for (Endpoint e : Endpoint.values()) {
                if (e.matchesPath(rawPath) && !allowed.contains(e.method.text())) {
                    allowed.add(e.method.text());
                }
            }
            if (allowed.isEmpty()) {
                Json.sendError(res, Status.NOT_FOUND_404, "not_found", "no such resource: " + rawPath);
            } else if (method == Method.OPTIONS) {
                // Also the answer to a CORS preflight: the CORS filter has added its headers by now.
                res.header(HeaderNames.ALLOW, String.join(", ", allowed) + ", OPTIONS");
                res.status(Status.OK_200);
                res.send();
            } else {
                res.header(HeaderNames.ALLOW, String.join(", ", allowed) + ", OPTIONS");
                Json.sendError(res, Status.METHOD_NOT_ALLOWED_405, "method_not_allowed",
                        method.text() + " is not allowed here; allowed: " + String.join(", ", allowed));
            }
            metrics.recordOther(method.text(), res.status().code(), System.nanoTime() - start);
        };
    }
}
