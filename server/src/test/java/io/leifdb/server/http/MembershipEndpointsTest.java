package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** GET /cluster/members, DELETE /cluster/members/{id} and POST /cluster/leader over HTTP: shapes and refusals. */
class MembershipEndpointsTest extends ApiTestBase {

    private HttpResponse<String> post(String path, String body) {
        return client.send(client.request(path).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void membersListsVotersWithMatchLagAndUpDown() {
        HttpResponse<String> r = client.get("/cluster/members");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = ApiClient.json(r);
        assertThat(body.path("view").asText()).isEqualTo("leader");
        assertThat(body.path("members")).hasSize(3);
        JsonNode second = body.path("members").get(1);
        assertThat(second.path("voter").asBoolean()).isTrue();
        assertThat(second.path("matchIndex").asLong()).isEqualTo(40);
        assertThat(second.path("lag").asLong()).isEqualTo(2);
        assertThat(second.path("up").asBoolean()).isTrue();
        assertThat(body.path("members").get(2).path("up").asBoolean()).isFalse();
        assertThat(client.send(client.request("/cluster/members").method("HEAD", HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void removeAnswersWithTheEntryAndPassesForce() {
        HttpResponse<String> r = client.delete("/cluster/members/3?force=true");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(ApiClient.json(r).path("removed").asLong()).isEqualTo(3);
        assertThat(backend.lastRemoved).isEqualTo(3);
        assertThat(backend.lastForce).isTrue();
        assertThat(client.delete("/cluster/members/2").statusCode()).isEqualTo(200);
        assertThat(backend.lastForce).isFalse();
    }

    @Test
    void removeRefusalsAreJsonErrors() {
        assertError(client.delete("/cluster/members/99"), 404, "not_a_member");
        assertError(client.delete("/cluster/members/abc"), 400, "bad_id");
        assertError(client.delete("/cluster/members/-4"), 400, "bad_id");
        assertError(client.delete("/cluster/members/2?force=maybe"), 400, "bad_force");
        assertError(client.delete("/cluster/members/2?nope=1"), 400, "unknown_parameter");
        backend.failNext(() -> new RequestRefused(RequestRefused.Kind.CONFLICT, "change_in_flight",
                "another membership change is still uncommitted"));
        assertError(client.delete("/cluster/members/2"), 409, "change_in_flight");
        backend.failNext(() -> new RequestRefused(RequestRefused.Kind.UNAVAILABLE, "new_leader", "retry"));
        HttpResponse<String> busy = client.delete("/cluster/members/2");
        assertError(busy, 503, "new_leader");
        assertThat(busy.headers().firstValue("retry-after")).hasValue("1");
    }

    @Test
    void addTakesTwoAddressesAndAnOptionalId_andAnswersWhatAJoinerNeeds() {
        HttpResponse<String> r = post("/cluster/members", "{\"raftAddress\": \"10.0.0.9:16990\", \"httpAddress\": \"10.0.0.9:8080\","
                + " \"id\": \"9007199254740993\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = ApiClient.json(r);
        assertThat(body.path("id").asLong()).isEqualTo(9007199254740993L);
        assertThat(body.path("role").asText()).isEqualTo("LEARNER");
        assertThat(body.path("clusterId").asText()).isEqualTo("0000000000001234");
        assertThat(body.path("members").get(0).path("raftAddress").asText()).isEqualTo("localhost:16990");
        assertThat(backend.lastAdded.raftAddress()).isEqualTo("10.0.0.9:16990");
        assertThat(post("/cluster/members", "{\"raftAddress\": \"a:1\", \"httpAddress\": \"a:2\"}").statusCode()).isEqualTo(200);
        assertThat(backend.lastAdded.id()).isZero();
    }

    @Test
    void addRefusesMalformedInputWithoutAsking() {
        backend.lastAdded = null;
        assertError(post("/cluster/members", null), 400, "malformed_body");
        assertError(post("/cluster/members", "[1]"), 400, "malformed_body");
        assertError(post("/cluster/members", "{\"raftAddress\": \"a:1\"}"), 400, "bad_address");
        assertError(post("/cluster/members", "{\"raftAddress\": \"a\", \"httpAddress\": \"a:2\"}"), 400, "bad_address");
        assertError(post("/cluster/members", "{\"raftAddress\": \"a:70000\", \"httpAddress\": \"a:2\"}"), 400, "bad_address");
        assertError(post("/cluster/members", "{\"raftAddress\": \"a b:1\", \"httpAddress\": \"a:2\"}"), 400, "bad_address");
        assertError(post("/cluster/members", "{\"raftAddress\": \"a:1\", \"httpAddress\": \"a:1\"}"), 400, "bad_address");
        assertError(post("/cluster/members", "{\"raftAddress\": \"a:1\", \"httpAddress\": \"a:2\", \"id\": -3}"), 400, "bad_id");
        assertError(post("/cluster/members", "{\"raftAddress\": \"a:1\", \"httpAddress\": \"a:2\", \"x\": 1}"), 400,
                "malformed_body");
        assertThat(backend.lastAdded).isNull();
        backend.failNext(() -> new RequestRefused(RequestRefused.Kind.CONFLICT, "duplicate_address",
                "member 2 already listens at a:1"));
        assertError(post("/cluster/members", "{\"raftAddress\": \"a:1\", \"httpAddress\": \"a:2\"}"), 409, "duplicate_address");
    }

    @Test
    void promoteRefusesAVoterAndAnUnknownId() {
        assertError(post("/cluster/members/2/promote", null), 409, "already_voter");
        assertError(post("/cluster/members/99/promote", null), 404, "not_a_member");
        assertError(post("/cluster/members/x/promote", null), 400, "bad_id");
        assertThat(client.send(client.request("/cluster/members/2/promote").GET()).statusCode()).isEqualTo(405);
    }

    @Test
    void aFollowerRedirectsChangesToTheLeader() {
        backend.failNext(() -> new NotLeaderException(Optional.of("127.0.0.1:8082")));
        HttpResponse<String> r = client.delete("/cluster/members/2?force=true");
        assertError(r, 307, "not_leader");
        assertThat(r.headers().firstValue("location")).hasValue("http://127.0.0.1:8082/cluster/members/2?force=true");
        HttpResponse<String> t = post("/cluster/leader", "{\"to\": 2}");
        assertThat(t.statusCode()).isEqualTo(307);
        assertThat(t.headers().firstValue("location")).hasValue("http://127.0.0.1:8082/cluster/leader");
    }

    @Test
    void transferTakesANumberAStringOrNothing() {
        HttpResponse<String> r = post("/cluster/leader", "{\"to\": 3}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(ApiClient.json(r).path("leader").asLong()).isEqualTo(3);
        assertThat(ApiClient.json(r).path("leaderAddress").asText()).isEqualTo("127.0.0.1:8082");
        assertThat(post("/cluster/leader", "{\"to\": \"2\"}").statusCode()).isEqualTo(200);
        assertThat(backend.lastTransferTo).isEqualTo(2);
        assertThat(post("/cluster/leader", null).statusCode()).isEqualTo(200);
        assertThat(backend.lastTransferTo).isZero();
        assertThat(post("/cluster/leader", "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void transferRefusesBadBodiesAndUnknownMembers() {
        assertError(post("/cluster/leader", "{\"to\": 99}"), 404, "not_a_member");
        assertError(post("/cluster/leader", "{\"to\": \"x\"}"), 400, "bad_id");
        assertError(post("/cluster/leader", "{\"to\": 1.5}"), 400, "malformed_body");
        assertError(post("/cluster/leader", "{\"too\": 1}"), 400, "malformed_body");
        assertError(post("/cluster/leader", "[1]"), 400, "malformed_body");
        assertError(post("/cluster/leader", "{\"to\":"), 400, "malformed_body");
        assertError(client.send(client.request("/cluster/leader").GET()), 405, "method_not_allowed");
    }
}
