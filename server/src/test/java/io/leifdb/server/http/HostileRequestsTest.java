package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.server.kv.KeyValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bytes a client library would refuse to send, over a raw socket; each once broke the server (issue 11). */
class HostileRequestsTest extends ApiTestBase {

    private RawHttp.Response send(String head) {
        return RawHttp.exchange(api.port(), RawHttp.request(head + "\r\nHost: t\r\nConnection: close", new byte[0]));
    }

    private static void assertJsonError(RawHttp.Response r, int status, String code) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.headers().get("content-type")).isEqualTo("application/json");
        assertThat(r.json().path("code").asText()).isEqualTo(code);
        assertThat(r.json().path("error").asText()).doesNotContain("Exception").doesNotContain("\n");
    }

    @Test
    void rawBytesThatAreNotUtf8InTheKeyAre400AndNeverAReplacementCharacter() {
        assertJsonError(send("PUT /db/x\u00fe?value=1 HTTP/1.1"), 400, "raw_non_ascii");
        assertJsonError(send("PUT /db/x\u00ff?value=2 HTTP/1.1"), 400, "raw_non_ascii");
        assertJsonError(send("GET /db/x\u00ff HTTP/1.1"), 400, "raw_non_ascii");
        assertThat(backend.data).isEmpty();
    }

    @Test
    void rawUtf8KeyIsNeverStoredUnderAnotherKey() {
        // "café" as raw UTF-8: refused, so it cannot land under a key /db/caf%C3%A9 does not find.
        assertJsonError(send("PUT /db/caf\u00c3\u00a9?value=1 HTTP/1.1"), 400, "raw_non_ascii");
        assertThat(backend.data).isEmpty();
        assertThat(send("PUT /db/caf%C3%A9?value=1 HTTP/1.1").status()).isEqualTo(200);
        assertThat(backend.data).containsOnlyKeys("café");
    }

    @Test
    void rawBytesInTheQueryFollowTheSameRule() {
        for (String line : new String[] {"PUT /db/k?value=\u00e9 HTTP/1.1", "GET /db?prefix=\u00fe HTTP/1.1"}) {
            RawHttp.Response r = send(line);
            // Helidon refuses some of these itself before routing; either way a JSON 400.
            assertThat(r.status()).as(line).isEqualTo(400);
            assertThat(r.json().path("code").asText()).isIn("raw_non_ascii", "bad_request");
        }
        assertThat(backend.data).isEmpty();
        assertThat(send("GET /db?prefix=%C3%A9 HTTP/1.1").status()).isEqualTo(200);
    }

    @Test
    void malformedChunkSizeIs400AndClosesTheConnection() {
        RawHttp.Response r = RawHttp.exchange(api.port(), "PUT /db/k HTTP/1.1\r\nHost: t\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
        assertJsonError(r, 400, "malformed_body");
        assertThat(r.headers().get("connection")).isEqualTo("close");
        assertThat(backend.data).isEmpty();
    }

    @Test
    void chunkExtensionIs400Not500() {
        RawHttp.Response r = RawHttp.exchange(api.port(), "PUT /db/k HTTP/1.1\r\nHost: t\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n3;ext=1\r\n{\"v\r\n0\r\n\r\n");
        assertJsonError(r, 400, "malformed_body");
    }

    @Test
    void http10IsAnsweredNotDropped() {
        RawHttp.Response r = RawHttp.exchange(api.port(), "GET /health HTTP/1.0\r\n\r\n");
        assertThat(r.status()).as("an answer, not a silent close").isEqualTo(505);
        assertThat(r.json().path("code").asText()).isEqualTo("http_version_not_supported");
    }

    @Test
    void headOnEveryGetRouteAnswersTheGetsHeadersWithoutABody() {
        backend.data.put("k", new KeyValue("k", "v".getBytes(StandardCharsets.UTF_8), 1, 1, 1));
        for (String path : new String[] {"/health", "/cluster", "/metrics", "/", "/db", "/db/k"}) {
            try (RawHttp c = new RawHttp(api.port())) {
                c.send(("HEAD " + path + " HTTP/1.1\r\nHost: t\r\n\r\nGET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                RawHttp.Response head = c.readHead();
                RawHttp.Response get = c.read();
                assertThat(head.status()).as(path).isEqualTo(200);
                // The GET that follows on the same connection parses, so HEAD sent no body.
                assertThat(get.status()).as(path).isEqualTo(200);
                if (!path.equals("/metrics")) { // the HEAD itself changes the metrics' text
                    assertThat(head.headers().get("content-length")).as(path)
                            .isEqualTo(Integer.toString(get.body().length));
                }
            }
        }
        try (RawHttp c = new RawHttp(api.port())) {
            c.send("HEAD /db/nope HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.readHead().status()).isEqualTo(404);
        }
    }

    @Test
    void ifMatchStarWritesOnlyAnExistingKey() {
        assertJsonError(send("PUT /db/k?value=1 HTTP/1.1\r\nIf-Match: *"), 412, "precondition_failed");
        assertThat(backend.data).isEmpty();
        assertThat(send("PUT /db/k?value=1 HTTP/1.1").status()).isEqualTo(200);
        assertThat(send("PUT /db/k?value=2 HTTP/1.1\r\nIf-Match: *").status()).isEqualTo(200);
        assertThat(new String(backend.data.get("k").value(), StandardCharsets.UTF_8)).isEqualTo("2");
        assertThat(send("DELETE /db/k HTTP/1.1\r\nIf-Match: *").status()).isEqualTo(200);
        assertJsonError(send("DELETE /db/k HTTP/1.1\r\nIf-Match: *"), 412, "precondition_failed");
    }

    @Test
    void valueAtTheLimitIsAcceptedWhateverItsJsonEscapesCost() {
        int max = settings().maxValueBytes();
        // Every byte a quote written as \u0022: the body is six times the value.
        byte[] body = ("{\"value\":\"" + "\\u0022".repeat(max) + "\"}").getBytes(StandardCharsets.US_ASCII);
        RawHttp.Response r = RawHttp.exchange(api.port(), RawHttp.request("PUT /db/big HTTP/1.1\r\nHost: t\r\n"
                + "Connection: close\r\nContent-Length: " + body.length, body));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(backend.data.get("big").value()).hasSize(max);
    }

    @Test
    void oversizedHeadersAre431InOurJsonShape() {
        String big = "X-Big: " + "h".repeat(HttpApi.MAX_HEADERS_BYTES);
        assertJsonError(send("GET /health HTTP/1.1\r\n" + big), 431, "headers_too_large");
        assertThat(send("GET /health HTTP/1.1").status()).as("the listener still serves").isEqualTo(200);
    }
}
