package io.leifdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static io.leifdb.server.it.MemberApi.cli;
import static io.leifdb.server.it.MemberApi.health;
import static io.leifdb.server.it.MemberApi.id;
import static io.leifdb.server.it.MemberApi.memberIds;
import static io.leifdb.server.it.MemberApi.memberUp;

import io.leifdb.client.LeifClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, first slice, through real node processes: list the members, transfer leadership,
 * remove a follower under writes and the leader itself; a removed member keeps running without
 * disrupting anyone, also after a restart with its old LEIFDB_MEMBER_NODES.
 */
class MembershipIT {
    @TempDir
    Path dir;

    @Test
    void aFollowerRemovedUnderWritesLosesNoWrite_andNeverDisruptsEvenAfterARestart() throws Exception {
        try (TestCluster c = TestCluster.start(3, dir)) {
            int leader = c.awaitLeader();
            int removed = (leader + 1) % 3;
            int other = (leader + 2) % 3;
            long removedId = id(c, removed);
            Map<String, String> acked;
            try (AckedWriter writer = new AckedWriter(c.url(other))) {
                writer.awaitMore(20, "writes flow");
                // Through a follower and the CLI, as an operator would: the 307 leads to the leader.
                MemberApi.CliRun rm = cli("member", "remove", "--url", c.url(other), String.valueOf(removedId));
                assertThat(rm.exit()).as(rm.err()).isZero();
                assertThat(rm.out()).contains("\"removed\":" + removedId);
                writer.awaitMore(20, "writes keep flowing after the removal");
                acked = writer.acked();
            }
            assertThat(memberIds(c, leader)).containsExactlyInAnyOrder(id(c, leader), id(c, other));
            assertThat(memberIds(c, other)).containsExactlyInAnyOrder(id(c, leader), id(c, other));
            LeifClient client = LeifClient.builder(c.url(leader)).build();
            for (Map.Entry<String, String> e : acked.entrySet()) {
                assertThat(client.get(e.getKey(), false)).as(e.getKey()).hasValueSatisfying(
                        r -> assertThat(r.text()).isEqualTo(e.getValue()));
            }

            assertStaysOut(c, leader, removed);
            // Restarted with the same LEIFDB_MEMBER_NODES: the membership in its log wins, and it still stays out.
            c.kill9(removed);
            c.startNode(removed);
            assertStaysOut(c, leader, removed);
            assertThat(memberIds(c, leader)).doesNotContain(removedId);
        }
    }

    @Test
    void aDeadMemberGoes_aLiveOneNeedsAQuorum_thenTransferRemoveTheLeaderAndKeepTheLastVoter() throws Exception {
        try (TestCluster c = TestCluster.start(3, dir)) {
            int first = c.awaitLeader();
            int a = (first + 1) % 3;
            int b = (first + 2) % 3;
            long aId = id(c, a);
            long bId = id(c, b);
            c.kill9(b);
            await("the leader sees member " + bId + " down").atMost(Duration.ofSeconds(20)).until(() ->
                    !memberUp(c, first, bId));
            // Removing live a would leave {first, b} with one live voter of the two a quorum needs.
            Http.Response quorum = Http.delete(c.url(first) + "/cluster/members/" + aId);
            assertThat(quorum.status()).as(quorum.body()).isEqualTo(409);
            assertThat(quorum.json().path("code").asText()).isEqualTo("quorum");
            assertThat(quorum.json().path("error").asText()).contains("force=true");
            Http.Response dead = Http.delete(c.url(first) + "/cluster/members/" + bId);
            assertThat(dead.status()).as(dead.body()).isEqualTo(200);
            assertThat(memberIds(c, first)).containsExactlyInAnyOrder(id(c, first), aId);
            for (int i : new int[] {first, a}) { // no member goes on dialling the removed one's address (node/PeerDialling)
                await("node " + i + " stops dialling member " + bId).atMost(Duration.ofSeconds(20)).until(() ->
                        Files.readString(c.logFile(i)).contains("member " + bId + " left the configuration: no longer dialled"));
            }

            MemberApi.CliRun t = cli("leader", "transfer", "--url", c.url(first), String.valueOf(aId));
            assertThat(t.exit()).as(t.err()).isZero();
            assertThat(t.out()).contains("\"leader\":" + aId);
            assertThat(c.awaitLeader()).isEqualTo(a);

            // Removing the leader hands leadership over, then points the client at the new leader.
            Http.Response handover = Http.delete(c.url(a) + "/cluster/members/" + aId);
            assertThat(handover.status()).as(handover.body()).isEqualTo(307);
            assertThat(handover.header("Location")).isEqualTo(c.url(first) + "/cluster/members/" + aId);
            Http.Response done = Http.delete(handover.header("Location"));
            assertThat(done.status()).as(done.body()).isEqualTo(200);
            assertThat(c.awaitLeader()).isEqualTo(first);
            assertThat(memberIds(c, first)).containsExactly(id(c, first));
            assertThat(Http.put(c.url(first) + "/db/after", Http.valueJson("leader removed")).status()).isEqualTo(200);
            assertStaysOut(c, first, a);

            Http.Response unknown = Http.delete(c.url(first) + "/cluster/members/12345");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json().path("code").asText()).isEqualTo("not_a_member");
            Http.Response lastVoter = Http.delete(c.url(first) + "/cluster/members/" + id(c, first) + "?force=true");
            assertThat(lastVoter.status()).as(lastVoter.body()).isEqualTo(409);
            assertThat(lastVoter.json().path("code").asText()).isEqualTo("last_voter");
            MemberApi.CliRun cliLast = cli("member", "remove", "--url", c.url(first), String.valueOf(id(c, first)));
            assertThat(cliLast.exit()).isEqualTo(1);
            assertThat(cliLast.err()).contains("last voter");
            assertThat(Http.put(c.url(first) + "/db/alone", Http.valueJson("one voter")).status()).isEqualTo(200);
        }
    }

    /**
     * The removed process keeps running and knows it was removed (the leader sent it the log until
     * the change committed), is not ready for traffic, and the cluster's term stays put.
     */
    private static void assertStaysOut(TestCluster c, int leader, int removed) throws Exception {
        await("member " + removed + " knows it was removed").atMost(Duration.ofSeconds(20)).until(() ->
                "REMOVED".equals(health(c, removed).path("role").asText()));
        Http.Response ready = Http.get(c.url(removed) + "/readyz");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().path("reason").asText()).isEqualTo("removed");
        long term = health(c, leader).path("term").asLong();
        await("the term holds while the removed member runs").during(Duration.ofSeconds(4))
                .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                        c.isRunning(removed) && health(c, leader).path("term").asLong() == term
                                && "LEADER".equals(health(c, leader).path("role").asText())
                                && "REMOVED".equals(health(c, removed).path("role").asText()));
    }
}
