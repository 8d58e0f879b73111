package io.leifdb.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Users, roles and tokens ({@code /auth/...}), for a client that acts as an admin. A role's grants are
 * {@code {"permissions": [{"prefix": "app/", "access": "read" | "readwrite"}, ...]}}, as the API takes them.
 */
public final class AuthAdmin {
    private final LeifClient client;

    AuthAdmin(LeifClient client) {
        this.client = client;
    }

    public JsonNode addUser(String name, String password, List<String> roles) {
        ObjectNode body = Answers.MAPPER.createObjectNode().put("name", name).put("password", password);
        ArrayNode r = body.putArray("roles");
        roles.forEach(r::add);
        return write("POST", "/auth/users", body);
    }

    /** {@code {"users": [{"name", "roles"}, ...]}}. */
    public JsonNode users() {
        return client.json("GET", "/auth/users", null, Transport.Target.LEADER);
    }

    public JsonNode deleteUser(String name) {
        return write("DELETE", "/auth/users/" + Paths.encode(name), null);
    }

    /** Sets a password; {@code oldPassword} is needed when users change their own, null otherwise. */
    public JsonNode setPassword(String name, String oldPassword, String password) {
        ObjectNode body = Answers.MAPPER.createObjectNode();
        if (oldPassword != null) body.put("oldPassword", oldPassword);
        return write("PUT", "/auth/users/" + Paths.encode(name) + "/password", body.put("password", password));
    }

    public JsonNode setRoles(String name, List<String> roles) {
        ObjectNode body = Answers.MAPPER.createObjectNode();
        ArrayNode r = body.putArray("roles");
        roles.forEach(r::add);
        return write("PUT", "/auth/users/" + Paths.encode(name) + "/roles", body);
    }

    /** Creates a role; {@code grants} as the API takes them (the name is added). */
    public JsonNode addRole(String name, ObjectNode grants) {
        return write("POST", "/auth/roles", grants.deepCopy().put("name", name));
    }

    public JsonNode updateRole(String name, ObjectNode grants) {
        return write("PUT", "/auth/roles/" + Paths.encode(name), grants);
    }

    public JsonNode deleteRole(String name) {
        return write("DELETE", "/auth/roles/" + Paths.encode(name), null);
    }

    /** {@code {"roles": [...]}}. */
    public JsonNode roles() {
        return client.json("GET", "/auth/roles", null, Transport.Target.LEADER);
    }

    /** {@code {"token": ...}}: a bearer token for the calling user, valid for {@code ttlSeconds}. */
    public JsonNode token(long ttlSeconds) {
        return write("POST", "/auth/token?ttl=" + ttlSeconds, null);
    }

    /** Turns authentication on for the whole cluster (needs an admin user first). */
    public JsonNode enable() {
        return write("POST", "/auth/enable", null);
    }

    private JsonNode write(String method, String path, JsonNode body) {
        return client.json(method, path, body, Transport.Target.LEADER);
    }
}
