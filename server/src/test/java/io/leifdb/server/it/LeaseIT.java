package io.leifdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases through real node processes: keys with a TTL vanish on every member, kept-alive leases survive (a
 * leader's death included), revocation deletes the keys, and bad input is a 4xx JSON error.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaseIT {
    @TempDir
    static Path dir;
    private static TestCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(3, dir);
        cluster.awaitEveryoneVotes();
        cluster.awaitLeader();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    private static String leaderUrl() {
        return cluster.url(cluster.awaitLeader());
    }

    private static Http.Response post(String url, String body) throws IOException, InterruptedException {
        return Http.send("POST", url, body, true);
    }

    /** Whether every running member holds {@code key} in its applied state. */
    private static boolean everyMemberHas(String key, boolean present) throws IOException, InterruptedException {
        for (int i = 0; i < cluster.size(); i++) {
            if (!cluster.isRunning(i)) continue;
            int status = Http.get(cluster.url(i) + "/db/" + key + "?consistency=stale").status();
            if (status != (present ? 200 : 404)) return false;
        }
        return true;
    }

    private static long grant(String ttl) throws IOException, InterruptedException {
        Http.Response r = post(leaderUrl() + "/leases", "{\"ttl\": \"" + ttl + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("id").asLong();
    }

    private static void assertJsonError(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode j = r.json();
        assertThat(j.hasNonNull("error")).isTrue();
        assertThat(j.get("code").asText()).isEqualTo(code);
    }

    @Test
    @Order(1)
    void aKeyWithATtlDisappearsFromEveryMemberAfterTheTtlAndNotBefore() throws Exception {
        long before = System.nanoTime();
        Http.Response put = Http.putFollowing(leaderUrl() + "/db/ephemeral?ttl=2s", Http.valueJson("v"));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().get("lease").asLong()).isEqualTo(put.json().get("revision").asLong());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> everyMemberHas("ephemeral", true));
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> everyMemberHas("ephemeral", false));
        assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(2));
        assertJsonError(post(leaderUrl() + "/leases/" + put.json().get("lease").asLong() + "/keepalive", null), 404,
                "lease_not_found");
    }

    @Test
    @Order(2)
    void aLeaseCanBeReadListedAndRevokedWhichDeletesItsKeys() throws Exception {
        long id = grant("60s");
        for (String k : new String[] {"svc/a", "svc/b"}) {
            Http.Response r = Http.putFollowing(leaderUrl() + "/db/" + k.replace("/", "%2F") + "?lease=" + id,
                    Http.valueJson("up"));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("lease").asLong()).isEqualTo(id);
        }
        JsonNode got = Http.send("GET", leaderUrl() + "/leases/" + id, null, true).json();
        assertThat(got.get("ttl").asLong()).isEqualTo(60);
        assertThat(got.get("remaining").asDouble()).isBetween(1.0, 60.0);
        assertThat(got.get("keys")).extracting(JsonNode::asText).containsExactly("svc/a", "svc/b");
        JsonNode list = Http.send("GET", leaderUrl() + "/leases", null, true).json();
        assertThat(list.get("leases")).extracting(l -> l.get("id").asLong()).contains(id);

        int follower = (cluster.awaitLeader() + 1) % cluster.size();
        Http.Response redirected = Http.send("POST", cluster.url(follower) + "/leases/" + id + "/keepalive", null, false);
        assertThat(redirected.status()).isEqualTo(307);
        assertThat(redirected.header("Location")).endsWith("/leases/" + id + "/keepalive");

        Http.Response revoked = Http.send("DELETE", leaderUrl() + "/leases/" + id, null, true);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json().get("keys")).extracting(JsonNode::asText).containsExactly("svc/a", "svc/b");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                everyMemberHas("svc%2Fa", false) && everyMemberHas("svc%2Fb", false));
        assertJsonError(Http.send("GET", leaderUrl() + "/leases/" + id, null, true), 404, "lease_not_found");
        assertJsonError(Http.send("DELETE", leaderUrl() + "/leases/" + id, null, true), 404, "lease_not_found");
    }

    @Test
    @Order(3)
    void badInputIsA4xxJsonError() throws Exception {
        String leader = leaderUrl();
        assertJsonError(post(leader + "/leases", "{\"ttl\": 0}"), 400, "bad_ttl");
        assertJsonError(post(leader + "/leases", "{\"ttl\": \"0s\"}"), 400, "bad_ttl");
        assertJsonError(post(leader + "/leases", "{\"ttl\": -5}"), 400, "bad_ttl");
        assertJsonError(post(leader + "/leases", "{\"ttl\": 31536000}"), 400, "bad_ttl"); // a year
        assertJsonError(post(leader + "/leases", "{\"ttl\": \"8760h\"}"), 400, "bad_ttl");
        assertJsonError(post(leader + "/leases", "{\"ttl\": \"soon\"}"), 400, "bad_ttl");
        assertJsonError(post(leader + "/leases", "{\"ttl\": true}"), 400, "bad_ttl");
        assertJsonError(post(leader + "/leases", "{\"ttl\": \"30s\", \"extra\": 1}"), 400, "malformed_body");
        assertJsonError(post(leader + "/leases", "not json"), 400, "malformed_body");
        assertJsonError(Http.putFollowing(leader + "/db/k?ttl=0", Http.valueJson("v")), 400, "bad_ttl");
        assertJsonError(Http.putFollowing(leader + "/db/k?ttl=365d", Http.valueJson("v")), 400, "bad_ttl");
        assertJsonError(Http.putFollowing(leader + "/db/k?lease=nope", Http.valueJson("v")), 400, "bad_lease");
        assertJsonError(Http.putFollowing(leader + "/db/k?lease=1&ttl=5s", Http.valueJson("v")), 400, "bad_request");
        assertJsonError(Http.putFollowing(leader + "/db/k?lease=987654321", Http.valueJson("v")), 404, "lease_not_found");
        assertJsonError(post(leader + "/leases/987654321/keepalive", null), 404, "lease_not_found");
        assertJsonError(Http.send("GET", leader + "/leases/abc", null, true), 400, "bad_lease");
        assertJsonError(Http.send("GET", leader + "/leases/-3", null, true), 400, "bad_lease");
        assertThat(Http.get(leader + "/db/k").status()).as("no refused write left a key").isEqualTo(404);
    }

    @Test
    @Order(4)
    void aKeptAliveLeaseOutlivesItsTtlAndTheLeadersDeath() throws Exception {
        long id = grant("3s");
        assertThat(Http.putFollowing(leaderUrl() + "/db/lock?lease=" + id, Http.valueJson("me")).status()).isEqualTo(200);
        AtomicInteger kept = new AtomicInteger();
        ScheduledExecutorService client = Executors.newSingleThreadScheduledExecutor();
        try {
            // The owner renews every 500 ms, trying each member in turn (a dead one refuses the connection).
            client.scheduleWithFixedDelay(() -> {
                for (int i = 0; i < cluster.size(); i++) {
                    try {
                        if (!cluster.isRunning(i)) continue;
                        if (post(cluster.url(i) + "/leases/" + id + "/keepalive", null).status() == 200) {
                            kept.incrementAndGet();
                            return;
                        }
                    } catch (IOException e) {
                        // next member
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, 0, 500, TimeUnit.MILLISECONDS);
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).pollInterval(Duration.ofMillis(100))
                    .until(() -> everyMemberHas("lock", true));
            int oldLeader = cluster.awaitLeader();
            cluster.kill9(oldLeader);
            int newLeader = cluster.awaitLeader();
            assertThat(newLeader).isNotEqualTo(oldLeader);
            int before = kept.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> kept.get() > before + 2);
            // Two full TTLs under the new leader: it gave the lease a full TTL at its start, and renewals reach it.
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(100))
                    .until(() -> everyMemberHas("lock", true));
        } finally {
            client.shutdownNow();
            client.awaitTermination(10, TimeUnit.SECONDS);
        }
        // The owner stops renewing: the lease runs out and the key goes from every live member.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> everyMemberHas("lock", false));
        // The leader counts the expiry it applied (the first test's lease and this one).
        PrometheusText metrics = PrometheusText.parse(Http.get(leaderUrl() + "/metrics").body());
        assertThat(metrics.value("leifdb_leases_expired_total")).isGreaterThanOrEqualTo(1);
        assertThat(metrics.value("leifdb_leases_live")).isZero();
    }
}
