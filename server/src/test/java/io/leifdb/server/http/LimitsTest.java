package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.server.config.Config;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Key and value limits, set small here so the edges are cheap to reach. */
class LimitsTest extends ApiTestBase {
    static final int MAX_KEY = 64;
    static final int MAX_VALUE = 1000;

    @Override
    HttpSettings settings() {
        return HttpSettings.loopback(0).withLimits(MAX_KEY, MAX_VALUE);
    }

    @Test
    void keyAtTheLimitIsAcceptedAndOneByteMoreIs400() {
        assertThat(client.putJson("/db/" + "k".repeat(MAX_KEY), "v").statusCode()).isEqualTo(200);
        assertError(client.putJson("/db/" + "k".repeat(MAX_KEY + 1), "v"), 400, "key_too_long");
        assertError(client.get("/db/" + "k".repeat(MAX_KEY + 1)), 400, "key_too_long");
    }

    @Test
    void keyLimitCountsUtf8BytesNotCharacters() {
        String twoByteChar = "%C3%A9"; // é
        assertThat(client.putJson("/db/" + twoByteChar.repeat(MAX_KEY / 2), "v").statusCode()).isEqualTo(200);
        assertError(client.putJson("/db/" + twoByteChar.repeat(MAX_KEY / 2) + "x", "v"), 400, "key_too_long");
    }

    @Test
    void valueAtTheLimitIsAcceptedAndOneByteMoreIs413() {
        assertThat(client.putJson("/db/k", "v".repeat(MAX_VALUE)).statusCode()).isEqualTo(200);
        assertError(client.putJson("/db/k", "v".repeat(MAX_VALUE + 1)), 413, "value_too_large");
        assertError(client.putJson("/db/k", "é".repeat(MAX_VALUE / 2 + 1)), 413, "value_too_large");
        assertError(client.send(client.request("/db/k?value=" + "q".repeat(MAX_VALUE + 1))
                .PUT(HttpRequest.BodyPublishers.noBody())), 413, "value_too_large");
        assertThat(ApiClient.json(client.get("/db/k")).path("value").asText()).hasSize(MAX_VALUE);
    }

    @Test
    void hugeBodyIsRefusedBeforeItIsSent() {
        String body = "{\"value\":\"" + "x".repeat(MAX_VALUE * 50) + "\"}";
        // With Expect: 100-continue the server refuses on Content-Length alone and the body never travels.
        assertError(client.send(client.request("/db/k").expectContinue(true)
                .PUT(HttpRequest.BodyPublishers.ofString(body))), 413, "payload_too_large");
        assertError(client.get("/db/k"), 404, "not_found");
    }

    @Test
    void hugeChunkedBodyIsRefusedWhileStreaming() {
        // Just past the payload limit (6 x value + envelope), small enough to be fully sent before the answer.
        byte[] body = ("{\"value\":\"" + "x".repeat(MAX_VALUE * 7) + "\"}").getBytes(StandardCharsets.UTF_8);
        // ofInputStream has no length, so the client sends it chunked and the limit applies while reading.
        HttpResponse<String> r = client.send(client.request("/db/k")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(ApiClient.json(r).path("code").asText()).isIn("payload_too_large", "value_too_large");
        assertError(client.get("/db/k"), 404, "not_found");
    }

    @Test
    void settingsFromConfigCarryTheLimits() {
        Config config = Config.fromEnv(Map.of("LEIFDB_HOST", "localhost", "LEIFDB_MAX_KEY_BYTES", "7",
                "LEIFDB_MAX_VALUE_BYTES", "9", "LEIFDB_HTTP_PORT", "8181", "LEIFDB_DATA_DIR", "/tmp/leifdb-unused"));
        HttpSettings s = HttpSettings.of(config);
        assertThat(s.port()).isEqualTo(8181);
        assertThat(s.maxKeyBytes()).isEqualTo(7);
        assertThat(s.maxValueBytes()).isEqualTo(9);
        assertThat(s.maxPayloadBytes()).isGreaterThan(6 * 9);
    }

    @Test
    void listPrefixAndCursorObeyTheKeyLimit() {
        assertError(client.get("/db?prefix=" + "p".repeat(MAX_KEY + 1)), 400, "key_too_long");
        assertError(client.get("/db?after=" + "a".repeat(MAX_KEY + 1)), 400, "key_too_long");
    }
}
