package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /auth through the route table, over the same AuthState a node applies: roles change and go, users change their own password. */
class AuthEndpointsTest extends ApiTestBase {
    static final String ROOT = "root-secret-42";
    static final String ALICE = "alice-pass-1";

    {
        backend.auth = new InMemoryAuth();
    }

    @BeforeEach
    void usersThenAuthOn() {
        assertThat(post("/auth/users", "{\"name\":\"root\",\"password\":\"" + ROOT + "\",\"roles\":[\"root\"]}").statusCode()).isEqualTo(201);
        assertThat(post("/auth/roles", "{\"name\":\"reader\",\"permissions\":[{\"prefix\":\"pub/\",\"access\":\"read\"}]}").statusCode()).isEqualTo(201);
        assertThat(post("/auth/users", "{\"name\":\"alice\",\"password\":\"" + ALICE + "\",\"roles\":[\"reader\"]}").statusCode()).isEqualTo(201);
        assertThat(post("/auth/users", "{\"name\":\"bob\",\"password\":\"bob-pass-12\"}").statusCode()).isEqualTo(201);
        assertThat(post("/auth/enable", "").statusCode()).isEqualTo(200);
    }

    @Test
    void updatingARoleChangesWhatItsHoldersMayDoAtOnce() {
        assertError(as("alice", ALICE, "GET", "/db/secret", null), 403, "forbidden");
        HttpResponse<String> r = as("root", ROOT, "PUT", "/auth/roles/reader",
                "{\"permissions\":[{\"prefix\":\"\",\"access\":\"read\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertError(as("alice", ALICE, "GET", "/db/secret", null), 404, "not_found");
        assertThat(as("root", ROOT, "GET", "/auth/roles/reader", null).body()).contains("\"prefix\":\"\"", "\"read\"");
        assertError(as("alice", ALICE, "PUT", "/db/secret", "{\"value\":\"x\"}"), 403, "forbidden");
    }

    @Test
    void deletingARoleTakesItFromItsHolders() {
        assertThat(as("root", ROOT, "DELETE", "/auth/roles/reader", null).statusCode()).isEqualTo(200);
        assertError(as("alice", ALICE, "GET", "/db/pub/x", null), 403, "forbidden");
        assertThat(as("root", ROOT, "GET", "/auth/users/alice", null).body()).contains("\"roles\":[]");
        assertError(as("root", ROOT, "GET", "/auth/roles/reader", null), 404, "not_found");
        assertError(as("root", ROOT, "DELETE", "/auth/roles/reader", null), 404, "not_found");
    }

    @Test
    void theRootRoleCannotBeChangedOrDeleted() {
        assertError(as("root", ROOT, "DELETE", "/auth/roles/root", null), 409, "conflict");
        assertError(as("root", ROOT, "PUT", "/auth/roles/root", "{\"permissions\":[{\"prefix\":\"a\",\"access\":\"read\"}]}"),
                409, "conflict");
        assertThat(as("root", ROOT, "GET", "/auth/roles/root", null).statusCode()).isEqualTo(200);
        assertError(as("root", ROOT, "PUT", "/auth/roles/reader", "{\"permissions\":[]}"), 400, "bad_permission");
    }

    @Test
    void aUserChangesTheirOwnPasswordOnlyWithTheOldOne() {
        assertError(as("alice", ALICE, "PUT", "/auth/users/alice/password", "{\"password\":\"new-alice-77\"}"),
                400, "wrong_old_password");
        assertError(as("alice", ALICE, "PUT", "/auth/users/alice/password",
                "{\"password\":\"new-alice-77\",\"oldPassword\":\"guess-guess\"}"), 400, "wrong_old_password");
        HttpResponse<String> ok = as("alice", ALICE, "PUT", "/auth/users/alice/password",
                "{\"password\":\"new-alice-77\",\"oldPassword\":\"" + ALICE + "\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertError(as("alice", ALICE, "GET", "/db/pub/x", null), 401, "unauthorized");
        assertError(as("alice", "new-alice-77", "GET", "/db/pub/x", null), 404, "not_found");
    }

    @Test
    void aUserCannotSetAnotherUsersPasswordButRootCan() {
        assertError(as("alice", ALICE, "PUT", "/auth/users/bob/password",
                "{\"password\":\"taken-over-1\",\"oldPassword\":\"" + ALICE + "\"}"), 403, "forbidden");
        assertThat(as("root", ROOT, "PUT", "/auth/users/bob/password", "{\"password\":\"reset-by-root\"}").statusCode())
                .isEqualTo(200);
        assertError(as("root", ROOT, "PUT", "/auth/users/nobody/password", "{\"password\":\"reset-by-root\"}"),
                404, "not_found");
    }

    @Test
    void anUnknownUserIsRefusedLikeAWrongPassword() {
        HttpResponse<String> unknown = as("mallory", ALICE, "GET", "/db/pub/x", null);
        HttpResponse<String> wrong = as("alice", "not-her-password", "GET", "/db/pub/x", null);
        assertError(unknown, 401, "unauthorized");
        assertThat(unknown.body()).isEqualTo(wrong.body());
    }

    @Test
    void authPathsUnderAnotherMethodAre405WithAllow() {
        HttpResponse<String> r = as("root", ROOT, "POST", "/auth/users/alice", "{}");
        assertError(r, 405, "method_not_allowed");
        assertThat(r.headers().firstValue("allow")).hasValueSatisfying(a -> assertThat(a).contains("GET", "DELETE"));
    }

    private HttpResponse<String> post(String path, String body) {
        return client.send(client.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> as(String user, String password, String method, String path, String body) {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return client.send(client.request(path).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }
}
