package io.leifdb.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CRaft end to end: five real nodes with a (3, 2) code. Large values are stored as fragments on
 * the followers, read back whole from every node, and survive SIGKILL of the leader.
 */
class CraftIT {
    private static final int VALUE_CHARS = 64 << 10;

    @TempDir
    Path dir;

    private static String value(Random random, int n) {
        StringBuilder sb = new StringBuilder(VALUE_CHARS);
        sb.append("v").append(n).append(':');
        while (sb.length() < VALUE_CHARS) sb.append((char) ('a' + random.nextInt(26)));
        return sb.toString();
    }

    private static String read(TestCluster c, int node, String key, boolean stale) throws Exception {
        Http.Response r = Http.get(c.url(node) + "/db/" + key + (stale ? "?consistency=stale" : ""));
        return r.status() == 200 ? r.json().get("value").asText() : "HTTP " + r.status() + " " + r.body();
    }

    @Test
    void codedWritesReadBackEverywhereAndSurviveLeaderKill() throws Exception {
        Map<String, String> env = TestCluster.env("LEIFDB_ERASURE_CODING", "on", "LEIFDB_ERASURE_K", "3");
        try (TestCluster c = TestCluster.start(5, dir, env)) {
            int leader = c.awaitLeader();
            await("leader in coded mode").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode s = Http.get(c.url(leader) + "/cluster").json();
                assertThat(s.get("replication").asText()).isEqualTo("coded");
                assertThat(s.get("k").asInt()).isEqualTo(3);
            });
            Random random = new Random(42);
            Map<String, String> acked = new LinkedHashMap<>();
            for (int n = 0; n < 30; n++) {
                String key = "big/" + n;
                String v = value(random, n);
                Http.Response put = Http.put(c.url(leader) + "/db/" + key, Http.valueJson(v));
                assertThat(put.status()).as(put.body()).isEqualTo(200);
                acked.put(key, v);
            }
            for (int i = 0; i < 5; i++) {
                int node = i;
                for (var e : acked.entrySet()) {
                    assertThat(read(c, node, e.getKey(), false)).as("linearizable %s on %d", e.getKey(), node)
                            .isEqualTo(e.getValue());
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                            read(c, node, e.getKey(), true)).as("stale %s on %d", e.getKey(), node)
                            .isEqualTo(e.getValue()));
                }
            }

            // A raw read of a value of many stripes: followers send it while they gather it (StripedRead).
            String large = value(random, 7).repeat(10); // 640 KiB: shards of about 213 KiB, four stripes each
            assertThat(Http.put(c.url(leader) + "/db/large", Http.valueJson(large)).status()).isEqualTo(200);
            for (int i = 0; i < 5; i++) {
                int node = i;
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    Http.Response raw = Http.get(c.url(node) + "/db/large?consistency=stale", "Accept", "application/octet-stream");
                    assertThat(raw.status()).as("raw read on %d", node).isEqualTo(200);
                    assertThat(raw.header("Content-Length")).isEqualTo(Integer.toString(large.length()));
                    assertThat(raw.body()).as("raw read on %d", node).isEqualTo(large);
                });
            }

            // Followers hold about 1/k of each value: their logs and stores are far smaller than the leader's.
            long leaderBytes = DiskUsage.bytes(c.dataDir(leader));
            for (int i = 0; i < 5; i++) {
                if (i != leader) {
                    assertThat(DiskUsage.bytes(c.dataDir(i))).as("bytes on disk of follower %d vs leader %d", i, leaderBytes)
                            .isLessThan(leaderBytes * 6 / 10);
                }
            }

            c.kill9(leader);
            int next = c.awaitLeader(Duration.ofSeconds(30));
            assertThat(next).isNotEqualTo(leader);
            // The new leader applied most of these as fragments: its reads gather them too.
            for (int i = 0; i < 5; i++) {
                if (i == leader) continue;
                for (var e : acked.entrySet()) {
                    int node = i;
                    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                            read(c, node, e.getKey(), false)).as("%s on %d after failover", e.getKey(), node)
                            .isEqualTo(e.getValue()));
                }
            }
            // Writes go on with four of five nodes: F + 3 = 5 are not live, so the leader codes with k = 2 (adaptive k).
            String after = value(random, 99);
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    Http.put(c.url(next) + "/db/after", Http.valueJson(after)).status() == 200);
            await("k = 2 with four live").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode s = Http.get(c.url(next) + "/cluster").json();
                assertThat(s.get("replication").asText()).isEqualTo("coded");
                assertThat(s.get("k").asInt()).isEqualTo(2);
            });
            c.startNode(leader);
            await("back to k = 3 once all five keep up").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                int l = c.awaitLeader();
                assertThat(Http.get(c.url(l) + "/cluster").json().get("k").asInt()).isEqualTo(3);
            });
            for (var e : acked.entrySet()) {
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                        read(c, leader, e.getKey(), true)).as("%s on the restarted node", e.getKey())
                        .isEqualTo(e.getValue()));
            }
            assertThat(read(c, leader, "after", false)).isEqualTo(after);
        }
    }
}
