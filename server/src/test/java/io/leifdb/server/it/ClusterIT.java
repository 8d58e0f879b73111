package io.leifdb.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A real 3-node cluster on loopback: redirects, failover, restarts and snapshot catch-up. */
class ClusterIT {
    @TempDir
    Path dir;

    private static int follower(TestCluster c, int leader) {
        return (leader + 1) % c.size();
    }

    @Test
    void followerRedirectsWritesToTheLeaderAndCurlLFollows() throws Exception {
        try (TestCluster c = TestCluster.start(3, dir)) {
            int leader = c.awaitLeader();
            int f = follower(c, leader);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    Http.put(c.url(f) + "/db/a%2Fb", Http.valueJson("x")).status() == 307);
            Http.Response r = Http.put(c.url(f) + "/db/a%2Fb", Http.valueJson("x"));
            assertThat(r.header("Location")).isEqualTo("http://" + c.httpAddress(leader) + "/db/a%2Fb");

            Http.Response followed = Http.putFollowing(c.url(f) + "/db/a%2Fb", Http.valueJson("via-redirect"));
            assertThat(followed.status()).isEqualTo(200);
            for (int i = 0; i < c.size(); i++) {
                int node = i;
                // A member that started last may not have heard from the leader yet: it answers 503 until then.
                Http.Response g = await().atMost(Duration.ofSeconds(10))
                        .until(() -> Http.get(c.url(node) + "/db/a%2Fb"), res -> res.status() != 503);
                assertThat(g.status()).as("linearizable read on node %d", i).isEqualTo(200);
                assertThat(g.json().get("value").asText()).isEqualTo("via-redirect");
            }
            Http.Response del = Http.delete(c.url(f) + "/db/a%2Fb");
            assertThat(del.status()).isEqualTo(307);
        }
    }

    @Test
    void killNineOfTheLeaderElectsANewOneWithin5sAndLosesNoAcknowledgedWrite() throws Exception {
        try (TestCluster c = TestCluster.start(3, dir)) {
            int leader = c.awaitLeader();
            Map<String, String> acked = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int id = w;
                writers.add(pool.submit(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        String key = "w" + id + "-" + n;
                        try {
                            if (Http.put(c.url(leader) + "/db/" + key, Http.valueJson("v" + n)).status() == 200) {
                                acked.put(key, "v" + n);
                            }
                        } catch (Exception connectionLost) {
                            return null;
                        }
                    }
                    return null;
                }));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> acked.size() >= 200);
            c.kill9(leader);
            long killedAt = System.nanoTime();
            stop.set(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();

            int next = c.awaitLeader(Duration.ofSeconds(10));
            double seconds = (System.nanoTime() - killedAt) / 1e9;
            assertThat(next).isNotEqualTo(leader);
            assertThat(seconds).as("seconds to a new leader").isLessThan(5.0);

            for (var e : acked.entrySet()) {
                Http.Response r = Http.get(c.url(next) + "/db/" + e.getKey());
                assertThat(r.status()).as("acknowledged key %s", e.getKey()).isEqualTo(200);
                assertThat(r.json().get("value").asText()).isEqualTo(e.getValue());
            }

            // The old leader restarts from its own disk and catches up.
            assertThat(Http.put(c.url(next) + "/db/after-failover", Http.valueJson("yes")).status()).isEqualTo(200);
            c.startNode(leader);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    Http.get(c.url(leader) + "/db/after-failover?consistency=stale").status() == 200);
        }
    }

    @Test
    void wholeClusterKilledAndRestartedKeepsEveryWrite() throws Exception {
        try (TestCluster c = TestCluster.start(3, dir)) {
            int leader = c.awaitLeader();
            for (int n = 0; n < 50; n++) {
                assertThat(Http.put(c.url(leader) + "/db/k" + n, Http.valueJson("v" + n)).status()).isEqualTo(200);
            }
            for (int i = 0; i < 3; i++) c.kill9(i);
            for (int i = 0; i < 3; i++) c.startNode(i);
            int again = c.awaitLeader();
            for (int n = 0; n < 50; n++) {
                Http.Response r = Http.get(c.url(again) + "/db/k" + n);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.json().get("value").asText()).isEqualTo("v" + n);
            }
        }
    }

    @Test
    void wipedMemberCatchesUpThroughASnapshot() throws Exception {
        try (TestCluster c = TestCluster.start(3, dir, Map.of("LEIFDB_SNAPSHOT_THRESHOLD", "65536"))) {
            int leader = c.awaitLeader();
            int f = follower(c, leader);
            String big = "x".repeat(1000);
            for (int n = 0; n < 300; n++) {
                assertThat(Http.put(c.url(leader) + "/db/s" + n, Http.valueJson(big + n)).status()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> hasSnapshot(c.dataDir(leader)));
            c.kill9(f);
            c.wipe(f);
            c.startNode(f);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    Http.get(c.url(f) + "/db/s299?consistency=stale").status() == 200);
            assertThat(Http.get(c.url(f) + "/db/s0?consistency=stale").json().get("value").asText()).isEqualTo(big + 0);
            assertThat(Files.readString(c.logFile(f))).contains("installed snapshot");
        }
    }

    @Test
    void pausedLeaderIsReplacedAndNeverServesAStaleReadAfterResuming() throws Exception {
        try (TestCluster c = TestCluster.start(3, dir)) {
            int old = c.awaitLeader();
            assertThat(Http.put(c.url(old) + "/db/k", Http.valueJson("before")).status()).isEqualTo(200);
            c.pause(old);
            try {
                int[] next = {-1};
                await().atMost(Duration.ofSeconds(15)).until(() -> {
                    for (int i = 0; i < 3; i++) {
                        if (i == old) continue;
                        if (c.health(i).map(h -> h.contains("\"role\":\"LEADER\"")).orElse(false)) {
                            next[0] = i;
                            return true;
                        }
                    }
                    return false;
                });
                assertThat(Http.put(c.url(next[0]) + "/db/k", Http.valueJson("after")).status()).isEqualTo(200);
            } finally {
                c.resume(old);
            }
            // Straight after resuming, the deposed leader must not answer from its stale term.
            Http.Response r = Http.get(c.url(old) + "/db/k");
            if (r.status() == 200) {
                assertThat(r.json().get("value").asText()).isEqualTo("after");
            } else {
                assertThat(r.status()).isIn(307, 503);
            }
        }
    }

    private static boolean hasSnapshot(Path dataDir) throws java.io.IOException {
        Path snaps = dataDir.resolve("snapshots");
        if (!Files.isDirectory(snaps)) return false;
        try (Stream<Path> s = Files.list(snaps)) {
            return s.anyMatch(p -> p.getFileName().toString().matches("\\d+-\\d+"));
        }
    }
}
