package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A member that joined and has not yet applied the configuration that adds it answers what needs the cluster
 * at once with a retryable 503 joining, never 421 removed; it describes itself as JOINING.
 */
class JoiningMemberTest extends ApiTestBase {

    @BeforeEach
    void joinThisMember() {
        backend.joining = true;
        backend.status = RemovedMemberTest.outsider(9, "JOINING", 17);
        backend.hang(true); // were a call to reach the backend, it would never answer
    }

    @Test
    void readsWritesAndClusterCallsAnswerAtOnceWithARetryableJoining() {
        long start = System.nanoTime();
        List<HttpResponse<String>> refused = List.of(
                client.get("/db/k"), client.get("/db/k?consistency=stale"), client.get("/db"),
                client.putJson("/db/k", "v"), client.delete("/db/k"), client.get("/watch?key=k"),
                client.get("/cluster/coding"), client.delete("/cluster/members/2"), client.post("/txn", "{}"),
                client.get("/leases"), client.get("/backup"));
        assertThat(System.nanoTime() - start).as("no call waits for the cluster").isLessThan(3_000_000_000L);
        for (HttpResponse<String> r : refused) {
            JsonNode body = assertError(r, 503, "joining");
            assertThat(r.headers().firstValue("Retry-After")).as(r.uri().toString()).isPresent();
            assertThat(body.path("error").asText()).contains("is joining the cluster", "applied index 17",
                    "127.0.0.1:8080", "127.0.0.1:8081").doesNotContain("removed");
        }
    }

    @Test
    void healthReadinessAndClusterSayJoining() {
        HttpResponse<String> health = client.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(health).path("role").asText()).isEqualTo("JOINING");
        HttpResponse<String> ready = client.get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ApiClient.json(ready).path("reason").asText()).isEqualTo("joining");
        HttpResponse<String> cluster = client.get("/cluster");
        assertThat(cluster.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(cluster).path("role").asText()).isEqualTo("JOINING");
        assertThat(client.get("/cluster/members").statusCode()).isEqualTo(200);
    }
}
