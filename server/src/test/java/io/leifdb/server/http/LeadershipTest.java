package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.server.kv.Precondition;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** What a client sees from a node that is not the leader, has none, or cannot finish in time. */
class LeadershipTest extends ApiTestBase {

    @Override
    HttpSettings settings() {
        return HttpSettings.loopback(0).withRequestTimeout(Duration.ofMillis(300));
    }

    @Test
    void followerRedirectsWritesToTheLeaderKeepingKeyEncodingAndQuery() {
        backend.failNext(() -> new NotLeaderException(Optional.of("127.0.0.1:8082")));
        HttpResponse<String> r = client.send(client.request("/db/a%2Fb%20c?value=x+y")
                .PUT(HttpRequest.BodyPublishers.noBody()));
        assertError(r, 307, "not_leader");
        assertThat(r.headers().firstValue("location")).hasValue("http://127.0.0.1:8082/db/a%2Fb%20c?value=x+y");

        HttpResponse<String> del = client.delete("/db/%E2%9C%93");
        assertThat(del.statusCode()).isEqualTo(307);
        assertThat(del.headers().firstValue("location")).hasValue("http://127.0.0.1:8082/db/%E2%9C%93");
    }

    @Test
    void followerRedirectsLinearizableReadsAndListings() {
        backend.failNext(() -> new NotLeaderException(Optional.of("leader.example:9000")));
        HttpResponse<String> read = client.get("/db/k");
        assertThat(read.statusCode()).isEqualTo(307);
        assertThat(read.headers().firstValue("location")).hasValue("http://leader.example:9000/db/k");
        HttpResponse<String> list = client.get("/db?prefix=a&limit=5");
        assertThat(list.statusCode()).isEqualTo(307);
        assertThat(list.headers().firstValue("location")).hasValue("http://leader.example:9000/db?prefix=a&limit=5");
    }

    @Test
    void noKnownLeaderIs503WithRetryAfter() {
        backend.failNext(() -> new NotLeaderException(Optional.empty()));
        HttpResponse<String> r = client.putJson("/db/k", "v");
        assertError(r, 503, "no_leader");
        assertThat(r.headers().firstValue("retry-after")).hasValue("1");
        assertThat(r.headers().firstValue("location")).isEmpty();
    }

    @Test
    void backendTimeoutIs503UnavailableWithRetryAfter() {
        backend.failNext(TimeoutException::new);
        HttpResponse<String> r = client.putJson("/db/k", "v");
        assertError(r, 503, "unavailable");
        assertThat(r.headers().firstValue("retry-after")).hasValue("1");
    }

    @Test
    void requestThatOutlivesTheRequestTimeoutIs503() {
        backend.hang(true);
        HttpResponse<String> r = client.putJson("/db/k", "v");
        assertError(r, 503, "unavailable");
        assertThat(r.headers().firstValue("retry-after")).hasValue("1");
        HttpResponse<String> read = client.get("/db/k");
        assertError(read, 503, "unavailable");
        // A read that times out changed nothing: it must not use the write's outcome-unknown wording.
        assertThat(ApiClient.json(read).path("error").asText()).contains("safe to retry").doesNotContain("write");
        assertThat(ApiClient.json(r).path("error").asText()).contains("a write may still take effect");
    }

    @Test
    void unexpectedBackendFailureIs503NotAStackTrace() {
        backend.failNext(() -> new IllegalStateException("disk on fire\n\tat Foo.bar(Foo.java:1)"));
        HttpResponse<String> r = client.delete("/db/k");
        assertError(r, 503, "unavailable");
        assertThat(r.body()).doesNotContain("disk on fire").doesNotContain("Foo.java");
    }

    @Test
    void backendThatThrowsInsteadOfFailingTheFutureIsHandledTheSameWay() {
        InMemoryBackend throwing = new InMemoryBackend() {
            @Override
            public synchronized java.util.concurrent.CompletableFuture<WriteOutcome> put(String key, byte[] value,
                                                                                       Precondition pre) {
                throw new NotLeaderException(Optional.of("127.0.0.1:1"));
            }

            @Override
            public synchronized java.util.concurrent.CompletableFuture<WriteOutcome> delete(String key,
                                                                                          Precondition pre) {
                throw new IllegalStateException("bug");
            }
        };
        HttpApi other = new HttpApi();
        try {
            ApiClient c = new ApiClient(other.start(HttpSettings.loopback(0), throwing));
            assertThat(c.putJson("/db/k", "v").headers().firstValue("location")).hasValue("http://127.0.0.1:1/db/k");
            assertError(c.delete("/db/k"), 500, "internal");
        } finally {
            other.stop();
        }
    }
}
