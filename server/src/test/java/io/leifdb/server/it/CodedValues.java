package io.leifdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Random;

/** The CRaft integration tests' values: large enough to be coded, written and read back through HTTP. */
final class CodedValues {
    static final int VALUE_CHARS = 32 << 10;

    private CodedValues() {
    }

    /** A value of {@link #VALUE_CHARS} that starts with its key, so a mix-up shows. */
    static String value(Random random, String key) {
        StringBuilder sb = new StringBuilder(VALUE_CHARS).append(key).append(':');
        while (sb.length() < VALUE_CHARS) sb.append((char) ('a' + random.nextInt(26)));
        return sb.toString();
    }

    /** The value, or the status and body of the answer that was not one. */
    static String read(TestCluster c, int node, String key, boolean stale) throws Exception {
        Http.Response r = Http.get(c.url(node) + "/db/" + key + (stale ? "?consistency=stale" : ""));
        return r.status() == 200 ? r.json().get("value").asText() : "HTTP " + r.status() + " " + r.body();
    }

    /** Puts through whichever member leads, until one acknowledges; records the acknowledged value. */
    static void write(TestCluster c, Map<String, String> acked, String key, String v) {
        await("put " + key).atMost(Duration.ofSeconds(20)).until(() -> {
            int leader = c.awaitLeader();
            return Http.put(c.url(leader) + "/db/" + key, Http.valueJson(v)).status() == 200;
        });
        acked.put(key, v);
    }

    /** GET /cluster/coding from the leader. */
    static com.fasterxml.jackson.databind.JsonNode coding(TestCluster c) throws Exception {
        return Http.get(c.url(c.awaitLeader()) + "/cluster/coding").json();
    }

    /** The leader codes new entries (its followers keep up). */
    static void awaitCoded(TestCluster c) {
        await("leader in coded mode").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                Http.get(c.url(c.awaitLeader()) + "/cluster").json().get("replication").asText()).isEqualTo("coded"));
    }

    /** Every acknowledged value reads back from {@code node}. */
    static void awaitAll(TestCluster c, int node, Map<String, String> acked, boolean stale) {
        for (var e : acked.entrySet()) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(read(c, node, e.getKey(), stale))
                    .as("%s %s on node %d", stale ? "stale" : "linearizable", e.getKey(), node).isEqualTo(e.getValue()));
        }
    }
}
