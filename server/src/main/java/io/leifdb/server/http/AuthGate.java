package io.leifdb.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.leifdb.server.auth.AuthState;
import io.leifdb.server.auth.LoginThrottle;
import io.leifdb.server.auth.Passwords;
import io.leifdb.server.auth.Tokens;
import io.leifdb.server.auth.User;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/**
 * Authenticates (Bearer token or Basic) and authorizes every request before it is routed, while auth is
 * required. No or bad credentials: 401 with WWW-Authenticate; credentials without the grant: 403.
 * Probes, the OpenAPI document, Swagger UI and the web UI stay open: they reveal no data.
 */
final class AuthGate {
    static final String CHALLENGE = "Basic realm=\"leifdb\", Bearer realm=\"leifdb\"";
    /** For scripts (X-Requested-With, as the web UI sends): a Basic challenge would make the browser prompt itself. */
    static final String SCRIPT_CHALLENGE = "Bearer realm=\"leifdb\"";
    private static final io.helidon.http.HeaderName REQUESTED_WITH = HeaderNames.create("X-Requested-With");

    private final AuthBackend auth;
    private final Tokens tokens;
    private final LoginThrottle throttle;

    AuthGate(AuthBackend auth, Clock clock) {
        this.auth = auth;
        this.tokens = new Tokens(clock);
        this.throttle = new LoginThrottle(clock);
    }

    Tokens tokens() {
        return tokens;
    }

    void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!auth.required()) {
            chain.proceed();
            return;
        }
        Access access;
        try {
            access = Access.of(req.prologue().method(), req.prologue().uriPath().rawPath(), req.query().rawValue());
        } catch (ApiError bad) {
            Json.sendError(res, bad.status, bad.code, bad.getMessage());
            return;
        }
        if (access instanceof Access.Open) {
            chain.proceed();
            return;
        }
        AuthState state = auth.state();
        String address = req.remotePeer().host();
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty()) {
            unauthorized(req, res, "credentials required: send Authorization: Basic or Bearer (POST /auth/token issues a token)");
            return;
        }
        Optional<User> user;
        String h = header.get();
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            user = tokens.verify(state, h.substring(7).strip());
            if (user.isEmpty()) {
                unauthorized(req, res, "the token is invalid or expired; get a new one from POST /auth/token");
                return;
            }
        } else if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
            long wait = throttle.waitSeconds(address);
            if (wait > 0) {
                res.header(HeaderNames.RETRY_AFTER, Long.toString(wait));
                Json.sendError(res, Status.TOO_MANY_REQUESTS_429, "too_many_failures",
                        "too many failed logins from this address; retry in " + wait + " s");
                return;
            }
            user = basic(state, h.substring(6).strip());
            if (user.isEmpty()) {
                throttle.failed(address);
                unauthorized(req, res, "wrong user name or password");
                return;
            }
            throttle.succeeded(address);
        } else {
            unauthorized(req, res, "unsupported Authorization scheme; use Basic or Bearer");
            return;
        }
        if (!access.allows(state, user.get())) {
            Json.sendError(res, Status.FORBIDDEN_403, "forbidden", "user \"" + user.get().name() + "\" may not "
                    + access.describe());
            return;
        }
        req.context().register(new Caller(user.get()));
        chain.proceed();
    }

    private static Optional<User> basic(AuthState state, String encoded) {
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException bad) {
            return Optional.empty();
        }
        int colon = pair.indexOf(':');
        if (colon < 0) return Optional.empty();
        Optional<User> user = state.user(pair.substring(0, colon));
        if (user.isEmpty()) {
            Passwords.matchesNobody(pair.substring(colon + 1)); // as slow as a wrong password: names do not leak by timing
            return Optional.empty();
        }
        return user.filter(u -> Passwords.matches(pair.substring(colon + 1), u.passwordHash()));
    }

    private static void unauthorized(RoutingRequest req, RoutingResponse res, String message) {
        boolean script = req.headers().first(REQUESTED_WITH).isPresent();
        res.header(HeaderNames.WWW_AUTHENTICATE, script ? SCRIPT_CHALLENGE : CHALLENGE);
        Json.sendError(res, Status.UNAUTHORIZED_401, "unauthorized", message);
    }

    /** What a request needs, decided from its method and raw path alone, before routing. */
    sealed interface Access {
        boolean allows(AuthState s, User u);

        String describe();

        record Open() implements Access {
            public boolean allows(AuthState s, User u) {
                return true;
            }

            public String describe() {
                return "";
            }
        }

        /** Any authenticated user (a token request, an unknown path that will 404). */
        record Authenticated() implements Access {
            public boolean allows(AuthState s, User u) {
                return true;
            }

            public String describe() {
                return "do this";
            }
        }

        /** Status and metrics: any user holding at least one role. */
        record AnyRole() implements Access {
            public boolean allows(AuthState s, User u) {
                return !u.roles().isEmpty();
            }

            public String describe() {
                return "see the cluster without a role";
            }
        }

        record Root() implements Access {
            public boolean allows(AuthState s, User u) {
                return s.isRoot(u);
            }

            public String describe() {
                return "manage users, roles or the cluster (the root role may)";
            }
        }

        record Read(String key) implements Access {
            public boolean allows(AuthState s, User u) {
                return s.canRead(u, key);
            }

            public String describe() {
                return "read \"" + key + "\"";
            }
        }

        /** A listing is allowed only when one grant covers its whole prefix, so every key it returns is readable. */
        record List(String prefix) implements Access {
            public boolean allows(AuthState s, User u) {
                return s.canReadAll(u, prefix);
            }

            public String describe() {
                return "list every key under \"" + prefix + "\" (ask for a prefix one of your roles covers)";
            }
        }

        /** A user's own password: root, or the user named in the path (who must also send the old password). */
        record Self(String name) implements Access {
            public boolean allows(AuthState s, User u) {
                return s.isRoot(u) || u.name().equals(name);
            }

            public String describe() {
                return "change the password of \"" + name + "\"";
            }
        }

        record Write(String key) implements Access {
            public boolean allows(AuthState s, User u) {
                return s.canWrite(u, key);
            }

            public String describe() {
                return "write \"" + key + "\"";
            }
        }

        static Access of(Method method, String rawPath, String rawQuery) {
            if (method == Method.OPTIONS) return new Open();
            switch (rawPath) {
                case "/", "/health", "/livez", "/readyz" -> {
                    return new Open();
                }
                case "/cluster", "/metrics", "/metrics/history" -> {
                    return new AnyRole();
                }
                case "/backup" -> {
                    return new Root();
                }
                case "/leases" -> {
                    // Listing every lease shows every leased key; granting one holds nothing until a key is attached.
                    return method == Method.POST ? new AnyRole() : new Root();
                }
                case "/cluster/coding" -> {
                    return method == Method.GET || method == Method.HEAD ? new AnyRole() : new Root();
                }
                case "/auth/token" -> {
                    return new Authenticated();
                }
                case "/db" -> {
                    String prefix = QueryParams.parse(rawQuery, Endpoint.DB_LIST.queryParams).getOrDefault("prefix", "");
                    return new List(prefix);
                }
                case "/watch" -> {
                    // A watch reads every change it streams: one key, or every key under the prefix.
                    QueryParams q = QueryParams.parse(rawQuery, Endpoint.WATCH.queryParams);
                    String key = q.get("key");
                    return key != null ? new Read(key) : new List(q.getOrDefault("prefix", ""));
                }
                default -> {
                }
            }
            if (rawPath.startsWith("/swagger/") || rawPath.startsWith("/ui/") || rawPath.equals("/ui")) return new Open();
            if (method == Method.PUT && Endpoint.AUTH_USER_PASSWORD.matchesPath(rawPath)) {
                String segment = rawPath.split("/")[3];
                return new Self(Keys.decode(segment, 0, segment.length(), false, "bad_name", "user name"));
            }
            if (rawPath.startsWith("/auth/")) return new Root();
            // LeaseHandlers checks the lease's keys: write to revoke, read to see it.
            if (rawPath.startsWith("/leases/")) return new AnyRole();
            if (rawPath.startsWith(Keys.DB_PREFIX)) {
                String key = Keys.fromRawPath(rawPath, Integer.MAX_VALUE);
                boolean reads = method == Method.GET || method == Method.HEAD;
                return reads ? new Read(key) : new Write(key);
            }
            return new Authenticated();
        }
    }
}
