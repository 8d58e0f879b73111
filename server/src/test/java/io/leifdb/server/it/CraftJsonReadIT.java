package io.leifdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRaft JSON reads on a follower: three real nodes with a (2, 1) code, values of many stripes of each
 * JSON form. A follower holds a fragment and the kind the put's entry recorded, so it writes the JSON
 * while it gathers the other shares; its answer is byte for byte the leader's, built from the whole value.
 */
class CraftJsonReadIT {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    /** Values of about 300 KB: shards of 150 KB, three stripes each, so parts meet inside characters and groups. */
    private static Map<String, byte[]> values() {
        Random r = new Random(17);
        Map<String, byte[]> values = new LinkedHashMap<>();
        StringBuilder plain = new StringBuilder();
        while (plain.length() < 300_000) plain.append((char) ('a' + r.nextInt(26)));
        values.put("plain", plain.toString().getBytes(StandardCharsets.US_ASCII));
        // 13 bytes a period: stripe and shard boundaries fall inside two-, three- and four-byte characters.
        values.put("escapes", "\u00e9\u4e2d\ud83d\ude00\"\n\\a".repeat(23_077).getBytes(StandardCharsets.UTF_8));
        for (int n = 300_000; n < 300_003; n++) {
            byte[] binary = new byte[n];
            r.nextBytes(binary);
            binary[0] = (byte) 0xFF; // never UTF-8
            values.put("binary/" + n % 3, binary);
        }
        return values;
    }

    private HttpResponse<byte[]> get(TestCluster c, int node, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(c.url(node) + "/db/" + key + "?consistency=stale"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void followersStreamTheLeadersJsonForEveryForm() throws Exception {
        // Fixed k: adaptive k could replicate a write in full while a follower lags, and that read would not stream.
        Map<String, String> env = TestCluster.env("LEIFDB_ERASURE_CODING", "on", "LEIFDB_ERASURE_K", "2",
                "LEIFDB_ERASURE_ADAPTIVE", "off");
        try (TestCluster c = TestCluster.start(3, dir, env)) {
            int leader = c.awaitLeader();
            await("coded with k = 2").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode s = Http.get(c.url(leader) + "/cluster").json();
                assertThat(s.get("replication").asText()).isEqualTo("coded");
                assertThat(s.get("k").asInt()).isEqualTo(2);
            });
            Map<String, byte[]> values = values();
            for (var e : values.entrySet()) {
                HttpResponse<byte[]> put = http.send(HttpRequest.newBuilder(URI.create(c.url(leader) + "/db/" + e.getKey()))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(e.getValue())).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(put.statusCode()).as(text(put)).isEqualTo(200);
            }
            for (var e : values.entrySet()) {
                HttpResponse<byte[]> whole = get(c, leader, e.getKey());
                assertThat(whole.statusCode()).as(text(whole)).isEqualTo(200);
                assertThat(whole.headers().firstValue("content-length")).hasValue(Integer.toString(whole.body().length));
                for (int i = 0; i < 3; i++) {
                    if (i == leader) continue;
                    int node = i;
                    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                        HttpResponse<byte[]> streamed = get(c, node, e.getKey());
                        assertThat(text(streamed)).as("%s on follower %d", e.getKey(), node).isEqualTo(text(whole));
                        assertThat(streamed.body()).isEqualTo(whole.body());
                        if (e.getKey().equals("escapes")) {
                            // Written as it was gathered: an escaped value's length is known only at its end.
                            assertThat(streamed.headers().firstValue("transfer-encoding")).hasValue("chunked");
                        } else {
                            assertThat(streamed.headers().firstValue("content-length"))
                                    .hasValue(Integer.toString(whole.body().length));
                        }
                    });
                }
            }
        }
    }
}
