package io.leifdb.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leifdb.server.auth.AuthCommand;
import io.leifdb.server.auth.AuthRefusedException;
import io.leifdb.server.auth.AuthState;
import io.leifdb.server.auth.Passwords;
import io.leifdb.server.auth.Permission;
import io.leifdb.server.auth.Role;
import io.leifdb.server.auth.Tokens;
import io.leifdb.server.auth.User;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * /auth: users, roles, tokens and the switch. Changes go through the log (a follower redirects them to
 * the leader); {@link AuthGate} has already let only root through, or anyone while auth is off (etcd's
 * model: users are prepared first, then auth is enabled).
 */
final class AuthRoutes {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How the root role reads back: everything, read and write. */
    private static final Role ROOT_ROLE = new Role(Role.ROOT, List.of(new Permission("", true)));

    private final AuthBackend auth;
    private final Tokens tokens;
    private final Duration timeout;

    AuthRoutes(AuthBackend auth, Tokens tokens, Duration timeout) {
        this.auth = auth;
        this.tokens = tokens;
        this.timeout = timeout;
    }

    void addUser(ServerRequest req, ServerResponse res, QueryParams query) throws IOException {
        JsonNode body = body(req);
        String name = name(text(body, "name"), "user name");
        List<String> roles = roles(body.path("roles"));
        if (auth.state().user(name).isPresent()) throw new AuthRefusedException("conflict", "user \"" + name + "\" already exists");
        checkRoles(roles);
        String hash = Passwords.hash(text(body, "password"));
        await(auth.propose(new AuthCommand.AddUser(name, hash)));
        if (!roles.isEmpty()) await(auth.propose(new AuthCommand.GrantRoles(name, roles)));
        send(res, Status.CREATED_201, Map.of("status", "OK", "user", name));
    }

    void listUsers(ServerRequest req, ServerResponse res, QueryParams query) {
        List<Object> users = new ArrayList<>();
        for (User u : new TreeMap<>(auth.state().users()).values()) users.add(describe(u));
        send(res, Status.OK_200, Map.of("users", users));
    }

    void getUser(ServerRequest req, ServerResponse res, QueryParams query) {
        String name = req.path().pathParameters().get("name");
        User u = auth.state().user(name)
                .orElseThrow(() -> new AuthRefusedException("not_found", "user \"" + name + "\" does not exist"));
        send(res, Status.OK_200, describe(u));
    }

    void deleteUser(ServerRequest req, ServerResponse res, QueryParams query) {
        await(auth.propose(new AuthCommand.DeleteUser(req.path().pathParameters().get("name"))));
        send(res, Status.OK_200, Map.of("status", "OK"));
    }

    /**
     * Root sets anyone's password; a user without root may set only their own (AuthGate lets them through)
     * and must also send the current one, so a stolen token alone cannot take the account over.
     */
    void setPassword(ServerRequest req, ServerResponse res, QueryParams query) throws IOException {
        String name = req.path().pathParameters().get("name");
        JsonNode body = body(req);
        String password = text(body, "password");
        AuthState state = auth.state();
        java.util.Optional<Caller> caller = req.context().get(Caller.class);
        if (caller.isPresent() && !state.isRoot(caller.get().user())) {
            JsonNode old = body.path("oldPassword");
            if (!old.isTextual() || !Passwords.matches(old.asText(), caller.get().user().passwordHash())) {
                throw ApiError.badRequest("wrong_old_password",
                        "to change your own password, send \"oldPassword\" with the current one");
            }
        }
        if (state.user(name).isEmpty()) throw new AuthRefusedException("not_found", "user \"" + name + "\" does not exist");
        await(auth.propose(new AuthCommand.SetPassword(name, Passwords.hash(password))));
        send(res, Status.OK_200, Map.of("status", "OK"));
    }

    void grantRoles(ServerRequest req, ServerResponse res, QueryParams query) throws IOException {
        List<String> roles = roles(body(req).path("roles"));
        checkRoles(roles);
        await(auth.propose(new AuthCommand.GrantRoles(req.path().pathParameters().get("name"), roles)));
        send(res, Status.OK_200, Map.of("status", "OK", "roles", roles));
    }

    void addRole(ServerRequest req, ServerResponse res, QueryParams query) throws IOException {
        JsonNode body = body(req);
        String name = name(text(body, "name"), "role name");
        List<Permission> perms = permissions(body);
        await(auth.propose(new AuthCommand.AddRole(new Role(name, perms))));
        send(res, Status.CREATED_201, Map.of("status", "OK", "role", name));
    }

    void getRole(ServerRequest req, ServerResponse res, QueryParams query) {
        String name = req.path().pathParameters().get("name");
        Role r = Role.ROOT.equals(name) ? ROOT_ROLE : java.util.Optional.ofNullable(auth.state().roles().get(name))
                .orElseThrow(() -> new AuthRefusedException("not_found", "role \"" + name + "\" does not exist"));
        send(res, Status.OK_200, describe(r));
    }

    /** Replaces the role's grants; every user holding it gets the new ones at once. */
    void updateRole(ServerRequest req, ServerResponse res, QueryParams query) throws IOException {
        String name = req.path().pathParameters().get("name");
        List<Permission> perms = permissions(body(req));
        await(auth.propose(new AuthCommand.UpdateRole(new Role(name, perms))));
        send(res, Status.OK_200, Map.of("status", "OK", "role", name));
    }

    /** Deletes the role and takes it from every user who held it. */
    void deleteRole(ServerRequest req, ServerResponse res, QueryParams query) {
        await(auth.propose(new AuthCommand.DeleteRole(req.path().pathParameters().get("name"))));
        send(res, Status.OK_200, Map.of("status", "OK"));
    }

    private static List<Permission> permissions(JsonNode body) {
        List<Permission> perms = new ArrayList<>();
        for (JsonNode p : body.path("permissions")) {
            String access = p.path("access").asText("");
            if (!access.equals("read") && !access.equals("readwrite")) {
                throw ApiError.badRequest("bad_permission", "a permission's access is \"read\" or \"readwrite\", not \""
                        + access + "\"");
            }
            if (!p.path("prefix").isTextual()) throw ApiError.badRequest("bad_permission", "a permission needs a \"prefix\" string");
            perms.add(new Permission(p.path("prefix").asText(), access.equals("readwrite")));
        }
        if (perms.isEmpty()) {
            throw ApiError.badRequest("bad_permission", "give \"permissions\": [{\"prefix\": \"pub/\", \"access\": \"read\"}]");
        }
        return perms;
    }

    void listRoles(ServerRequest req, ServerResponse res, QueryParams query) {
        List<Object> roles = new ArrayList<>();
        roles.add(describe(ROOT_ROLE));
        for (Role r : new TreeMap<>(auth.state().roles()).values()) roles.add(describe(r));
        send(res, Status.OK_200, Map.of("roles", roles));
    }

    private static Map<String, Object> describe(Role r) {
        List<Object> perms = new ArrayList<>();
        for (Permission p : r.permissions()) {
            perms.add(Map.of("prefix", p.prefix(), "access", p.write() ? "readwrite" : "read"));
        }
        return Map.of("name", r.name(), "permissions", perms);
    }

    /** Trades the credentials AuthGate checked for a token; ?ttl= in seconds, up to a day. */
    void token(ServerRequest req, ServerResponse res, QueryParams query) {
        AuthState state = auth.state();
        if (!state.enabled()) throw new AuthRefusedException("conflict", "auth is not enabled; tokens are not needed");
        Caller caller = req.context().get(Caller.class)
                .orElseThrow(() -> new IllegalStateException("AuthGate registers the caller"));
        Duration ttl = Tokens.DEFAULT_TTL;
        String raw = query.get("ttl");
        if (raw != null) {
            long s;
            try {
                s = Long.parseLong(raw);
            } catch (NumberFormatException e) {
                s = -1;
            }
            if (s < 1 || s > Tokens.MAX_TTL.toSeconds()) {
                throw ApiError.badRequest("bad_ttl", "ttl is a number of seconds 1-" + Tokens.MAX_TTL.toSeconds());
            }
            ttl = Duration.ofSeconds(s);
        }
        Tokens.Issued t = tokens.issue(state, caller.user().name(), ttl);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", t.token());
        out.put("expiresAt", t.expiresAt());
        send(res, Status.OK_200, out);
    }

    void enable(ServerRequest req, ServerResponse res, QueryParams query) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        await(auth.propose(new AuthCommand.Enable(secret)));
        send(res, Status.OK_200, Map.of("status", "OK", "auth", "enabled"));
    }

    private void checkRoles(List<String> roles) {
        for (String r : roles) {
            if (!auth.state().roleExists(r)) throw new AuthRefusedException("unknown_role", "role \"" + r + "\" does not exist");
        }
    }

    private static Map<String, Object> describe(User u) {
        return Map.of("name", u.name(), "roles", u.roles());
    }

    private void await(java.util.concurrent.CompletableFuture<Void> f) {
        Outcomes.await(f, timeout);
    }

    private static JsonNode body(ServerRequest req) {
        byte[] bytes = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
        try {
            JsonNode n = Json.MAPPER.readTree(bytes);
            if (n == null || !n.isObject()) throw ApiError.badRequest("bad_json", "the body must be a JSON object");
            return n;
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("bad_json", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.path(field);
        if (!n.isTextual()) throw ApiError.badRequest("missing_" + field, "the body needs a \"" + field + "\" string");
        return n.asText();
    }

    private static String name(String s, String what) {
        if (!NAME.matcher(s).matches()) {
            throw ApiError.badRequest("bad_name", "the " + what + " must be 1-64 of A-Z a-z 0-9 . _ @ -");
        }
        return s;
    }

    private static List<String> roles(JsonNode n) {
        List<String> roles = new ArrayList<>();
        if (n.isMissingNode() || n.isNull()) return roles;
        if (!n.isArray()) throw ApiError.badRequest("bad_roles", "\"roles\" must be an array of role names");
        for (JsonNode r : n) {
            if (!r.isTextual()) throw ApiError.badRequest("bad_roles", "\"roles\" must be an array of role names");
            if (!roles.contains(r.asText())) roles.add(r.asText());
        }
        return roles;
    }

    private static void send(ServerResponse res, Status status, Object body) {
        try {
            Json.send(res, status, Json.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
