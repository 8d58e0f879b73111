package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Raw bytes in with Content-Type: application/octet-stream and out with Accept: application/octet-stream. */
class BinaryValuesTest extends ApiTestBase {
    private static final byte[] BYTES = {0, (byte) 0xFF, (byte) 0xC3, 0x28, 10, 'x'}; // not UTF-8

    @Override
    HttpSettings settings() {
        return HttpSettings.loopback(0).withLimits(256, 64);
    }

    private HttpResponse<byte[]> getRaw(String path, String accept) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(client.request(path).header("Accept", accept).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> putRaw(String path, byte[] body) {
        return client.send(client.request(path).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    @Test
    void rawBytesRoundTripUnchanged() {
        HttpResponse<String> put = putRaw("/db/blob", BYTES);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(backend.data.get("blob").value()).containsExactly(BYTES);
        HttpResponse<byte[]> get = getRaw("/db/blob", "application/octet-stream");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("content-type")).hasValue("application/octet-stream");
        assertThat(get.headers().firstValue("etag")).hasValue("\"1\"");
        assertThat(get.body()).containsExactly(BYTES);
    }

    @Test
    void jsonReadsOfBinaryValuesAreBase64AndTextStaysText() {
        putRaw("/db/blob", BYTES);
        JsonNode body = ApiClient.json(client.get("/db/blob"));
        assertThat(body.path("encoding").asText()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(body.path("value").asText())).containsExactly(BYTES);
        JsonNode listed = ApiClient.json(client.get("/db?prefix=blob")).path("items").get(0);
        assertThat(listed.path("encoding").asText()).isEqualTo("base64");

        putRaw("/db/text", "plain é".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        JsonNode text = ApiClient.json(client.get("/db/text"));
        assertThat(text.path("value").asText()).isEqualTo("plain é");
        assertThat(text.has("encoding")).isFalse();
        // A client that accepts JSON too keeps getting JSON.
        assertThat(getRaw("/db/text", "application/json, application/octet-stream").headers()
                .firstValue("content-type")).hasValue("application/json");
    }

    @Test
    void rawBodiesPastTheLimitAre413AndQueryPlusBodyIs400() {
        assertError(putRaw("/db/big", new byte[65]), 413, "value_too_large");
        assertThat(putRaw("/db/fits", new byte[64]).statusCode()).isEqualTo(200);
        assertError(putRaw("/db/both?value=x", BYTES), 400, "bad_request");
    }
}
