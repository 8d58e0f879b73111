package io.leifdb.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CRaft reads under concurrent writes to one key: a follower's stale read gathers shares of the
 * write it applied while the others have moved on to newer writes (or not reached it yet). They
 * answer from their logs, so with every member up no read fails with 503.
 */
class CraftHotKeyIT {
    private static final int VALUE_CHARS = 8 << 10;
    private static final int WRITERS = 4;
    private static final int WRITES_EACH = 60;
    private static final int READERS = 4;

    @TempDir
    Path dir;

    /** A value that says which write it is, so a read can be checked whole. */
    static String value(String id) {
        Random random = new Random(id.hashCode());
        StringBuilder sb = new StringBuilder(VALUE_CHARS).append(id).append(':');
        while (sb.length() < VALUE_CHARS) sb.append((char) ('a' + random.nextInt(26)));
        return sb.toString();
    }

    @Test
    void staleReadsOfAKeyUnderConcurrentWritesNeverFail() throws Exception {
        Map<String, String> env = TestCluster.env("LEIFDB_ERASURE_CODING", "on", "LEIFDB_ERASURE_K", "3");
        try (TestCluster c = TestCluster.start(5, dir, env)) {
            int leader = c.awaitLeader();
            await("leader in coded mode").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode s = Http.get(c.url(leader) + "/cluster").json();
                assertThat(s.get("replication").asText()).isEqualTo("coded");
            });
            assertThat(Http.put(c.url(leader) + "/db/hot", Http.valueJson(value("w0-0"))).status()).isEqualTo(200);
            List<Integer> followers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                if (i != leader) followers.add(i);
            }
            for (int f : followers) {
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        Http.get(c.url(f) + "/db/hot?consistency=stale").status() == 200);
            }

            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            AtomicInteger wrong = new AtomicInteger();
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
            try {
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int id = w;
                    writers.add(pool.submit(() -> {
                        for (int n = 0; n < WRITES_EACH; n++) {
                            int s = Http.put(c.url(leader) + "/db/hot", Http.valueJson(value("w" + id + "-" + n))).status();
                            if (s != 200) throw new IllegalStateException("write answered " + s);
                        }
                        return null;
                    }));
                }
                List<Future<?>> readers = new ArrayList<>();
                for (int r = 0; r < READERS; r++) {
                    int node = followers.get(r % followers.size());
                    readers.add(pool.submit(() -> {
                        while (writing.get()) {
                            Http.Response resp = Http.get(c.url(node) + "/db/hot?consistency=stale");
                            statuses.computeIfAbsent(resp.status(), s -> new AtomicInteger()).incrementAndGet();
                            if (resp.status() == 200) {
                                String v = resp.json().get("value").asText();
                                if (!v.equals(value(v.substring(0, v.indexOf(':'))))) wrong.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : writers) f.get();
                writing.set(false);
                for (Future<?> f : readers) f.get();
            } finally {
                writing.set(false);
                pool.shutdownNow();
            }
            System.out.println("stale reads of one key under " + WRITERS * WRITES_EACH + " concurrent writes, by status: "
                    + statuses);
            assertThat(statuses.get(200)).as("successful reads").isNotNull();
            assertThat(statuses.get(200).get()).isGreaterThan(50);
            assertThat(statuses.keySet()).as("statuses %s", statuses).containsOnly(200);
            assertThat(wrong).as("reads that returned a value no write wrote").hasValue(0);
        }
    }
}
