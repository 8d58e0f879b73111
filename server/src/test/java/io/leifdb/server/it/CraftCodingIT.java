package io.leifdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRaft's coding parameters as cluster state (issue 14): recorded in the log by the first leader,
 * read and changed through GET/PUT /cluster/coding and {@code leifdb coding}, followed by a member
 * whose variables disagree (one warning), and values coded under k = 3 and k = 2 read back
 * everywhere, also after the leader is killed.
 */
class CraftCodingIT {
    private static final String WARNING = "differ from the cluster's coding parameters";

    @TempDir
    Path dir;

    private static String big(int n) {
        return ("v" + n + ":").repeat(2048); // about 8 KiB: above the 4096-byte threshold, so coded
    }

    private static JsonNode coding(TestCluster c, int node) throws Exception {
        Http.Response r = Http.get(c.url(node) + "/cluster/coding");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static Http.Response set(TestCluster c, int node, String body) throws Exception {
        return Http.send("PUT", c.url(node) + "/cluster/coding", body, false, "Content-Type", "application/json");
    }

    @Test
    void parametersLiveInTheLogAndEveryMemberFollowsThem() throws Exception {
        try (TestCluster c = TestCluster.start(4, dir, TestCluster.env())) {
            int leader = c.awaitLeader();
            int follower = (leader + 1) % 4;
            await("the first leader records its variables").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode s = coding(c, follower);
                assertThat(s.get("recorded").asBoolean()).isTrue();
                assertThat(s.get("on").asBoolean()).isTrue();
                assertThat(s.get("k").asInt()).as("N - F with 4 voters").isEqualTo(3);
                assertThat(s.get("voters").asInt()).isEqualTo(4);
            });

            // Only the leader changes them; bad input is a 400 naming what is allowed.
            Http.Response redirected = set(c, follower, "{\"k\":2}");
            assertThat(redirected.status()).isEqualTo(307);
            assertThat(redirected.header("Location")).isEqualTo("http://" + c.httpAddress(leader) + "/cluster/coding");
            for (String bad : new String[]{"{\"k\":0}", "{\"k\":4}", "{\"k\":\"2\"}", "{}", "{\"x\":1}", "not json",
                    "{\"threshold\":-1}", "{\"on\":\"yes\"}"}) {
                Http.Response r = set(c, leader, bad);
                assertThat(r.status()).as(bad + " -> " + r.body()).isEqualTo(400);
                assertThat(r.json().get("error").asText()).isNotBlank();
            }
            assertThat(set(c, leader, "{\"k\":0}").json().get("error").asText()).contains("1 to N - F = 3");

            Map<String, String> acked = new LinkedHashMap<>();
            for (int n = 0; n < 5; n++) acked.put("k3/" + n, put(c, leader, "k3/" + n, big(n)));
            Http.Response changed = set(c, leader, "{\"k\":2}");
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
            assertThat(changed.json().get("k").asInt()).isEqualTo(2);
            assertThat(changed.json().get("index").asLong()).isPositive();
            for (int i = 0; i < 4; i++) {
                int node = i;
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(coding(c, node).get("k").asInt())
                        .as("member %d", node).isEqualTo(2));
            }
            await("the leader codes with k = 2").atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(coding(c, leader).get("currentK").asInt()).isEqualTo(2));
            for (int n = 0; n < 5; n++) acked.put("k2/" + n, put(c, leader, "k2/" + n, big(100 + n)));

            // The CLI: coding set through a follower (it follows the redirect), coding get anywhere.
            LeifdbCommand.Outcome cli = LeifdbCommand.run(dir.resolve("cli-set.log"), "coding", "set", "--k", "3",
                    "--url", c.url(follower));
            assertThat(cli.exit()).as(cli.output()).isZero();
            assertThat(cli.output()).contains("coding on, k=3 m=1 of 4 voters");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                LeifdbCommand.Outcome get = LeifdbCommand.run(dir.resolve("cli-get.log"), "coding", "get", "--url",
                        c.url(follower));
                assertThat(get.exit()).as(get.output()).isZero();
                assertThat(get.output()).contains("coding on, k=3 m=1 of 4 voters, threshold 4096 bytes");
            });
            LeifdbCommand.Outcome refused = LeifdbCommand.run(dir.resolve("cli-bad.log"), "coding", "set", "--k", "9",
                    "--url", c.url(leader));
            assertThat(refused.exit()).as(refused.output()).isEqualTo(1);
            assertThat(refused.output()).contains("1 to N - F = 3");

            // A member restarted with other variables follows the cluster's values and says so once.
            int odd = (leader + 2) % 4;
            c.kill9(odd);
            int linesBefore = Files.readAllLines(c.logFile(odd)).size(); // the log file is appended to across restarts
            c.startNode(odd, Map.of("LEIFDB_ERASURE_CODING", "off", "LEIFDB_ERASURE_K", "1"));
            await("the restarted member follows the log").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode s = coding(c, odd);
                assertThat(s.get("on").asBoolean()).isTrue();
                assertThat(s.get("k").asInt()).isEqualTo(3);
                assertThat(Files.readAllLines(c.logFile(odd)).stream().skip(linesBefore)).anyMatch(l -> l.contains(WARNING));
            });
            for (int n = 0; n < 3; n++) acked.put("after/" + n, put(c, leader, "after/" + n, big(200 + n)));
            java.util.List<String> since = Files.readAllLines(c.logFile(odd)).stream().skip(linesBefore).toList();
            assertThat(since.stream().filter(l -> l.contains(WARNING)).toList()).as("one warning per start, naming both")
                    .singleElement().asString().contains("LEIFDB_ERASURE_CODING=off").contains("on=true, k=3");

            // Entries of k = 3, 2 and 3 again decode everywhere, and after the leader is gone.
            readEverywhere(c, acked, -1);
            c.kill9(leader);
            int next = c.awaitLeader(Duration.ofSeconds(30));
            assertThat(next).isNotEqualTo(leader);
            readEverywhere(c, acked, leader);

            // Coding off: transactions are taken again, and a get of a value the new leader holds only as a
            // fragment (written while it followed) answers the whole value.
            Http.Response off = set(c, next, "{\"on\":false}");
            assertThat(off.status()).as(off.body()).isEqualTo(200);
            String txn = "{\"success\": [{\"get\": {\"key\": \"k3/0\"}}, {\"get\": {\"key\": \"k2/1\"}}]}";
            Http.Response got = Http.send("POST", c.url(next) + "/txn", txn, false, "Content-Type", "application/json");
            assertThat(got.status()).as(got.body()).isEqualTo(200);
            assertThat(got.json().at("/results/0/get/value").asText()).isEqualTo(acked.get("k3/0"));
            assertThat(got.json().at("/results/1/get/value").asText()).isEqualTo(acked.get("k2/1"));
        }
    }

    @Test
    void aSecondChangeWhileOneIsInFlightIs409() throws Exception {
        try (TestCluster c = TestCluster.start(4, dir, TestCluster.env())) {
            int leader = c.awaitLeader();
            await().atMost(Duration.ofSeconds(20)).until(() -> coding(c, leader).get("recorded").asBoolean());
            int a = (leader + 1) % 4;
            int b = (leader + 2) % 4;
            c.pause(a);
            c.pause(b); // two of four stopped: nothing commits
            try {
                CompletableFuture<Http.Response> first = CompletableFuture.supplyAsync(() -> {
                    try {
                        return set(c, leader, "{\"k\":2}");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                // The leader acts on a change once it is in its log (thesis §4.1), before it commits.
                await().atMost(Duration.ofSeconds(5)).until(() -> coding(c, leader).get("k").asInt() == 2);
                Http.Response second = set(c, leader, "{\"k\":1}");
                assertThat(second.status()).as(second.body()).isEqualTo(409);
                assertThat(second.json().get("code").asText()).isEqualTo("change_in_flight");
                c.resume(a);
                c.resume(b);
                assertThat(first.get().status()).as("the first change, once the members are back").isIn(200, 503);
            } finally {
                c.resume(a); // harmless when already resumed; never leaves a stopped process behind
                c.resume(b);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(coding(c, c.awaitLeader()).get("k")
                    .asInt()).isEqualTo(2));
        }
    }

    private static String put(TestCluster c, int leader, String key, String value) throws Exception {
        Http.Response r = Http.put(c.url(leader) + "/db/" + key, Http.valueJson(value));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return value;
    }

    private static void readEverywhere(TestCluster c, Map<String, String> acked, int down) {
        for (int i = 0; i < 4; i++) {
            if (i == down) continue;
            int node = i;
            for (var e : acked.entrySet()) {
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    Http.Response r = Http.get(c.url(node) + "/db/" + e.getKey() + "?consistency=stale");
                    assertThat(r.status()).as("%s on %d: %s", e.getKey(), node, r.body()).isEqualTo(200);
                    assertThat(r.json().get("value").asText()).isEqualTo(e.getValue());
                });
            }
        }
    }
}
