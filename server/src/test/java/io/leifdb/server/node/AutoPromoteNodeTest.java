package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.leifdb.raft.ConfState;
import io.leifdb.client.LeifClient;
import io.leifdb.server.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LEIFDB_AUTO_PROMOTE reaches the leader's core: in a two-member cluster, the leader turns the other
 * member into a learner through the core's change path; by default the leader promotes it back to
 * voter once it has caught up, and with {@code false} it stays a learner.
 */
class AutoPromoteNodeTest {
    @TempDir
    Path tmp;

    @Test
    void byDefaultACaughtUpLearnerIsPromotedBackToVoter() throws Exception {
        run(Map.of(), true);
    }

    @Test
    void withAutoPromoteFalseTheLearnerStaysALearner() throws Exception {
        run(Map.of(Config.AUTO_PROMOTE, "false"), false);
    }

    private void run(Map<String, String> extra, boolean promoted) throws Exception {
        int[] http = {freePort(), freePort()};
        int[] raft = {freePort(), freePort()};
        List<Node> nodes = new ArrayList<>();
        List<LeifClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Map<String, String> env = new HashMap<>(extra);
                env.put(Config.MODE, "multi");
                env.put(Config.MEMBER_NODES, "127.0.0.1:" + raft[0] + ",127.0.0.1:" + raft[1]);
                env.put(Config.HOST, "127.0.0.1");
                env.put(Config.HTTP_PORT, String.valueOf(http[i]));
                env.put(Config.RAFT_PORT, String.valueOf(raft[i]));
                env.put(Config.DATA_DIR, tmp.resolve("n" + i).toString());
                nodes.add(new Node(Config.fromEnv(env)));
                clients.add(LeifClient.builder("http://127.0.0.1:" + http[i]).build());
            }
            // A fresh member asks its peers before it starts, so both start together.
            CompletableFuture.allOf(nodes.stream().map(n -> CompletableFuture.runAsync(() -> {
                try {
                    n.start();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            })).toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            long[] learner = new long[1];
            int[] leader = new int[1];
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> demoteTheOther(nodes, clients, leader, learner));
            LeifClient atLeader = clients.get(leader[0]);
            assertThat(atLeader.put("k", "v")).isPositive();
            if (promoted) {
                await().atMost(Duration.ofSeconds(20)).until(() -> voter(atLeader, learner[0]));
            } else {
                await().atMost(Duration.ofSeconds(20)).until(() -> caughtUpLearner(atLeader, learner[0]));
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                        .until(() -> caughtUpLearner(atLeader, learner[0]));
            }
        } finally {
            nodes.forEach(Node::close);
        }
    }

    /** On the member that leads now: voters {itself}, learners {the other}; true once that change applied. */
    private static boolean demoteTheOther(List<Node> nodes, List<LeifClient> clients, int[] leader, long[] learner)
            throws Exception {
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode view = clients.get(i).call("GET", "/cluster/members", null);
            if (!"leader".equals(view.path("view").asText())) continue;
            long self = view.path("id").asLong();
            long other = 0;
            for (JsonNode m : view.path("members")) if (m.path("id").asLong() != self) other = m.path("id").asLong();
            CompletableFuture<Long> applied = new CompletableFuture<>();
            nodes.get(i).post(new DriverEvent.ChangeMembership(ConfState.of(Set.of(self), Set.of(other)), applied));
            assertThat(applied.get(10, TimeUnit.SECONDS)).isPositive();
            leader[0] = i;
            learner[0] = other;
            return true;
        }
        return false;
    }

    private static JsonNode member(LeifClient atLeader, long id) {
        JsonNode view = atLeader.call("GET", "/cluster/members", null);
        assertThat(view.path("view").asText()).isEqualTo("leader");
        for (JsonNode m : view.path("members")) if (m.path("id").asLong() == id) return m;
        throw new AssertionError("member " + id + " is gone: " + view);
    }

    private static boolean voter(LeifClient atLeader, long id) {
        return member(atLeader, id).path("voter").asBoolean();
    }

    private static boolean caughtUpLearner(LeifClient atLeader, long id) {
        JsonNode m = member(atLeader, id);
        return !m.path("voter").asBoolean() && m.path("lag").asLong() == 0 && m.path("up").asBoolean();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
