package io.leifdb.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Holdings, the question a member with an empty data directory asks: answered only to members of our cluster. */
class HoldingsRpcTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void aMemberAnswersWhatItHolds_andUnavailableUntilItKnows() throws Exception {
        try (TransportFixture cluster = new TransportFixture(2)) {
            // The answerer listens first: a channel that dialled too early would fail fast for a second (gRPC's back-off).
            GrpcTransport answerer = cluster.start(2);
            GrpcTransport asker = cluster.start(1);
            assertThatThrownBy(() -> asker.askHoldings(2, TIMEOUT).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasMessageContaining("UNAVAILABLE");
            answerer.holdingsSource(() -> new Holdings(5, 42));
            assertThat(asker.askHoldings(2, TIMEOUT).get(10, TimeUnit.SECONDS)).isEqualTo(new Holdings(5, 42));
            assertThat(asker.askHoldings(2, TIMEOUT).get(10, TimeUnit.SECONDS).holdsData()).isTrue();
            assertThat(asker.askHoldings(7, TIMEOUT)).isCompletedExceptionally(); // not a configured member
        }
    }

    @Test
    void anotherClusterOrAStrangerIsRefused() throws Exception {
        try (TransportFixture cluster = new TransportFixture(2)) {
            GrpcTransport answerer = cluster.start(2);
            answerer.holdingsSource(() -> Holdings.NONE);
            String member2 = cluster.raftAddresses.get(2L);
            String elsewhere = "127.0.0.1:" + TransportFixture.freePort();
            try (GrpcTransport otherCluster = new GrpcTransport(TransportFixture.CLUSTER + 1, 1, elsewhere, "",
                    Map.of(2L, member2), new RecordingListener(), TransportFixture.fast());
                 GrpcTransport stranger = new GrpcTransport(TransportFixture.CLUSTER, 9,
                         "127.0.0.1:" + TransportFixture.freePort(), "", Map.of(2L, member2), new RecordingListener(),
                         TransportFixture.fast())) {
                otherCluster.start();
                stranger.start();
                assertThatThrownBy(() -> otherCluster.askHoldings(2, TIMEOUT).get(10, TimeUnit.SECONDS))
                        .hasMessageContaining("PERMISSION_DENIED");
                assertThatThrownBy(() -> stranger.askHoldings(2, TIMEOUT).get(10, TimeUnit.SECONDS))
                        .hasMessageContaining("PERMISSION_DENIED");
            }
            assertThat(answerer.stats().refused()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void figuresAreNeverNegative_andMaxKeepsTheLargerOfEach() {
        assertThatThrownBy(() -> new Holdings(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Holdings(3, 10).max(new Holdings(5, 2))).isEqualTo(new Holdings(5, 10));
        assertThat(Holdings.NONE.holdsData()).isFalse();
        assertThat(new Holdings(0, 1).holdsData()).isTrue();
    }
}
