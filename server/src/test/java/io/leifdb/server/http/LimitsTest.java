package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
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
    void hugeBodyIsRefusedBeforeItIsRead() {
        String body = "{\"value\":\"" + "x".repeat(MAX_VALUE * 50) + "\"}";
        assertError(client.put("/db/k", body), 413, "payload_too_large");
        assertError(client.get("/db/k"), 404, "not_found");
    }

    @Test
    void listPrefixAndCursorObeyTheKeyLimit() {
        assertError(client.get("/db?prefix=" + "p".repeat(MAX_KEY + 1)), 400, "key_too_long");
        assertError(client.get("/db?after=" + "a".repeat(MAX_KEY + 1)), 400, "key_too_long");
    }
}
