package io.leifdb.server.it;

import static io.leifdb.server.it.CodedValues.VALUE_CHARS;
import static io.leifdb.server.it.CodedValues.awaitCoded;
import static io.leifdb.server.it.CodedValues.awaitAll;
import static io.leifdb.server.it.CodedValues.coding;
import static io.leifdb.server.it.CodedValues.value;
import static io.leifdb.server.it.CodedValues.write;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CRaft repair through real processes. A five-node cluster writes "a/*" with k = 2; the next
 * leader holds them only as its fragments when k becomes 3, so the snapshot copy it builds for a
 * wiped follower cannot re-encode them and keeps its own fragment: two voters hold the same share.
 * The leader's scrub must find those values (GET /cluster/coding), re-encode them through the log
 * (k = 3 now), count 0 on a later pass, and every value must read back with two members stopped.
 * The restarted first leader, which held them whole, keeps them so in its state and its stored snapshot.
 */
class CraftRepairIT {
    private static final int KEYS_PER_PHASE = 40;

    @TempDir
    Path dir;

    /** How many values the snapshot copies {@code log} tells of kept the leader's fragment, at most. */
    private static long kept(String log) {
        Matcher m = Pattern.compile(", (\\d+) kept as the leader's fragment").matcher(log);
        long most = 0;
        while (m.find()) most = Math.max(most, Long.parseLong(m.group(1)));
        return most;
    }

    private static int other(int... not) {
        for (int i = 0; i < 5; i++) {
            boolean free = true;
            for (int n : not) free &= n != i;
            if (free) return i;
        }
        throw new IllegalStateException("no node left");
    }

    @Test
    void valuesBelowFullRedundancyAreFoundRepairedAndSurviveTwoLosses() throws Exception {
        Map<String, String> env = TestCluster.env("LEIFDB_ERASURE_CODING", "on", "LEIFDB_ERASURE_K", "2",
                "LEIFDB_SNAPSHOT_THRESHOLD", String.valueOf(256 << 10));
        try (TestCluster c = TestCluster.start(5, dir, env)) {
            int first = c.awaitLeader();
            awaitCoded(c);
            Random random = new Random(11);
            Map<String, String> acked = new LinkedHashMap<>();
            for (int n = 0; n < KEYS_PER_PHASE; n++) write(c, acked, "a/" + n, value(random, "a/" + n));

            // The next leader holds "a/*" as (2, 3) fragments; k becomes 3; "b/*" fills its log past a snapshot.
            int wiped = (first + 1) % 5;
            c.kill9(wiped);
            c.kill9(first);
            c.awaitLeader(Duration.ofSeconds(30));
            await("k = 3").atMost(Duration.ofSeconds(20)).until(() -> Http.send("PUT",
                    c.url(c.awaitLeader()) + "/cluster/coding", "{\"k\": 3}", false, "Content-Type", "application/json")
                    .status() == 200);
            for (int n = 0; n < KEYS_PER_PHASE; n++) write(c, acked, "b/" + n, value(random, "b/" + n));
            // A copy built with k = 3 cannot re-encode a (2, 3) fragment: it keeps the leader's, now held twice.
            c.startNode(first);
            c.wipe(wiped);
            c.startNode(wiped);
            awaitAll(c, wiped, acked, true);
            // The first leader held "a/*" whole: its install keeps them over the copy's fragments, and the snapshot
            // it stores (the one it sends once it leads) is replaced by that merged state.
            await("the restarted first leader kept its whole copies, in its state and its stored snapshot")
                    .atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Files.readString(c.logFile(first)))
                            .containsPattern("kept this member's share of [1-9]\\d* values the snapshot")
                            .contains("now holds the shares its install kept"));
            int builder = -1;
            for (int i = 0; i < 5; i++) {
                if (Files.readString(c.logFile(i)).matches("(?s).*for fragment \\d+: .*, [1-9]\\d* kept as the leader's fragment.*")) {
                    builder = i;
                }
            }
            assertThat(builder).as("a copy kept the leader's fragment of some values").isNotNegative();

            // The scrub must find the duplicated shares, re-encode them, and then count none.
            await("repaired, and a later pass finds none").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                        JsonNode s = coding(c);
                        assertThat(s.path("repaired").asLong()).isPositive();
                        assertThat(s.path("lastScrubFound").asLong(-1)).isZero();
                        assertThat(s.path("belowFullRedundancy").asLong(-1)).isZero();
                    });
            await("the CLI shows the count").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                LeifdbCommand.Outcome get = LeifdbCommand.run(dir.resolve("cli-coding.log"), "coding", "get", "--url",
                        c.url(c.awaitLeader()));
                assertThat(get.exit()).as(get.output()).isZero();
                assertThat(get.output()).contains("values below full redundancy: 0 (last scrub found 0 at ");
            });
            StringBuilder logs = new StringBuilder();
            for (int i = 0; i < 5; i++) logs.append(Files.readString(c.logFile(i)));
            Matcher done = Pattern.compile("repair scrub: re-encoded (\\d+) of (\\d+) values \\((\\d+) below full redundancy\\)"
                    + " in (\\d+) ms").matcher(logs);
            long foundBelow = 0;
            while (done.find()) {
                foundBelow += Long.parseLong(done.group(3));
                System.out.printf("repair: re-encoded %s of %s values (%s below full redundancy) in %s ms%n",
                        done.group(1), done.group(2), done.group(3), done.group(4));
            }
            assertThat(foundBelow).as("every value a snapshot copy left with a duplicated share was found below")
                    .isGreaterThanOrEqualTo(kept(logs.toString()));
            Http.Response metrics = Http.get(c.url(c.awaitLeader()) + "/metrics");
            assertThat(metrics.body()).containsPattern("leifdb_craft_values_below_full_redundancy(\\{[^}]*\\})? 0\\.0");

            // More coded writes, so that every member's log passes the snapshot threshold and its store compacts.
            for (int n = 0; n < KEYS_PER_PHASE; n++) write(c, acked, "c/" + n, value(random, "c/" + n));
            for (int i = 0; i < 5; i++) awaitAll(c, i, Map.of("c/" + (KEYS_PER_PHASE - 1), acked.get("c/" + (KEYS_PER_PHASE - 1))), true);
            long valueBytes = (long) acked.size() * VALUE_CHARS;
            for (int i = 0; i < 5; i++) {
                System.out.printf("node %d%s: store %.2f MiB for %.2f MiB of values (%.3f)%n", i,
                        i == builder ? " (built the copy)" : i == wiped ? " (wiped)" : "",
                        DiskUsage.bytes(c.dataDir(i).resolve("kv")) / 1048576.0, valueBytes / 1048576.0,
                        DiskUsage.bytes(c.dataDir(i).resolve("kv")) / (double) valueBytes);
            }

            assertThat(DiskUsage.bytes(c.dataDir(wiped).resolve("kv"))).as("the wiped follower's store").isLessThan(valueBytes / 2);

            // Two members down, neither the builder nor the wiped one (which held the same share before the repair).
            int down1 = other(builder, wiped);
            int down2 = other(builder, wiped, down1);
            c.kill9(down1);
            c.kill9(down2);
            int survivor = other(builder, wiped, down1, down2);
            for (int node : new int[] {builder, wiped, survivor}) awaitAll(c, node, acked, true);
            awaitAll(c, c.awaitLeader(Duration.ofSeconds(30)), acked, false);
        }
    }
}
