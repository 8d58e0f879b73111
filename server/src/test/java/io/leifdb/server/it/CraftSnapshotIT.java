package io.leifdb.server.it;

import static io.leifdb.server.it.CodedValues.VALUE_CHARS;
import static io.leifdb.server.it.CodedValues.awaitCoded;
import static io.leifdb.server.it.CodedValues.awaitAll;
import static io.leifdb.server.it.CodedValues.value;
import static io.leifdb.server.it.CodedValues.write;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CRaft and InstallSnapshot: a wiped follower of a five-node (3, 2) cluster catches up through a
 * snapshot that holds its own fragments. The leader wrote some of the values itself and holds
 * the others only as its fragment (it was a follower when they were written), so the copy it
 * sends is encoded from whole values and rebuilt from shares. The follower then stores about
 * 1/k of the values, and its fragments are distinct shares: with two other members down, its
 * share is one of the only three left and every value still reads back.
 */
class CraftSnapshotIT {
    private static final int KEYS_PER_PHASE = 40;

    @TempDir
    Path dir;

    @Test
    void wipedFollowerInstallsItsOwnFragmentsAndTheyAreDistinctShares() throws Exception {
        Map<String, String> env = TestCluster.env("LEIFDB_ERASURE_CODING", "on", "LEIFDB_ERASURE_K", "3",
                "LEIFDB_SNAPSHOT_THRESHOLD", String.valueOf(256 << 10));
        try (TestCluster c = TestCluster.start(5, dir, env)) {
            int first = c.awaitLeader();
            awaitCoded(c);
            Random random = new Random(7);
            Map<String, String> acked = new LinkedHashMap<>();
            for (int n = 0; n < KEYS_PER_PHASE; n++) write(c, acked, "a/" + n, value(random, "a/" + n));

            // The follower to wipe goes down; so does the leader, so that the next one holds "a/*" as fragments.
            int wiped = (first + 1) % 5;
            c.kill9(wiped);
            c.kill9(first);
            int second = c.awaitLeader(Duration.ofSeconds(30));
            for (int n = 0; n < KEYS_PER_PHASE; n++) write(c, acked, "b/" + n, value(random, "b/" + n));
            c.startNode(first);
            c.wipe(wiped);
            c.startNode(wiped);
            awaitAll(c, wiped, acked, true);
            assertThat(Files.readString(c.logFile(wiped))).contains("installed snapshot");
            int leader = c.awaitLeader();
            assertThat(Files.readString(c.logFile(leader))).as("the leader built a copy for the wiped node")
                    .containsPattern("snapshot \\d+@\\d+ for fragment \\d+: .*, [1-9]\\d* rebuilt");

            // About 1/k of the values: compare the store with the values' whole size.
            long valueBytes = (long) acked.size() * VALUE_CHARS;
            long kvBytes = DiskUsage.bytes(c.dataDir(wiped).resolve("kv"));
            System.out.printf("wiped follower's store after the snapshot: %.2f MiB for %.2f MiB of values (%.3f)%n",
                    kvBytes / 1048576.0, valueBytes / 1048576.0, kvBytes / (double) valueBytes);
            for (int i = 0; i < 5; i++) {
                System.out.printf("node %d%s: store %.2f MiB, data dir %.2f MiB%n", i,
                        i == leader ? " (leader)" : i == wiped ? " (wiped)" : "",
                        DiskUsage.bytes(c.dataDir(i).resolve("kv")) / 1048576.0, DiskUsage.bytes(c.dataDir(i)) / 1048576.0);
            }
            assertThat(kvBytes).as("store of the wiped follower vs %d bytes of values", valueBytes)
                    .isLessThan(valueBytes / 2);

            // Coded reads from every node with one other node down.
            awaitCoded(c);
            int down = firstOther(leader, wiped, -1);
            c.kill9(down);
            for (int i = 0; i < 5; i++) {
                if (i != down) awaitAll(c, i, acked, false);
            }
            // With a second member down, only three shares are left for each value: the wiped node's must be distinct.
            int down2 = firstOther(leader, wiped, down);
            c.kill9(down2);
            awaitAll(c, wiped, acked, true);
            awaitAll(c, leader, acked, false);
        }
    }

    private static int firstOther(int a, int b, int c) {
        for (int i = 0; i < 5; i++) {
            if (i != a && i != b && i != c) return i;
        }
        throw new IllegalStateException("no node left");
    }
}
