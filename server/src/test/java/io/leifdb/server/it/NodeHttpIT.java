package io.leifdb.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP contract of every endpoint, through a real single-node process (a one-member Raft cluster). */
class NodeHttpIT {
    @TempDir
    static Path dir;
    private static TestCluster node;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        node = TestCluster.start(1, dir);
        url = node.url(0);
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    private static void assertJsonError(Http.Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode j = r.json();
        assertThat(j.hasNonNull("error")).isTrue();
        assertThat(j.hasNonNull("code")).isTrue();
    }

    @Test
    void healthKeepsTheOriginalFieldsAndAddsRaftState() throws Exception {
        JsonNode h = Http.get(url + "/health").json();
        assertThat(h.get("status").asText()).isEqualTo("OK");
        assertThat(h.hasNonNull("version")).isTrue();
        assertThat(h.get("role").asText()).isEqualTo("LEADER");
        assertThat(h.get("term").asLong()).isPositive();
        assertThat(h.get("leader").asLong()).isEqualTo(h.get("id").asLong());
        assertThat(h.get("commitIndex").asLong()).isGreaterThanOrEqualTo(h.get("appliedIndex").asLong());
    }

    @Test
    void putGetDeleteRoundTripWithJsonBodyAndQueryValue() throws Exception {
        Http.Response put = Http.put(url + "/db/colour", Http.valueJson("blue"));
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().get("status").asText()).isEqualTo("OK");
        Http.Response get = Http.get(url + "/db/colour");
        assertThat(get.json().get("value").asText()).isEqualTo("blue");
        assertThat(get.header("ETag")).isEqualTo("\"" + put.json().get("revision").asLong() + "\"");

        assertThat(Http.put(url + "/db/colour?value=green", null).status()).isEqualTo(200);
        assertThat(Http.get(url + "/db/colour").json().get("value").asText()).isEqualTo("green");
        assertThat(Http.get(url + "/db/colour?consistency=stale").json().get("value").asText()).isEqualTo("green");

        assertThat(Http.delete(url + "/db/colour").status()).isEqualTo(200);
        assertJsonError(Http.get(url + "/db/colour"), 404);
        assertThat(Http.delete(url + "/db/colour").status()).as("deleting a missing key succeeds").isEqualTo(200);
    }

    @Test
    void keysAreAnyUtf8IncludingSlashes() throws Exception {
        String key = "dir/sub/ключ ✓";
        String enc = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
        assertThat(Http.put(url + "/db/" + enc, Http.valueJson("v")).status()).isEqualTo(200);
        assertThat(Http.get(url + "/db/" + enc).json().get("value").asText()).isEqualTo("v");
        JsonNode page = Http.get(url + "/db?prefix=" + URLEncoder.encode("dir/", StandardCharsets.UTF_8)).json();
        assertThat(page.get("items").get(0).get("key").asText()).isEqualTo(key);
    }

    @Test
    void conditionalWritesUseTheModifyRevisionAsETag() throws Exception {
        long rev = Http.put(url + "/db/cas", Http.valueJson("1")).json().get("revision").asLong();
        assertJsonError(Http.put(url + "/db/cas", Http.valueJson("x"), "If-Match", "\"" + (rev + 1000) + "\""), 412);
        assertThat(Http.put(url + "/db/cas", Http.valueJson("2"), "If-Match", "\"" + rev + "\"").status()).isEqualTo(200);
        assertJsonError(Http.put(url + "/db/cas", Http.valueJson("3"), "If-Match", "\"" + rev + "\""), 412);
        assertJsonError(Http.put(url + "/db/cas", Http.valueJson("4"), "If-None-Match", "*"), 412);
        assertThat(Http.put(url + "/db/fresh-key", Http.valueJson("c"), "If-None-Match", "*").status()).isEqualTo(200);
        assertThat(Http.get(url + "/db/cas").json().get("value").asText()).isEqualTo("2");
    }

    @Test
    void prefixListingPaginatesInKeyOrder() throws Exception {
        for (int i = 0; i < 25; i++) {
            assertThat(Http.put(url + "/db/page-" + String.format("%02d", i), Http.valueJson("v" + i)).status()).isEqualTo(200);
        }
        List<String> keys = new ArrayList<>();
        String after = null;
        do {
            String q = url + "/db?prefix=page-&limit=10" + (after == null ? "" : "&after=" + after);
            JsonNode page = Http.get(q).json();
            page.get("items").forEach(i -> keys.add(i.get("key").asText()));
            after = page.get("next").isNull() ? null : page.get("next").asText();
        } while (after != null);
        assertThat(keys).hasSize(25).isSorted();
        assertJsonError(Http.get(url + "/db?prefix=page-&limit=abc"), 400);
    }

    @Test
    void badInputGetsA4xxWithAJsonBody() throws Exception {
        assertJsonError(Http.put(url + "/db/k", "{not json"), 400);
        assertJsonError(Http.put(url + "/db/k", "{\"value\": 5, \"extra\": true}"), 400);
        assertJsonError(Http.get(url + "/db/k?consistency=sometimes"), 400);
        assertJsonError(Http.get(url + "/db/k?bogus=1"), 400);
        assertJsonError(Http.put(url + "/db/" + "k".repeat(4097), Http.valueJson("v")), 400);
        Http.Response big = Http.put(url + "/db/big", Http.valueJson("v".repeat((1 << 20) + 1)));
        assertThat(big.status()).isIn(400, 413);
        assertJsonError(big, big.status());
        assertJsonError(Http.get(url + "/no/such/route"), 404);
        assertJsonError(Http.send("PATCH", url + "/db/k", "{}", false), 405);
    }

    @Test
    void openApiDocumentSwaggerClusterAndMetricsAreServed() throws Exception {
        JsonNode doc = Http.get(url + "/").json();
        assertThat(doc.get("openapi").asText()).startsWith("3.1");
        assertThat(doc.get("paths").has("/db/{key}")).isTrue();
        assertThat(Http.get(url + "/swagger/").status()).isEqualTo(200);
        JsonNode cluster = Http.get(url + "/cluster").json();
        assertThat(cluster.get("members")).hasSize(1);
        assertThat(cluster.get("members").get(0).get("role").asText()).isEqualTo("LEADER");
        assertThat(Http.get(url + "/metrics").body()).contains("# TYPE");
    }

    @Test
    void corsIsOpenAndPreflightWorks() throws Exception {
        Http.Response pre = Http.send("OPTIONS", url + "/db/k", null, false,
                "Origin", "http://example.test", "Access-Control-Request-Method", "PUT");
        assertThat(pre.status()).isEqualTo(200);
        assertThat(pre.header("Access-Control-Allow-Methods")).contains("PUT");
        Http.Response get = Http.get(url + "/health", "Origin", "http://example.test");
        assertThat(get.header("Access-Control-Allow-Origin")).isIn("*", "http://example.test");
    }
}
