package io.leifdb.client;

import static io.leifdb.client.FakeNode.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Redirects, leader memory, seeds, and what is retried: each rule of Transport and RetryRule, against fake nodes. */
class TransportRulesTest {
    private final List<Duration> slept = new CopyOnWriteArrayList<>();

    private LeifClient client(String... urls) {
        return LeifClient.builder(urls).timeout(Duration.ofSeconds(5)).sleeper(slept::add).build();
    }

    @Test
    void aFollowersRedirectIsFollowedAndTheLeaderRememberedForTheNextWrite() throws IOException {
        try (FakeNode leader = new FakeNode((ex, n) -> json(ex, 200, "{\"status\":\"OK\",\"revision\":" + (6 + n) + "}"));
             FakeNode follower = new FakeNode((ex, n) -> FakeNode.redirect(ex, leader.url()));
             LeifClient c = client(follower.url())) {
            assertThat(c.put("a/b", "1")).isEqualTo(7);
            assertThat(c.leader()).contains(leader.url());
            assertThat(c.put("a/b", "2")).isEqualTo(8);
            assertThat(follower.seen).hasSize(1);
            assertThat(leader.seen).extracting(FakeNode.Seen::uri).containsExactly("/db/a%2Fb", "/db/a%2Fb");
            assertThat(leader.seen.get(1).body()).isEqualTo("{\"value\":\"2\"}");
        }
    }

    @Test
    void aLeaderThatWentAwayIsForgottenAndTheSeedsAskedAgain() throws IOException {
        FakeNode old = new FakeNode((ex, n) -> json(ex, 200, "{\"revision\":1}"));
        try (FakeNode next = new FakeNode((ex, n) -> json(ex, 200, "{\"revision\":2}"));
             FakeNode seed = new FakeNode((ex, n) -> FakeNode.redirect(ex, n == 1 ? old.url() : next.url()));
             LeifClient c = client(seed.url())) {
            assertThat(c.put("k", "v")).isEqualTo(1);
            old.close(); // refuses connections now: the write never reached it, so it may go elsewhere
            assertThat(c.put("k", "v")).isEqualTo(2);
            assertThat(c.leader()).contains(next.url());
        }
    }

    @Test
    void aDeadSeedIsSkipped() throws IOException {
        try (FakeNode live = new FakeNode((ex, n) -> json(ex, 200, "{\"value\":\"x\",\"revision\":3}"));
             LeifClient c = client("http://127.0.0.1:" + FakeNode.closedPort(), live.url())) {
            assertThat(c.get("k", true)).hasValueSatisfying(kv -> assertThat(kv.text()).isEqualTo("x"));
        }
    }

    @Test
    void aRemovedSeedIsSkippedForWritesAndReads_andAloneItsAnswerIsTheCallers() throws IOException {
        try (FakeNode removed = new FakeNode((ex, n) -> json(ex, 421,
                "{\"error\":\"this member was removed from the cluster\",\"code\":\"removed\"}"));
             FakeNode live = new FakeNode((ex, n) -> json(ex, 200, "{\"status\":\"OK\",\"revision\":5}"));
             LeifClient c = client(removed.url(), live.url());
             LeifClient alone = client(removed.url())) {
            assertThat(c.put("k", "v")).isEqualTo(5);
            assertThat(c.put("k", "w")).as("the removed seed stays skipped").isEqualTo(5);
            assertThat(removed.seen).hasSize(1);
            assertThatThrownBy(() -> alone.put("k", "v")).isInstanceOfSatisfying(LeifException.class, e -> {
                assertThat(e.code()).isEqualTo("removed");
                assertThat(e.getMessage()).contains("removed from the cluster");
            });
            assertThat(slept).isEmpty();
        }
    }

    @Test
    void aJoiningSeedIsSkipped_andAloneItIsRetriedUntilItServes() throws IOException {
        try (FakeNode joining = new FakeNode((ex, n) -> {
                if (n <= 2) FakeNode.unavailable(ex, "joining");
                else json(ex, 200, "{\"status\":\"OK\",\"revision\":6}");
             });
             FakeNode live = new FakeNode((ex, n) -> json(ex, 200, "{\"status\":\"OK\",\"revision\":5}"));
             LeifClient c = client(joining.url(), live.url())) {
            assertThat(c.put("k", "v")).isEqualTo(5);
            assertThat(joining.seen).hasSize(1);
            assertThat(slept).as("skipped at once, not waited on").isEmpty();
        }
        try (FakeNode joining = new FakeNode((ex, n) -> {
                if (n <= 2) FakeNode.unavailable(ex, "joining");
                else json(ex, 200, "{\"status\":\"OK\",\"revision\":6}");
             });
             LeifClient alone = client(joining.url())) {
            assertThat(alone.put("k", "v")).isEqualTo(6);
            assertThat(joining.seen).hasSize(3);
            assertThat(slept).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
        }
    }

    @Test
    void endlessRedirectsStop() throws IOException {
        try (FakeNode loop = new FakeNode((ex, n) -> FakeNode.redirect(ex, ""));
             LeifClient c = LeifClient.builder(loop.url()).maxAttempts(1).build()) {
            assertThatThrownBy(() -> c.get("k")).isInstanceOfSatisfying(LeifException.class,
                    e -> assertThat(e.code()).isEqualTo("redirect"));
            assertThat(loop.seen).hasSize(Transport.MAX_REDIRECTS + 1);
        }
    }

    @Test
    void noLeaderYetIsRetriedWhateverTheWriteAfterRetryAfter() throws IOException {
        try (FakeNode node = new FakeNode((ex, n) -> {
                if (n == 1) FakeNode.unavailable(ex, "no_leader");
                else json(ex, 200, "{\"revision\":4}");
            });
             LeifClient c = client(node.url())) {
            assertThat(c.txn(Txn.create().put("a", "1")).revision()).isEqualTo(4);
            assertThat(slept).containsExactly(Duration.ofSeconds(1));
        }
    }

    @Test
    void aPlainWriteWithAnUnknownOutcomeIsNeverRetried() throws IOException {
        try (FakeNode timesOut = new FakeNode((ex, n) -> FakeNode.unavailable(ex, "unavailable"));
             FakeNode hangsUp = new FakeNode((ex, n) -> FakeNode.hangUp(ex));
             LeifClient viaTimeout = client(timesOut.url());
             LeifClient viaHangUp = client(hangsUp.url())) {
            assertThatThrownBy(() -> viaTimeout.put("k", "v")).isInstanceOfSatisfying(OutcomeUnknownException.class,
                    e -> assertThat(e.status()).isEqualTo(503));
            assertThatThrownBy(() -> viaHangUp.delete("k")).isInstanceOf(OutcomeUnknownException.class);
            assertThatThrownBy(() -> viaHangUp.put("k", "v", Precondition.IF_EXISTS)).as("If-Match: * holds twice")
                    .isInstanceOf(OutcomeUnknownException.class);
            assertThatThrownBy(() -> viaHangUp.call("POST", "/txn", "{}")).isInstanceOf(OutcomeUnknownException.class);
            assertThat(timesOut.seen).hasSize(1);
            assertThat(hangsUp.seen).hasSize(3);
        }
    }

    @Test
    void readsAreRetriedAfterAHangUp() throws IOException {
        try (FakeNode node = new FakeNode((ex, n) -> {
                if (n < 3) FakeNode.hangUp(ex);
                else json(ex, 200, "{\"value\":\"v\",\"revision\":9}");
            });
             LeifClient c = client(node.url())) {
            assertThat(c.get("k")).hasValueSatisfying(kv -> assertThat(kv.modRevision()).isEqualTo(9));
            // The JDK repeats a GET once on a dropped connection by itself; the client's own retry follows.
            assertThat(node.seen).hasSize(3);
            assertThat(slept).containsExactly(Duration.ofMillis(50));
        }
    }

    @Test
    void aConditionalWriteIsRetriedAndItsOwnEarlierSuccessIsReportedAsUnknown() throws IOException {
        try (FakeNode applied = new FakeNode((ex, n) -> {
                if (n == 1) FakeNode.hangUp(ex); // suppose it applied: the retry finds the revision moved on
                else json(ex, 412, "{\"error\":\"precondition failed\",\"code\":\"precondition_failed\"}");
            });
             FakeNode notApplied = new FakeNode((ex, n) -> {
                if (n == 1) FakeNode.unavailable(ex, "unavailable");
                else json(ex, 200, "{\"revision\":12}");
            });
             LeifClient a = client(applied.url());
             LeifClient b = client(notApplied.url())) {
            assertThatThrownBy(() -> a.put("k", "v", Precondition.ifRevision(5))).isInstanceOf(OutcomeUnknownException.class);
            assertThat(applied.seen).extracting(FakeNode.Seen::ifMatch).containsExactly("\"5\"", "\"5\"");
            assertThat(b.put("k", "v", Precondition.IF_ABSENT)).isEqualTo(12);
            assertThat(notApplied.seen).extracting(FakeNode.Seen::ifNoneMatch).containsExactly("*", "*");
        }
    }

    @Test
    void retriesAreBoundedAndTheLastErrorNamesTheAddress() throws IOException {
        int closed = FakeNode.closedPort();
        try (LeifClient c = LeifClient.builder("http://127.0.0.1:" + closed).maxAttempts(3).sleeper(slept::add).build()) {
            assertThatThrownBy(() -> c.get("k")).isInstanceOfSatisfying(LeifException.class, e -> {
                assertThat(e).isNotInstanceOf(OutcomeUnknownException.class);
                assertThat(e.getMessage()).isEqualTo("cannot connect to http://127.0.0.1:" + closed + ": connection refused");
            });
            assertThat(slept).hasSize(2);
            assertThatThrownBy(() -> c.put("k", "v")).as("a write that never left is not unknown")
                    .isInstanceOf(LeifException.class).isNotInstanceOf(OutcomeUnknownException.class);
        }
    }

    @Test
    void credentialsGoWithEveryRequest() throws IOException {
        try (FakeNode node = new FakeNode((ex, n) -> json(ex, 200, "{\"status\":\"OK\"}"));
             LeifClient basic = LeifClient.builder(node.url()).basicAuth("ann", "pw").build();
             LeifClient bearer = LeifClient.builder(node.url()).bearerToken("t0k").build()) {
            basic.admin().health();
            bearer.auth().users();
            assertThat(node.seen).extracting(FakeNode.Seen::authorization).containsExactly("Basic YW5uOnB3", "Bearer t0k");
        }
    }
}
