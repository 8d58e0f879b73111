package io.leifdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leifdb.server.Cli;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 12, part 4, through real node processes: a member whose data directory was wiped learns
 * so from the others, starts at their term, does not vote until the leader has caught it up, and
 * then holds every acknowledged write; a new cluster started at once still bootstraps.
 */
class WipedMemberIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARKER = "catching-up";
    private static final Pattern FLOOR = Pattern.compile("catches up at term floor (\\d+)");

    @TempDir
    Path dir;

    @Test
    void aWipedFollowerCatchesUpAtTheTermFloor_andDoesNotVoteUntilCaughtUp() throws Exception {
        try (TestCluster c = TestCluster.start(3, dir)) {
            int leader = c.awaitLeader();
            Map<String, String> acked = new LinkedHashMap<>();
            for (int n = 0; n < 60; n++) {
                if (Http.put(c.url(leader) + "/db/k" + n, Http.valueJson("v" + n)).status() == 200) {
                    acked.put("k" + n, "v" + n);
                }
            }
            assertThat(acked).hasSize(60);
            // A leader change first, so the term to start at is not the first one.
            c.kill9(leader);
            int second = c.awaitLeader();
            c.startNode(leader);
            leader = second;
            long termBefore = health(c, leader).get("term").asLong();
            assertThat(termBefore).isGreaterThan(1);

            // Wipe a follower and start it again on an empty directory.
            int wiped = (leader + 1) % 3;
            c.kill9(wiped);
            c.wipe(wiped);
            // Its first start may have caught up too (it can start after the others bootstrapped): skip those lines.
            long wipedStart = c.logMark(wiped);
            c.startNode(wiped);
            Matcher floor = FLOOR.matcher(c.logSince(wiped, wipedStart));
            assertThat(floor.find()).as("the wiped member says it catches up: %s", c.tail(wiped)).isTrue();
            long termFloor = Long.parseLong(floor.group(1));
            assertThat(termFloor).isGreaterThanOrEqualTo(termBefore);
            await("the wiped member caught up").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !health(c, wiped).get("catchingUp").asBoolean());
            assertThat(health(c, wiped).get("term").asLong()).isGreaterThanOrEqualTo(termFloor);
            await("the marker removed").atMost(Duration.ofSeconds(10))
                    .until(() -> !Files.exists(c.dataDir(wiped).resolve(MARKER)));
            assertThat(c.logSince(wiped, wipedStart)).contains("caught up by leader");
            awaitHoldsEveryWrite(c, wiped, acked);

            // It crashes again while (as it believes) catching up, and the leader is gone too: the
            // remaining member could win an election only with the wiped member's vote.
            c.kill9(wiped);
            Files.writeString(c.dataDir(wiped).resolve(MARKER), "");
            int oldLeader = c.awaitLeader();
            c.kill9(oldLeader);
            int other = 3 - wiped - oldLeader;
            long restart = c.logMark(wiped);
            c.startNode(wiped);
            JsonNode h = health(c, wiped);
            assertThat(h.get("catchingUp").asBoolean()).as("restarted with its marker").isTrue();
            assertThat(h.get("term").asLong()).isGreaterThanOrEqualTo(termFloor);
            assertThat(cliStatus(c, wiped)).contains("\"catchingUp\" : true");
            // Its log is complete, so a voting member would elect the other within an election or two (1-2 s each).
            await("no leader while the only other member needs the catching-up member's vote")
                    .during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(9)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !isLeader(c, other) && !isLeader(c, wiped) && health(c, wiped).get("catchingUp").asBoolean());
            assertThat(c.logSince(wiped, restart)).contains("catches up again at term");

            // The old leader returns: a leader is elected without the wiped member, and catches it up.
            c.startNode(oldLeader);
            int newLeader = c.awaitLeader();
            assertThat(newLeader).isNotEqualTo(wiped);
            await("caught up again").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !health(c, wiped).get("catchingUp").asBoolean()
                            && !Files.exists(c.dataDir(wiped).resolve(MARKER)));
            assertThat(cliStatus(c, wiped)).contains("\"catchingUp\" : false");
            assertThat(Http.put(c.url(newLeader) + "/db/after", Http.valueJson("yes")).status()).isEqualTo(200);
            acked.put("after", "yes");
            awaitHoldsEveryWrite(c, wiped, acked);
        }
    }

    @Test
    void aNewClusterBootstraps_afterItsFirstMemberWaitedForTheOthers() throws Exception {
        try (TestCluster c = TestCluster.prepare(3, dir)) {
            c.launch(0);
            await("the first member waits, saying for whom").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100)).until(() -> Files.exists(c.logFile(0))
                            && Files.readAllLines(c.logFile(0)).stream().anyMatch(line -> line.contains("waiting for")
                                    && line.contains(c.raftAddress(1)) && line.contains(c.raftAddress(2))));
            assertThat(c.dataDir(0).resolve(MARKER)).as("written before it asks").exists();
            assertThat(c.isRunning(0)).isTrue();
            assertThat(c.health(0)).as("no HTTP before it knows how to start").isEmpty();

            c.launch(1);
            c.awaitListening(1);
            c.launch(2);
            for (int i = 0; i < 3; i++) c.awaitServing(i);
            int leader = c.awaitLeader();
            assertThat(Http.put(c.url(leader) + "/db/first", Http.valueJson("write")).status()).isEqualTo(200);
            // Node 0 and the first to answer it are two empty members of three: a new cluster. The third
            // may come after them and find data, then it catches up like a wiped member, at once.
            assertThat(Files.readString(c.logFile(0))).contains("starting a new cluster");
            assertThat(Files.readString(c.logFile(1)) + Files.readString(c.logFile(2))).contains("starting a new cluster");
            for (int i = 0; i < 3; i++) {
                int node = i;
                // Its status is published a moment after the marker goes: wait for both, and for a term.
                await("node " + i + " votes").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                        .until(() -> !health(c, node).get("catchingUp").asBoolean()
                                && !Files.exists(c.dataDir(node).resolve(MARKER))
                                && health(c, node).get("term").asLong() > 0);
            }
        }
    }

    private static void awaitHoldsEveryWrite(TestCluster c, int node, Map<String, String> acked) {
        await("node " + node + " holds every acknowledged write").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    for (var e : acked.entrySet()) {
                        Http.Response r = Http.get(c.url(node) + "/db/" + e.getKey() + "?consistency=stale");
                        assertThat(r.status()).as(e.getKey()).isEqualTo(200);
                        assertThat(r.json().get("value").asText()).isEqualTo(e.getValue());
                    }
                });
    }

    private static boolean isLeader(TestCluster c, int i) {
        Optional<String> h = c.health(i);
        return h.isPresent() && h.get().contains("\"role\":\"LEADER\"");
    }

    private static JsonNode health(TestCluster c, int i) throws Exception {
        return JSON.readTree(c.health(i).orElseThrow(() -> new AssertionError("node " + i + " does not answer /health")));
    }

    /** What {@code leifdb status} prints for node {@code i}. */
    private static String cliStatus(TestCluster c, int i) {
        StringWriter out = new StringWriter();
        CommandLine cl = Cli.commandLine(new ByteArrayInputStream(new byte[0]));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        assertThat(cl.execute("status", "--url", c.url(i))).isZero();
        return out.toString();
    }
}
