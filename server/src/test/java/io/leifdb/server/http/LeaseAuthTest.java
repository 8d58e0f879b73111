package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Lease permissions on a node with auth on: granting and keeping alive need a role; revoking needs write and
 * reading needs read on every key the lease holds; listing every lease is root's.
 */
class LeaseAuthTest extends NodeTestBase {
    private static final String ROOT = "root-secret-42";
    private static final String BOB = "bob-pass-1234";
    private static final String EVE = "eve-pass-1234";

    private static HttpResponse<String> as(String user, String password, String method, String path, String body) {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return node.client.send(node.client.request(path).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    private static void created(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    @Test
    void leaseCallsNeedTheRightsTheirKeysNeed() {
        created(node.client.post("/auth/users", "{\"name\":\"root\",\"password\":\"" + ROOT + "\",\"roles\":[\"root\"]}"));
        created(node.client.post("/auth/roles", "{\"name\":\"svc\",\"permissions\":[{\"prefix\":\"svc/\",\"access\":\"readwrite\"}]}"));
        created(node.client.post("/auth/roles", "{\"name\":\"other\",\"permissions\":[{\"prefix\":\"other/\",\"access\":\"readwrite\"}]}"));
        created(node.client.post("/auth/users", "{\"name\":\"bob\",\"password\":\"" + BOB + "\",\"roles\":[\"svc\"]}"));
        created(node.client.post("/auth/users", "{\"name\":\"eve\",\"password\":\"" + EVE + "\",\"roles\":[\"other\"]}"));
        ok(node.client.post("/auth/enable", ""));

        ApiTestBase.assertError(node.client.post("/leases", "{\"ttl\": 60}"), 401, "unauthorized");
        long id = ok(as("bob", BOB, "POST", "/leases", "{\"ttl\": 60}")).path("id").asLong();
        ok(as("bob", BOB, "PUT", "/db/svc%2Fx?lease=" + id, "{\"value\":\"up\"}"));
        ApiTestBase.assertError(as("eve", EVE, "PUT", "/db/svc%2Fy?lease=" + id, "{\"value\":\"up\"}"), 403, "forbidden");

        ok(as("eve", EVE, "POST", "/leases/" + id + "/keepalive", null));
        ApiTestBase.assertError(as("eve", EVE, "GET", "/leases/" + id, null), 403, "forbidden");
        ApiTestBase.assertError(as("eve", EVE, "DELETE", "/leases/" + id, null), 403, "forbidden");
        ApiTestBase.assertError(as("bob", BOB, "GET", "/leases", null), 403, "forbidden");
        assertThat(ok(as("root", ROOT, "GET", "/leases", null)).path("count").asInt()).isEqualTo(1);

        assertThat(ok(as("bob", BOB, "GET", "/leases/" + id, null)).path("keys").get(0).asText()).isEqualTo("svc/x");
        ok(as("bob", BOB, "DELETE", "/leases/" + id, null));
        ApiTestBase.assertError(as("bob", BOB, "GET", "/db/svc%2Fx", null), 404, "not_found");
    }
}
