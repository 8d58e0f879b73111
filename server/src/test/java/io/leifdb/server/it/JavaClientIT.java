package io.leifdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leifdb.client.KeyValue;
import io.leifdb.client.LeifClient;
import io.leifdb.client.LeifException;
import io.leifdb.client.ListQuery;
import io.leifdb.client.OutcomeUnknownException;
import io.leifdb.client.Page;
import io.leifdb.client.Precondition;
import io.leifdb.client.Txn;
import io.leifdb.client.TxnResult;
import io.leifdb.client.Watch;
import io.leifdb.client.WatchEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java client (client/) against a real 3-node cluster: the API through it, and a leader killed under its writes. */
class JavaClientIT {
    @TempDir
    Path dir;

    private static String[] urls(TestCluster c, int first) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) urls.add(c.url((first + i) % c.size()));
        return urls.toArray(String[]::new);
    }

    @Test
    void putGetListTxnAndWatchThroughAFollower() throws Exception {
        try (TestCluster c = TestCluster.start(3, dir);
             LeifClient db = LeifClient.builder(urls(c, (c.awaitLeader() + 1) % 3)).build()) {
            List<WatchEvent> seen = new CopyOnWriteArrayList<>();
            try (Watch w = db.watchPrefix("app/", -1, seen::add)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> w.lastRevision() >= 0);
                long a = db.put("app/a", "1");
                assertThat(db.leader()).as("the follower's redirect was remembered").contains(c.url(c.awaitLeader()));
                db.put("app/dir/x", new byte[] {0, (byte) 255}, Precondition.NONE);
                assertThat(db.get("app/a")).hasValueSatisfying(kv -> {
                    assertThat(kv.text()).isEqualTo("1");
                    assertThat(kv.modRevision()).isEqualTo(a);
                });
                assertThat(db.getBytes("app/dir/x", false)).hasValueSatisfying(v -> assertThat(v).containsExactly(0, 255));
                assertThat(db.get("app/none")).isEmpty();

                assertThatPrecondition(() -> db.put("app/a", "2", Precondition.IF_ABSENT));
                long b = db.put("app/a", "2", Precondition.ifRevision(a));
                assertThatPrecondition(() -> db.delete("app/a", Precondition.ifRevision(a)));

                TxnResult t = db.txn(Txn.create().compareValue("app/a", "==", "2").put("app/b", "3").delete("app/a")
                        .onFailure().get("app/a"));
                assertThat(t.succeeded()).isTrue();
                assertThat(t.revision()).isGreaterThan(b);

                Page folded = db.list(ListQuery.prefix("app/").withDelimiter("/").withCount());
                assertThat(folded.items()).extracting(KeyValue::key).containsExactly("app/b");
                assertThat(folded.prefixes()).containsExactly("app/dir/");
                assertThat(folded.count()).hasValue(2);
                Page first = db.list(ListQuery.prefix("app/").withLimit(1).withKeysOnly());
                assertThat(first.items()).extracting(KeyValue::key).containsExactly("app/b");
                assertThat(db.list(ListQuery.prefix("app/").withAfter(first.next().orElseThrow())).items())
                        .extracting(KeyValue::key).containsExactly("app/dir/x");

                await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 5);
                assertThat(seen).extracting(e -> e.type() + " " + e.key()).containsExactly("put app/a", "put app/dir/x",
                        "put app/a", "put app/b", "delete app/a");
                assertThat(seen.get(1).value()).containsExactly(0, 255);
            }
            assertThat(db.admin().health().path("status").asText()).isEqualTo("OK");
        }
    }

    private static void assertThatPrecondition(Runnable write) {
        try {
            write.run();
            throw new AssertionError("the write should have found its precondition false");
        } catch (LeifException e) {
            assertThat(e.status()).isEqualTo(412);
            assertThat(e).isNotInstanceOf(OutcomeUnknownException.class);
        }
    }

    /**
     * Writers share one client while the leader is killed: every acknowledged write survives, every write the
     * client calls failed (not unknown) was never applied, and a watch that was on the dead node resumes elsewhere
     * and sees each acknowledged write once.
     */
    @Test
    void aLeaderKilledUnderWritesLosesNothingAcknowledgedAndUnknownOutcomesAreReported() throws Exception {
        try (TestCluster c = TestCluster.start(3, dir)) {
            int leader = c.awaitLeader();
            Map<String, String> acked = new ConcurrentHashMap<>();
            Set<String> failed = ConcurrentHashMap.newKeySet();
            Set<String> unknown = ConcurrentHashMap.newKeySet();
            Map<String, Integer> watched = new ConcurrentHashMap<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Thread> writers = new ArrayList<>();
            try (LeifClient db = LeifClient.builder(urls(c, leader)).timeout(Duration.ofSeconds(5))
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(500)).build();
                 Watch watch = db.watchPrefix("w", -1, e -> watched.merge(e.key(), 1, Integer::sum))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> watch.lastRevision() >= 0);
                for (int w = 0; w < 4; w++) {
                    int id = w;
                    writers.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                        for (int n = 0; writing.get(); n++) {
                            String key = "w" + id + "-" + n;
                            // Half the writers write If-None-Match: *, which the client may repeat safely.
                            Precondition pre = id % 2 == 0 ? Precondition.NONE : Precondition.IF_ABSENT;
                            try {
                                db.put(key, "v" + n, pre);
                                acked.put(key, "v" + n);
                            } catch (OutcomeUnknownException e) {
                                unknown.add(key);
                            } catch (LeifException e) {
                                failed.add(key);
                            }
                        }
                    }));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= 200);
                c.kill9(leader);
                int before = acked.size();
                int next = c.awaitLeader();
                assertThat(next).isNotEqualTo(leader);
                await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= before + 200);
                writing.set(false);
                for (Thread t : writers) t.join(Duration.ofSeconds(30));

                assertThat(unknown).as("a write in flight when the leader died has an unknown outcome").isNotEmpty();
                for (Map.Entry<String, String> e : acked.entrySet()) {
                    assertThat(db.get(e.getKey())).as(e.getKey()).hasValueSatisfying(
                            kv -> assertThat(kv.text()).isEqualTo(e.getValue()));
                }
                for (String key : failed) {
                    assertThat(db.get(key)).as("%s was reported failed, so it must not have been applied", key).isEmpty();
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> watched.keySet().containsAll(acked.keySet()));
                assertThat(watched.entrySet()).as("each change is seen once").allMatch(e -> e.getValue() == 1);
                System.out.printf("JavaClientIT: %d acknowledged, %d unknown, %d failed%n", acked.size(), unknown.size(),
                        failed.size());
            } finally {
                writing.set(false);
            }
        }
    }
}
