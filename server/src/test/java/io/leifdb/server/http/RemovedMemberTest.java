package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A member removed from the cluster answers what needs the cluster at once with 421 removed; it still describes itself. */
class RemovedMemberTest extends ApiTestBase {

    @BeforeEach
    void removeThisMember() {
        backend.removed = true;
        backend.status = outsider(3, "REMOVED", 42);
        backend.hang(true); // were a call to reach the backend, it would never answer
    }

    /** Node {@code id} in {@code role}, outside the configuration of members 1 (at :8080) and 2 (at :8081). */
    static NodeStatus outsider(long id, String role, long applied) {
        return new NodeStatus(id, role, 3, 1, Optional.of("127.0.0.1:8080"), 42, applied, "test",
                List.of(new NodeStatus.MemberStatus(1, "127.0.0.1:16990", "127.0.0.1:8080", "LEADER", true, 42, 0, 0, true),
                        new NodeStatus.MemberStatus(2, "127.0.0.1:16991", "127.0.0.1:8081", "FOLLOWER", true, 42, 0, 0, true)),
                "full", 1, false);
    }

    @Test
    void readsWritesAndClusterCallsAnswerAtOnceNamingOtherMembers() {
        long start = System.nanoTime();
        List<HttpResponse<String>> refused = List.of(
                client.get("/db/k"), client.get("/db/k?consistency=stale"), client.get("/db"),
                client.putJson("/db/k", "v"), client.delete("/db/k"),
                client.get("/cluster/coding"), client.put("/cluster/coding", "{\"on\": false}"),
                client.delete("/cluster/members/2"), client.post("/cluster/leader", "{}"),
                client.post("/txn", "{}"), client.get("/leases"), client.get("/backup"));
        assertThat(System.nanoTime() - start).as("no call waits for the cluster").isLessThan(3_000_000_000L);
        for (HttpResponse<String> r : refused) {
            JsonNode body = assertError(r, 421, "removed");
            assertThat(body.path("error").asText()).contains("was removed from the cluster", "127.0.0.1:8080",
                    "127.0.0.1:8081");
        }
    }

    @Test
    void healthReadinessAndItsViewOfTheMembersStillAnswer() {
        assertThat(client.get("/health").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = client.get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ApiClient.json(ready).path("reason").asText()).isEqualTo("removed");
        assertThat(client.get("/cluster/members").statusCode()).isEqualTo(200);
        assertThat(client.get("/cluster").statusCode()).isEqualTo(200);
        assertThat(client.get("/metrics").statusCode()).isEqualTo(200);
    }
}
