package io.leifdb.server.it;

import static io.leifdb.server.it.MemberApi.cli;
import static io.leifdb.server.it.MemberApi.health;
import static io.leifdb.server.it.MemberApi.id;
import static io.leifdb.server.it.MemberApi.member;
import static io.leifdb.server.it.MemberApi.memberIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.leifdb.raft.lin.CheckResult;
import io.leifdb.client.LeifClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, join and identity, through real node processes: nodes join a running cluster as
 * learners (LEIFDB_JOIN) and are promoted, by the leader on its own or by hand, while clients'
 * reads and writes through every member stay linearizable (the LinearizabilityIT checker); a wiped member comes back as a new one; a member
 * restarted on other ports keeps its id and is reached at its new addresses.
 */
class JoinIT {
    @TempDir
    Path dir;

    @Test
    void twoNodesRaceToJoinThroughAFollowerUnderWrites_getPromoted_thenTheClusterShrinksToThreeLosingNoWrite()
            throws Exception {
        try (TestCluster c = TestCluster.prepare(5, dir)) {
            for (int i = 0; i < 3; i++) c.nodeEnv(i, Map.of("LEIFDB_AUTO_PROMOTE", "true")); // the default, off in TestCluster
            c.startFirst(3);
            int follower = (c.awaitLeader() + 1) % 3;
            Map<String, String> acked;
            // Readers and writers through every node, the joiners too once they serve: the history must stay linearizable.
            try (AckedWriter writer = new AckedWriter(c.url(follower));
                 LinearizableClients clients = new LinearizableClients(c, List.of("lin-0", "lin-1", "lin-2", "lin-3"), 3,
                         Long.getLong("linearizability.seed", 20_261_202L))) {
                writer.awaitMore(20, "writes flow");
                for (int j : new int[] {3, 4}) c.nodeEnv(j, joining(c.httpAddress(follower)));
                c.launch(3); // both at once, through a follower: one change at a time, the other retries
                c.launch(4);
                c.awaitServing(3);
                c.awaitServing(4);
                long id3 = id(c, 3);
                long id4 = id(c, 4);
                assertThat(id3).isNotEqualTo(id4);
                for (long learner : List.of(id3, id4)) { // the leader promotes each on its own once caught up
                    await("member " + learner + " promoted automatically").atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(200))
                            .until(() -> member(c, follower, learner).map(m -> m.path("voter").asBoolean()).orElse(false));
                }
                writer.awaitMore(20, "writes flow with five voters");
                await("the new members serve the clients").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> clients.okReadsServedBy(3) + clients.okReadsServedBy(4) >= 5);

                // Shrink back: the two original members that do not lead go.
                int leader = c.awaitLeader();
                for (int i = 0; i < 3; i++) {
                    if (i == leader) continue;
                    Http.Response rm = Http.send("DELETE", c.url(leader) + "/cluster/members/" + id(c, i), null, true);
                    assertThat(rm.status()).as(rm.body()).isEqualTo(200);
                }
                writer.awaitMore(20, "writes flow with three voters again");
                long okBefore = clients.ok();
                await("the clients are served by three voters").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200)).until(() -> clients.ok() >= okBefore + 20);
                acked = writer.acked();
                CheckResult history = clients.stopAndCheck(c.awaitLeader(), 3, 4);
                System.out.printf("reads answered by the joined members: %d by node 3, %d by node 4%n",
                        clients.okReadsServedBy(3), clients.okReadsServedBy(4));
                assertThat(history.verdict()).as(() -> clients.failure(history)).isEqualTo(CheckResult.Verdict.LINEARIZABLE);
            }
            int leader = c.awaitLeader();
            assertThat(memberIds(c, leader)).containsExactlyInAnyOrder(id(c, leader), id(c, 3), id(c, 4));
            for (int reader : new int[] {leader, 3}) {
                LeifClient client = LeifClient.builder(c.url(reader)).build();
                for (Map.Entry<String, String> e : acked.entrySet()) {
                    assertThat(client.get(e.getKey(), true)).as(e.getKey() + " on node " + reader)
                            .hasValueSatisfying(r -> assertThat(r.text()).isEqualTo(e.getValue()));
                }
            }
        }
    }

    @Test
    void aWipedMemberComesBackAsANewMember_onceTheOperatorRemovedItsOldSelf() throws Exception {
        try (TestCluster c = TestCluster.start(3, dir)) {
            int leader = c.awaitLeader();
            int victim = (leader + 1) % 3;
            long oldId = id(c, victim);
            assertThat(Http.put(c.url(leader) + "/db/before", Http.valueJson("wipe")).status()).isEqualTo(200);
            c.kill9(victim);
            c.wipe(victim);
            c.nodeEnv(victim, joining(c.httpAddress(leader)));
            c.launch(victim);
            // Its old self still holds the address: the join is refused, and the node says why while it retries.
            await("the joiner reports the address in use").atMost(Duration.ofSeconds(30)).until(() ->
                    Files.readString(c.logFile(victim)).contains("already listens at " + c.raftAddress(victim)));
            MemberApi.CliRun rm = cli("member", "remove", "--url", c.url(leader), String.valueOf(oldId));
            assertThat(rm.exit()).as(rm.err()).isZero();
            c.awaitServing(victim);
            long newId = id(c, victim);
            assertThat(newId).isNotEqualTo(oldId);
            promoteWhenCaughtUp(c, leader, newId);
            assertThat(memberIds(c, leader)).containsExactlyInAnyOrder(id(c, leader), id(c, (leader + 2) % 3), newId);
            awaitStaleRead(c, victim, "before", "wipe");
            // Restarted as it is (LEIFDB_JOIN still set): its directory says who it is, it does not join again.
            c.kill9(victim);
            c.startNode(victim);
            assertThat(id(c, victim)).isEqualTo(newId);
            assertThat(Files.readString(c.logFile(victim))).contains("LEIFDB_JOIN is ignored");
            awaitStaleRead(c, victim, "before", "wipe");
            refusesBadRequests(c, c.awaitLeader());
        }
    }

    /**
     * A joiner that holds the start of the cluster's log but not the entry that adds it (here: seeded with a copy
     * of a member's data, added while its raft port was taken, then started with the cluster paused) answers 503
     * joining, not 421 removed, and says JOINING, across a restart; once it applies its addition it serves, and
     * removed after that it says REMOVED, across a restart too.
     */
    @Test
    void aJoinerBehindItsOwnAdditionAnswersJoiningNotRemoved_acrossARestart_andARemovalLaterIsARemoval()
            throws Exception {
        try (TestCluster c = TestCluster.prepare(4, dir)) {
            c.startFirst(3);
            // The copy must hold every member's address book entry: a joined member restarted knows its peers from it.
            for (int i = 0; i < 3; i++) {
                String entry = "address book: member " + id(c, i) + " listens";
                await("the leader records member " + i + "'s addresses").atMost(Duration.ofSeconds(30)).until(() ->
                        logsContain(c, entry));
            }
            int leader = c.awaitLeader();
            int seed = (leader + 1) % 3;
            for (int i = 0; i < 10; i++) {
                assertThat(Http.put(c.url(leader) + "/db/k" + i, Http.valueJson("v" + i)).status()).isEqualTo(200);
            }
            awaitStaleRead(c, seed, "k9", "v9");
            c.kill9(seed);
            for (String part : List.of("wal", "kv")) copyTree(c.dataDir(seed).resolve(part), c.dataDir(3).resolve(part));
            c.startNode(seed);
            c.nodeEnv(3, joining(c.httpAddress(leader)));
            int raftPort = Integer.parseInt(c.raftAddress(3).substring(c.raftAddress(3).lastIndexOf(':') + 1));
            try (ServerSocket taken = new ServerSocket(raftPort, 50, InetAddress.getByName("127.0.0.1"))) {
                c.launch(3); // it is added to the cluster, then cannot listen for raft and exits
                await("the joiner exits: its raft port is taken").atMost(Duration.ofSeconds(60)).until(() -> !c.isRunning(3));
                assertThat(taken.isBound()).isTrue();
            }
            long joiner = Long.parseLong(Files.readString(c.dataDir(3).resolve("member-id")).strip());
            assertThat(member(c, c.awaitLeader(), joiner)).as("added as a learner").isPresent();
            for (int i = 0; i < 3; i++) c.pause(i); // no member can send it the entry that adds it
            try {
                c.startNode(3);
                assertJoining(c, 3);
                c.kill9(3);
                c.startNode(3);
                assertJoining(c, 3);
            } finally {
                for (int i = 0; i < 3; i++) c.resume(i);
            }
            await("the joiner applies its addition").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> "LEARNER".equals(health(c, 3).path("role").asText()));
            awaitStaleRead(c, 3, "k9", "v9");

            Http.Response rm = Http.send("DELETE", c.url(c.awaitLeader()) + "/cluster/members/" + joiner, null, true);
            assertThat(rm.status()).as(rm.body()).isEqualTo(200);
            await("the joined member knows it was removed").atMost(Duration.ofSeconds(30))
                    .until(() -> "REMOVED".equals(health(c, 3).path("role").asText()));
            c.kill9(3);
            c.startNode(3);
            assertThat(health(c, 3).path("role").asText()).as("removed after a restart too").isEqualTo("REMOVED");
            Http.Response read = Http.get(c.url(3) + "/db/k1");
            assertThat(read.status()).as(read.body()).isEqualTo(421);
            assertThat(read.json().path("code").asText()).isEqualTo("removed");
        }
    }

    /** Node {@code i} is joining: it says so, and refuses what needs the cluster with a retryable 503 joining. */
    private static void assertJoining(TestCluster c, int i) throws Exception {
        assertThat(health(c, i).path("role").asText()).isEqualTo("JOINING");
        assertThat(MemberApi.get(c.url(i) + "/cluster").json().path("role").asText()).isEqualTo("JOINING");
        Http.Response ready = Http.get(c.url(i) + "/readyz");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().path("reason").asText()).isEqualTo("joining");
        for (Http.Response r : List.of(Http.get(c.url(i) + "/db/k1"), Http.put(c.url(i) + "/db/k1", Http.valueJson("w")))) {
            assertThat(r.status()).as(r.body()).isEqualTo(503);
            assertThat(r.json().path("code").asText()).isEqualTo("joining");
            assertThat(r.header("Retry-After")).isNotNull();
            assertThat(r.json().path("error").asText()).contains("is joining the cluster").doesNotContain("removed");
        }
    }

    private static boolean logsContain(TestCluster c, String line) throws java.io.IOException {
        for (int i = 0; i < 3; i++) if (Files.readString(c.logFile(i)).contains(line)) return true;
        return false;
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    /** Bad input through the API and the CLI: each a 4xx (exit 1) with a clear message, and nothing changes. */
    private static void refusesBadRequests(TestCluster c, int leader) throws Exception {
        java.util.Set<Long> before = memberIds(c, leader);
        String leaderId = String.valueOf(id(c, leader));
        MemberApi.CliRun twice = cli("member", "promote", "--url", c.url(leader), leaderId);
        assertThat(twice.exit()).isEqualTo(1);
        assertThat(twice.err()).contains("already a voter");
        MemberApi.CliRun malformed = cli("member", "add", "--url", c.url(leader), "no-port", "127.0.0.1:1");
        assertThat(malformed.exit()).isEqualTo(1);
        assertThat(malformed.err()).contains("expected host:port");
        Http.Response dup = Http.send("POST", c.url(leader) + "/cluster/members", "{\"raftAddress\":\""
                + c.raftAddress(leader) + "\",\"httpAddress\":\"127.0.0.1:1\"}", false);
        assertThat(dup.status()).as(dup.body()).isEqualTo(409);
        assertThat(dup.json().path("code").asText()).isEqualTo("duplicate_address");
        Http.Response unknown = Http.send("POST", c.url(leader) + "/cluster/members/12345/promote", "", false);
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.json().path("code").asText()).isEqualTo("not_a_member");
        assertThat(memberIds(c, leader)).isEqualTo(before);
    }

    @Test
    void aMemberRestartedOnOtherPortsKeepsItsIdAndIsReachedThere_withoutEditingTheMemberList() throws Exception {
        try (TestCluster c = TestCluster.start(3, dir)) {
            int leader = c.awaitLeader();
            int moved = (leader + 1) % 3;
            int third = (leader + 2) % 3;
            long movedId = id(c, moved);
            String firstList = c.memberNodes();
            c.kill9(moved);
            c.movePorts(moved);
            Map<String, String> env = new HashMap<>();
            env.put("LEIFDB_MEMBER_NODES", firstList); // as at its first start: its old address, not its new one
            c.nodeEnv(moved, env);
            c.startNode(moved);
            assertThat(id(c, moved)).isEqualTo(movedId);
            await("the leader lists the member at its new addresses").atMost(Duration.ofSeconds(30)).until(() ->
                    member(c, c.awaitLeader(), movedId).map(m -> m.path("raftAddress").asText().equals(c.raftAddress(moved))
                            && m.path("httpAddress").asText().equals(c.httpAddress(moved)) && m.path("up").asBoolean())
                            .orElse(false));
            // Without the third member, every commit needs the moved one: the leader must reach it at its new port.
            c.kill9(third);
            int now = c.awaitLeader();
            Http.Response put = Http.send("PUT", c.url(now) + "/db/moved", Http.valueJson("new port"), true);
            assertThat(put.status()).as(put.body()).isEqualTo(200);
            awaitStaleRead(c, moved, "moved", "new port");
            // A follower's redirect names the leader's HTTP address from the book.
            if (now != moved) {
                Http.Response redirect = Http.put(c.url(moved) + "/db/x", Http.valueJson("y"));
                assertThat(redirect.status()).isEqualTo(307);
                assertThat(redirect.header("Location")).startsWith(c.url(now));
            }
        }
    }

    /**
     * A stale read of {@code key} on {@code node} shows {@code value}: a member applies a write once the
     * leader's next message tells it the write committed, so this waits (bounded) rather than reading once.
     */
    private static void awaitStaleRead(TestCluster c, int node, String key, String value) {
        try (LeifClient on = LeifClient.builder(c.url(node)).build()) {
            await("member " + node + " applies " + key).atMost(Duration.ofSeconds(10)).until(() ->
                    on.get(key, true).map(r -> r.text().equals(value)).orElse(false));
        }
    }

    /** A node with an empty data directory that joins through {@code httpAddress}, with no member list. */
    static Map<String, String> joining(String httpAddress) {
        Map<String, String> env = new HashMap<>();
        env.put("LEIFDB_MEMBER_NODES", null);
        env.put("LEIFDB_JOIN", httpAddress);
        return env;
    }

    static String role(TestCluster c, int asked, long id) {
        return member(c, asked, id).map(m -> m.path("role").asText()).orElse("");
    }

    /** Promotes through {@code asked} (a follower answers 307), retrying while the learner is behind or a change is in flight. */
    static void promoteWhenCaughtUp(TestCluster c, int asked, long id) {
        long start = System.nanoTime();
        await("learner " + id + " promoted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Http.Response r = Http.send("POST", c.url(asked) + "/cluster/members/" + id + "/promote", "", true);
            if (r.status() == 200) return true;
            assertThat(r.status()).as(r.body()).isIn(409, 503);
            JsonNode err = r.json();
            assertThat(err.path("code").asText()).as(r.body()).isIn("behind", "member_down", "change_in_flight",
                    "new_leader", "transferring", "not_committed");
            return false;
        });
        System.out.printf("learner %d caught up and was promoted in %d ms%n", id, (System.nanoTime() - start) / 1_000_000);
        assertThat(health(c, asked).path("id").asLong()).isPositive();
    }
}
