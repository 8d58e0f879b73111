package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leifdb.server.kv.Precondition;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KvEndpointsTest extends ApiTestBase {

    private static String enc(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void putThenGetReturnsTheValueWithRevisionsAndETag() {
        HttpResponse<String> put = client.putJson("/db/greeting", "hello");
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(put).path("status").asText()).isEqualTo("OK");
        assertThat(ApiClient.json(put).path("revision").asLong()).isEqualTo(1);
        assertThat(put.headers().firstValue("etag")).hasValue("\"1\"");

        client.putJson("/db/greeting", "hello again");
        HttpResponse<String> get = client.get("/db/greeting");
        assertThat(get.statusCode()).isEqualTo(200);
        JsonNode body = ApiClient.json(get);
        assertThat(body.path("value").asText()).isEqualTo("hello again");
        assertThat(body.path("revision").asLong()).isEqualTo(2);
        assertThat(body.path("createRevision").asLong()).isEqualTo(1);
        assertThat(body.path("version").asLong()).isEqualTo(2);
        assertThat(get.headers().firstValue("etag")).hasValue("\"2\"");
    }

    @Test
    void missingKeyIs404Json() {
        assertError(client.get("/db/nothing-here"), 404, "not_found");
    }

    @Test
    void deleteSucceedsAndDeletingAMissingKeyAlsoSucceeds() {
        client.putJson("/db/k", "v");
        HttpResponse<String> del = client.delete("/db/k");
        assertThat(del.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(del).path("status").asText()).isEqualTo("OK");
        assertError(client.get("/db/k"), 404, "not_found");
        HttpResponse<String> again = client.delete("/db/k");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(again).path("status").asText()).isEqualTo("OK");
    }

    @Test
    void keysWithSlashAreAddressedEncodedOrLiteral() {
        assertThat(client.putJson("/db/a%2Fb", "x").statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(client.get("/db/a/b")).path("value").asText()).isEqualTo("x");
        assertThat(client.putJson("/db/dir/sub/leaf", "y").statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(client.get("/db/dir%2Fsub%2Fleaf")).path("value").asText()).isEqualTo("y");
        assertThat(client.delete("/db/a/b").statusCode()).isEqualTo(200);
        assertError(client.get("/db/a%2Fb"), 404, "not_found");
    }

    @Test
    void keysAreTakenVerbatimWithDotSegmentsSemicolonsAndDoubleSlashes() {
        for (String raw : new String[] {"/db/a;b=c", "/db/a/../b", "/db/%2E%2E", "/db/a//b", "/db/a%3Bb"}) {
            assertThat(client.raw("PUT", raw + "?value=1").status()).as(raw).isEqualTo(200);
        }
        java.util.List<String> keys = new java.util.ArrayList<>();
        ApiClient.json(client.get("/db")).path("items").forEach(i -> keys.add(i.path("key").asText()));
        assertThat(keys).containsExactly("..", "a/../b", "a//b", "a;b", "a;b=c");
    }

    @Test
    void unicodeKeysAndValuesRoundTrip() {
        String key = "ключ/日本語 ✓ 🚀?&=%+";
        String value = "värde \"quoted\" \\ 🎉 \n line";
        assertThat(client.putJson("/db/" + enc(key), value).statusCode()).isEqualTo(200);
        HttpResponse<String> get = client.get("/db/" + enc(key));
        assertThat(ApiClient.json(get).path("value").asText()).isEqualTo(value);
        JsonNode items = ApiClient.json(client.get("/db")).path("items");
        assertThat(items.get(0).path("key").asText()).isEqualTo(key);
    }

    @Test
    void valueMayComeFromTheQueryAsInTheOriginalReadme() {
        HttpResponse<String> put = client.send(client.request("/db/test?value=hello+world%21").PUT(
                HttpRequest.BodyPublishers.noBody()));
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(client.get("/db/test")).path("value").asText()).isEqualTo("hello world!");
        assertThat(client.send(client.request("/db/empty?value=").PUT(HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(client.get("/db/empty")).path("value").asText()).isEmpty();
    }

    @Test
    void valueInBothBodyAndQueryIsRefused() {
        assertError(client.put("/db/k?value=a", "{\"value\":\"b\"}"), 400, "bad_request");
    }

    @Test
    void missingValueIsRefused() {
        assertError(client.send(client.request("/db/k").PUT(HttpRequest.BodyPublishers.noBody())), 400,
                "missing_value");
    }

    @Test
    void malformedBodiesAre400() {
        for (String body : new String[] {"not json", "{\"value\":", "[\"value\"]", "{\"value\":5}",
                "{\"value\":null}", "{}", "{\"value\":\"a\",\"extra\":1}", "{\"value\":\"a\"} trailing",
                "{\"value\":\"a\",\"value\":\"b\"}", "\"just a string\""}) {
            HttpResponse<String> r = client.put("/db/k", body);
            assertError(r, 400, "malformed_body");
        }
        assertError(client.get("/db/k"), 404, "not_found");
    }

    @Test
    void unpairedSurrogateInValueIsRefused() {
        assertError(client.put("/db/k", "{\"value\":\"\\ud800x\"}"), 400, "bad_value");
    }

    @Test
    void unknownAndRepeatedQueryParametersAre400() {
        assertError(client.get("/db/k?consistancy=stale"), 400, "unknown_parameter");
        assertError(client.get("/db/k?consistency=stale&consistency=stale"), 400, "duplicate_parameter");
        assertError(client.delete("/db/k?value=x"), 400, "unknown_parameter");
        assertError(client.get("/health?verbose=1"), 400, "unknown_parameter");
        assertRawError(client.raw("GET", "/db/k?consistency=%zz"));
    }

    @Test
    void consistencyChoosesLinearizableByDefaultAndStaleOnRequest() {
        client.putJson("/db/k", "v");
        assertThat(client.get("/db/k").statusCode()).isEqualTo(200);
        assertThat(backend.lastLinearizable).isTrue();
        assertThat(client.get("/db/k?consistency=stale").statusCode()).isEqualTo(200);
        assertThat(backend.lastLinearizable).isFalse();
        assertThat(client.get("/db/k?consistency=linearizable").statusCode()).isEqualTo(200);
        assertThat(backend.lastLinearizable).isTrue();
        assertError(client.get("/db/k?consistency=eventual"), 400, "bad_consistency");
    }

    @Test
    void emptyKeyIs400() {
        assertError(client.get("/db/"), 400, "empty_key");
        assertError(client.putJson("/db/", "v"), 400, "empty_key");
    }

    @Test
    void badlyEncodedKeysAre400() {
        assertRawError(client.raw("GET", "/db/%zz"));
        assertRawError(client.raw("PUT", "/db/ab%4?value=x"));
        assertError(client.get("/db/%C3%28"), 400, "bad_key");
    }

    /** Helidon refuses malformed %-escapes while parsing the request line; the answer is still our JSON. */
    private static void assertRawError(ApiClient.RawResponse r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().path("code").asText()).isNotBlank();
        assertThat(r.json().path("error").asText()).isNotBlank();
    }

    @Test
    void ifMatchWritesOnlyAtTheExpectedRevision() {
        long rev = ApiClient.json(client.putJson("/db/k", "v1")).path("revision").asLong();
        HttpResponse<String> stale = client.send(client.request("/db/k").header("If-Match", "\"" + (rev + 7) + "\"")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"v2\"}")));
        JsonNode body = assertError(stale, 412, "precondition_failed");
        assertThat(body.path("currentRevision").asLong()).isEqualTo(rev);
        assertThat(stale.headers().firstValue("etag")).hasValue("\"" + rev + "\"");

        HttpResponse<String> ok = client.send(client.request("/db/k").header("If-Match", "\"" + rev + "\"")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"v2\"}")));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(backend.lastPrecondition).isEqualTo(Precondition.ifRevision(rev));
        assertThat(ApiClient.json(client.get("/db/k")).path("value").asText()).isEqualTo("v2");
    }

    @Test
    void ifMatchOnDeleteIsChecked() {
        long rev = ApiClient.json(client.putJson("/db/k", "v1")).path("revision").asLong();
        assertError(client.send(client.request("/db/k").header("If-Match", "\"999\"").DELETE()), 412,
                "precondition_failed");
        assertThat(client.send(client.request("/db/k").header("If-Match", "\"" + rev + "\"").DELETE())
                .statusCode()).isEqualTo(200);
        assertError(client.get("/db/k"), 404, "not_found");
    }

    @Test
    void ifNoneMatchStarCreatesOnlyWhenAbsent() {
        HttpRequest.Builder create = client.request("/db/once").header("If-None-Match", "*")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"first\"}"));
        assertThat(client.send(create).statusCode()).isEqualTo(200);
        assertThat(backend.lastPrecondition).isEqualTo(Precondition.IF_ABSENT);
        JsonNode body = assertError(client.send(create), 412, "precondition_failed");
        assertThat(body.path("currentRevision").asLong()).isPositive();
        assertThat(ApiClient.json(client.get("/db/once")).path("value").asText()).isEqualTo("first");
    }

    @Test
    void malformedPreconditionsAre400() {
        client.putJson("/db/k", "v");
        for (String etag : new String[] {"abc", "\"0\"", "W/\"1\"", "\"1\", \"2\""}) {
            assertError(client.send(client.request("/db/k").header("If-Match", etag)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"x\"}"))), 400, "bad_precondition");
        }
        assertError(client.send(client.request("/db/k").header("If-None-Match", "\"1\"")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"x\"}"))), 400, "bad_precondition");
        assertError(client.send(client.request("/db/k").header("If-None-Match", "*").DELETE()), 400,
                "bad_precondition");
        assertError(client.send(client.request("/db/k").header("If-None-Match", "*").header("If-Match", "\"1\"")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"x\"}"))), 400, "bad_precondition");
    }

    @Test
    void getWithMatchingIfNoneMatchIs304() {
        client.putJson("/db/k", "v");
        HttpResponse<String> r = client.send(client.request("/db/k").header("If-None-Match", "\"1\"").GET());
        assertThat(r.statusCode()).isEqualTo(304);
        assertThat(r.headers().firstValue("etag")).hasValue("\"1\"");
        HttpResponse<String> changed = client.send(client.request("/db/k").header("If-None-Match", "\"7\"").GET());
        assertThat(changed.statusCode()).isEqualTo(200);
    }
}
