package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** /livez and /readyz, the probes a supervisor (Kubernetes, Docker) asks. */
class ProbeEndpointsTest extends ApiTestBase {

    private void status(long leader, long commit, long applied, boolean catchingUp) {
        backend.status = new NodeStatus(2, leader == 2 ? "LEADER" : "FOLLOWER", 4, leader,
                leader == 0 ? Optional.empty() : Optional.of("127.0.0.1:8080"), commit, applied, "v", List.of(),
                "full", 1, catchingUp);
    }

    @Test
    void livezAnswers200WhateverTheRaftState() {
        status(0, 10, 0, true);
        HttpResponse<String> r = client.get("/livez");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(r).path("status").asText()).isEqualTo("OK");
    }

    @Test
    void readyWithALeaderAndAppliedCloseToCommit() {
        status(1, 5_000, 5_000 - Readiness.MAX_APPLY_LAG, false);
        HttpResponse<String> r = client.get("/readyz");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode b = ApiClient.json(r);
        assertThat(b.path("status").asText()).isEqualTo("ready");
        assertThat(b.path("leader").asLong()).isEqualTo(1);
        assertThat(b.path("commitIndex").asLong()).isEqualTo(5_000);
    }

    @Test
    void notReadyWithoutALeader() {
        status(0, 7, 7, false);
        HttpResponse<String> r = client.get("/readyz");
        JsonNode b = assertError(r, 503, "not_ready");
        assertThat(b.path("reason").asText()).isEqualTo("no_leader");
        assertThat(r.headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void notReadyWhileAppliedTrailsCommitPastTheBound() {
        status(1, 5_001, 5_000 - Readiness.MAX_APPLY_LAG, false);
        JsonNode b = assertError(client.get("/readyz"), 503, "not_ready");
        assertThat(b.path("reason").asText()).isEqualTo("apply_lag");
        assertThat(b.path("error").asText()).contains("1001");
    }

    @Test
    void notReadyWhileCatchingUp() {
        status(1, 9, 9, true);
        JsonNode b = assertError(client.get("/readyz"), 503, "not_ready");
        assertThat(b.path("reason").asText()).isEqualTo("catching_up");
        assertThat(b.path("catchingUp").asBoolean()).isTrue();
    }

    @Test
    void healthKeepsAnswering200WhenNotReady() {
        status(0, 9, 0, true);
        assertThat(client.get("/health").statusCode()).isEqualTo(200);
    }
}
