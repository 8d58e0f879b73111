package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetaEndpointsTest extends ApiTestBase {

    @Test
    void healthKeepsTheOriginalFieldsAndAddsRaftState() {
        HttpResponse<String> r = client.get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode h = ApiClient.json(r);
        assertThat(h.path("status").asText()).isEqualTo("OK");
        assertThat(h.path("version").asText()).isEqualTo("9.9.9-test");
        assertThat(h.path("role").asText()).isEqualTo("LEADER");
        assertThat(h.path("leader").asLong()).isEqualTo(1);
        assertThat(h.path("leaderAddress").asText()).isEqualTo("127.0.0.1:8080");
        assertThat(h.path("term").asLong()).isEqualTo(3);
        assertThat(h.path("commitIndex").asLong()).isEqualTo(42);
        assertThat(h.path("appliedIndex").asLong()).isEqualTo(41);
        assertThat(h.path("replication").asText()).isEqualTo("full");
        assertThat(h.path("catchingUp").isBoolean()).isTrue();
        assertThat(h.path("catchingUp").asBoolean()).isFalse();
    }

    @Test
    void healthWithoutLeaderHasNullLeaderAddress() {
        backend.status = new NodeStatus(2, "CANDIDATE", 9, 0, Optional.empty(), 5, 5, "v", java.util.List.of(),
                "coded", 3, true);
        JsonNode h = ApiClient.json(client.get("/health"));
        assertThat(h.path("leaderAddress").isNull()).isTrue();
        assertThat(h.path("leader").asLong()).isZero();
        assertThat(h.path("role").asText()).isEqualTo("CANDIDATE");
        assertThat(h.path("k").asInt()).isEqualTo(3);
        assertThat(h.path("catchingUp").asBoolean()).as("a wiped member says so").isTrue();
        assertThat(ApiClient.json(client.get("/cluster")).path("catchingUp").asBoolean()).isTrue();
    }

    @Test
    void clusterListsMembersWithProgressAndMode() {
        JsonNode c = ApiClient.json(client.get("/cluster"));
        assertThat(c.path("leader").asLong()).isEqualTo(1);
        assertThat(c.path("term").asLong()).isEqualTo(3);
        assertThat(c.path("replication").asText()).isEqualTo("full");
        assertThat(c.path("k").asInt()).isEqualTo(1);
        assertThat(c.path("members")).hasSize(3);
        JsonNode down = c.path("members").get(2);
        assertThat(down.path("id").asLong()).isEqualTo(3);
        assertThat(down.path("raftAddress").asText()).isEqualTo("127.0.0.1:16992");
        assertThat(down.path("httpAddress").asText()).isEqualTo("127.0.0.1:8082");
        assertThat(down.path("role").asText()).isEqualTo("FOLLOWER");
        assertThat(down.path("matchIndex").asLong()).isEqualTo(-1);
        assertThat(down.path("msSinceLastContact").asLong()).isEqualTo(9000);
        assertThat(down.path("up").asBoolean()).isFalse();
    }

    @Test
    void metricsCountRequestsPerRouteInPrometheusText() {
        client.putJson("/db/k", "v");
        client.get("/db/k");
        client.get("/db/missing");
        HttpResponse<String> r = client.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
        assertThat(r.body())
                .contains("leifdb_http_requests_seconds_count{method=\"PUT\",route=\"db-write\",status=\"200\"} 1")
                .contains("leifdb_http_requests_seconds_count{method=\"GET\",route=\"db-read\",status=\"200\"} 1")
                .contains("leifdb_http_requests_seconds_count{method=\"GET\",route=\"db-read\",status=\"404\"} 1");
    }

    @Test
    void metricsHistoryAnswersPointsAsJsonAndRefusesABadAfter() {
        HttpResponse<String> r = client.get("/metrics/history");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = ApiClient.json(r);
        assertThat(body.path("intervalSeconds").asInt()).isEqualTo(1);
        assertThat(body.path("windowSeconds").asInt()).isEqualTo(300);
        assertThat(body.path("points").isArray()).isTrue();
        HttpResponse<String> bad = client.get("/metrics/history?after=yesterday");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(bad).path("code").asText()).isEqualTo("bad_after");
    }

    @Test
    void rootServesTheOpenApiDocumentWithTheServerVersion() {
        HttpResponse<String> r = client.get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode doc = ApiClient.json(r);
        assertThat(doc.path("openapi").asText()).startsWith("3.1");
        assertThat(doc.path("info").path("version").asText()).isEqualTo("9.9.9-test");
        assertThat(doc.path("components").path("schemas").fieldNames()).toIterable().contains(
                "HealthResponse", "ReadResponse", "WriteRequest", "WriteResponse", "DeleteResponse");
    }

    @Test
    void swaggerUiIsServedFromTheWebjarWithOurIndexPointingAtTheDocument() {
        for (String page : new String[] {"/swagger/", "/swagger/index.html"}) {
            HttpResponse<String> r = client.get(page);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
            assertThat(r.body()).contains("url: \"/\"").contains("swagger-ui-bundle.js");
        }
        assertThat(client.get("/swagger/swagger-ui-bundle.js").statusCode()).isEqualTo(200);
        assertThat(client.get("/swagger/swagger-ui.css").statusCode()).isEqualTo(200);
        HttpResponse<String> bare = client.get("/swagger");
        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("location")).hasValue("/swagger/");
        assertError(client.get("/swagger/no-such-file.js"), 404, "not_found");
    }

    @Test
    void uiRedirectsToItsDirectory() {
        HttpResponse<String> r = client.get("/ui");
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.headers().firstValue("location")).hasValue("/ui/");
        HttpResponse<String> page = client.get("/ui/");
        boolean packaged = HttpApi.class.getClassLoader().getResource("ui/index.html") != null;
        if (packaged) {
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
        } else {
            assertError(page, 404, "not_found");
        }
    }

    @Test
    void corsPreflightIsAnsweredForAnyOrigin() {
        HttpResponse<String> r = client.send(client.request("/db/k")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://ui.example")
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "content-type, if-match"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(String.join(",", r.headers().allValues("access-control-allow-methods"))).contains("PUT");
    }

    @Test
    void corsResponsesAllowAnyOriginAndExposeETag() {
        client.putJson("/db/k", "v");
        HttpResponse<String> r = client.send(client.request("/db/k").header("Origin", "http://ui.example").GET());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(r.headers().firstValue("access-control-expose-headers").orElseThrow()).containsIgnoringCase("ETag");
    }

    @Test
    void unknownRoutesAre404Json() {
        assertError(client.get("/nope"), 404, "not_found");
        assertError(client.get("/db%2Fx"), 404, "not_found");
        assertError(client.get("/healthz"), 404, "not_found");
    }

    @Test
    void wrongMethodsAre405JsonWithAllow() {
        HttpResponse<String> r = client.send(client.request("/health").POST(HttpRequest.BodyPublishers.noBody()));
        assertError(r, 405, "method_not_allowed");
        assertThat(r.headers().firstValue("allow").orElseThrow()).contains("GET");
        HttpResponse<String> post = client.send(client.request("/db/k").POST(HttpRequest.BodyPublishers.noBody()));
        assertError(post, 405, "method_not_allowed");
        assertThat(post.headers().firstValue("allow").orElseThrow()).contains("GET", "PUT", "DELETE");
        assertError(client.delete("/db"), 405, "method_not_allowed");
    }

    @Test
    void malformedRequestLineGetsAJsonError() {
        HttpResponse<String> r = client.get("/db/" + "k".repeat(100_000));
        assertThat(r.statusCode()).isBetween(400, 499);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(ApiClient.json(r).path("code").asText()).isNotBlank();
    }
}
