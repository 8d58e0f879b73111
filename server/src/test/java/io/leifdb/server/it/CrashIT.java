package io.leifdb.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A write that returned 200 survives SIGKILL of the process during heavy concurrent writes. */
class CrashIT {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesKillNineMidLoad() throws Exception {
        try (TestCluster c = TestCluster.start(1, dir, Map.of("LEIFDB_SNAPSHOT_THRESHOLD", "262144"))) {
            Map<String, String> acked = new ConcurrentHashMap<>();
            for (int round = 0; round < 3; round++) {
                int r = round;
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService pool = Executors.newFixedThreadPool(16);
                List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
                for (int w = 0; w < 16; w++) {
                    int id = w;
                    fs.add(pool.submit(() -> {
                        for (int n = 0; !stop.get(); n++) {
                            String key = "r" + r + "-w" + id + "-" + n;
                            String value = "value-" + key + "-" + "p".repeat(n % 200);
                            try {
                                if (Http.put(c.url(0) + "/db/" + key, Http.valueJson(value)).status() == 200) {
                                    acked.put(key, value);
                                }
                            } catch (Exception lost) {
                                return null;
                            }
                        }
                        return null;
                    }));
                }
                int before = acked.size();
                await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= before + 500);
                c.kill9(0);
                stop.set(true);
                pool.shutdown();
                assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
                c.startNode(0);
                c.awaitLeader();
                for (var e : acked.entrySet()) {
                    Http.Response got = Http.get(c.url(0) + "/db/" + e.getKey());
                    assertThat(got.status()).as("acknowledged %s after crash %d", e.getKey(), r).isEqualTo(200);
                    assertThat(got.json().get("value").asText()).isEqualTo(e.getValue());
                }
            }
        }
    }
}
