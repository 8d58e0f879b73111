package io.leifdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Back up a live cluster under continuous writes with {@code leifdb backup}, restore it with
 * {@code leifdb restore} into a new cluster on other ports, and read back every write acknowledged
 * before the backup began; the restored cluster then serves reads and writes of its own.
 */
class BackupRestoreIT {
    @TempDir
    Path dir;

    /** Puts {@code w/<n>} to the cluster until stopped, remembering each acknowledged write. */
    private static final class Writer implements AutoCloseable {
        final Map<String, String> acked = new ConcurrentHashMap<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        Writer(TestCluster c, int valueChars) {
            thread = Thread.ofPlatform().name("writer").start(() -> {
                for (int n = 0; !stop.get(); n++) {
                    String key = "w/" + n;
                    StringBuilder value = new StringBuilder("v" + n + ":");
                    while (value.length() < valueChars) value.append((char) ('a' + (n + value.length()) % 26));
                    try {
                        Http.Response r = Http.putFollowing(c.url(n % c.size()) + "/db/" + key, Http.valueJson(value.toString()));
                        if (r.status() == 200) acked.put(key, value.toString());
                    } catch (IOException e) {
                        // an unknown outcome: the key is simply not counted as acknowledged
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        @Override
        public void close() {
            stop.set(true);
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String read(TestCluster c, int node, String key) throws Exception {
        Http.Response r = Http.get(c.url(node) + "/db/" + key);
        return r.status() == 200 ? r.json().get("value").asText() : "HTTP " + r.status() + " " + r.body();
    }

    /** Takes a backup from {@code node} while the writer runs; returns the writes acknowledged before it began. */
    private Map<String, String> backUpUnderWrites(TestCluster c, int node, Path file, int valueChars) throws Exception {
        try (Writer w = new Writer(c, valueChars)) {
            await("writes acknowledged").atMost(Duration.ofSeconds(60)).until(() -> w.acked.size() >= 40);
            Map<String, String> before = Map.copyOf(w.acked);
            LeifdbCommand.Outcome o = LeifdbCommand.run(dir.resolve("backup.log"), "backup", file.toString(),
                    "--url", c.url(node), "--timeout", "60");
            assertThat(o.exit()).as(o.output()).isZero();
            assertThat(o.output()).contains("verified");
            int at = w.acked.size();
            await("writes continue after the backup").atMost(Duration.ofSeconds(30)).until(() -> w.acked.size() > at + 5);
            return before;
        }
    }

    private LeifdbCommand.Outcome restore(Path file, TestCluster into) throws Exception {
        List<String> args = new ArrayList<>(List.of("restore", file.toString(), "--members", into.memberNodes()));
        for (int i = 0; i < into.size(); i++) {
            args.add("--data-dir");
            args.add(into.dataDir(i).toString());
        }
        return LeifdbCommand.run(dir.resolve("restore.log"), args.toArray(String[]::new));
    }

    @Test
    void backupUnderWritesRestoresIntoANewClusterThatServesReadsAndWrites() throws Exception {
        Path file = dir.resolve("cluster.zip");
        Map<String, String> before;
        try (TestCluster old = TestCluster.start(3, dir.resolve("old"))) {
            int follower = (old.awaitLeader() + 1) % 3; // a follower passes a read barrier first
            before = backUpUnderWrites(old, follower, file, 16);
        }

        try (TestCluster fresh = TestCluster.prepare(3, dir.resolve("new"), Map.of())) {
            // A damaged or truncated backup is refused with one line before anything is written.
            byte[] bytes = Files.readAllBytes(file);
            Path truncated = dir.resolve("truncated.zip");
            Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            Path flipped = dir.resolve("flipped.zip");
            // 256 bytes, not one: a single flip may land in a field no reader needs (a header's timestamp)
            for (int i = bytes.length / 2 - 128; i < bytes.length / 2 + 128; i++) bytes[i] ^= 0x5A;
            Files.write(flipped, bytes);
            for (Path bad : List.of(truncated, flipped)) {
                LeifdbCommand.Outcome o = restore(bad, fresh);
                assertThat(o.exit()).as(o.output()).isEqualTo(1);
                assertThat(o.output()).startsWith("leifdb: restore refused: ").doesNotContain("\n")
                        .containsAnyOf("truncated", "damaged");
                for (int i = 0; i < 3; i++) assertThat(fresh.dataDir(i)).doesNotExist();
            }

            LeifdbCommand.Outcome o = restore(file, fresh);
            assertThat(o.exit()).as(o.output()).isZero();
            assertThat(restore(file, fresh).exit()).as("a prepared directory is never overwritten").isEqualTo(2);
            fresh.startAll();
            for (int i = 0; i < 3; i++) {
                int node = i;
                await("node " + i + " ready").atMost(Duration.ofSeconds(30)).until(() ->
                        Http.get(fresh.url(node) + "/readyz").status() == 200);
                for (var e : before.entrySet()) {
                    assertThat(read(fresh, node, e.getKey())).as("%s on restored node %d", e.getKey(), node)
                            .isEqualTo(e.getValue());
                }
            }
            int leader = fresh.awaitLeader();
            Http.Response put = Http.put(fresh.url(leader) + "/db/after-restore", Http.valueJson("yes"));
            assertThat(put.status()).as(put.body()).isEqualTo(200);
            assertThat(read(fresh, (leader + 1) % 3, "after-restore")).isEqualTo("yes");
        }
    }

    @Test
    void erasureCodedBackupHoldsWholeValues() throws Exception {
        Path file = dir.resolve("coded.zip");
        Map<String, String> env = TestCluster.env("LEIFDB_ERASURE_CODING", "on", "LEIFDB_ERASURE_THRESHOLD", "1024");
        Map<String, String> before;
        try (TestCluster old = TestCluster.start(3, dir.resolve("coded"), env)) {
            int leader = old.awaitLeader();
            await("leader in coded mode").atMost(Duration.ofSeconds(20)).until(() ->
                    Http.get(old.url(leader) + "/cluster").json().get("replication").asText().equals("coded"));
            // A follower holds coded values as fragments, so its backup must gather them.
            before = backUpUnderWrites(old, (leader + 1) % 3, file, 8 << 10);
        }
        // One node alone has no peers to gather fragments from: it can read only whole values.
        try (TestCluster single = TestCluster.prepare(1, dir.resolve("single"), Map.of())) {
            LeifdbCommand.Outcome o = restore(file, single);
            assertThat(o.exit()).as(o.output()).isZero();
            single.startAll();
            for (var e : before.entrySet()) {
                assertThat(read(single, 0, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
    }
}
