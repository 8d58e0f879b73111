package io.leifdb.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * CRaft repair's ShareSummary, and the revision a GetShare now carries: what the leader asks of a
 * member travels intact both ways, a limit is capped, and only members of our cluster are answered.
 */
class ShareSummaryRpcTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Answers every summary with {@code answer} and records what it was asked. */
    private static final class Recording implements ShareSource {
        final AtomicReference<String> asked = new AtomicReference<>();
        final ShareSource.Summary answer;

        Recording(ShareSource.Summary answer) {
            this.answer = answer;
        }

        @Override
        public CompletableFuture<Share> lookup(String key, long revision, long index, long term) {
            asked.set("share " + key + " rev " + revision + " at " + index + "/" + term);
            return CompletableFuture.completedFuture(new Share(true, new byte[] {1, 2}));
        }

        @Override
        public Summary summary(String afterKey, String lastKey, int limit) {
            asked.set("summary (" + afterKey + ", " + lastKey + "] limit " + limit);
            return answer;
        }
    }

    @Test
    void aSummaryTravelsIntactAndItsLimitIsCapped() throws Exception {
        ShareSource.Summary answer = new ShareSource.Summary(List.of(
                new ShareSource.Held("a/1", 7, 0, 0, ShareSource.WHOLE, 0, 0),
                new ShareSource.Held("a/2", 9, 12, 3, 4, 3, 2),
                new ShareSource.Held("a/é", 10, 10, 2, 0, 2, 3)), true);
        try (TransportFixture cluster = new TransportFixture(2)) {
            // The answerer listens first: a channel that dialled too early would fail fast for a second (gRPC's back-off).
            GrpcTransport answerer = cluster.start(2);
            GrpcTransport asker = cluster.start(1);
            Recording source = new Recording(answer);
            answerer.shareSource(source);
            assertThat(asker.fetchSummary(2, "", "a/z", 512, TIMEOUT).get(10, TimeUnit.SECONDS)).isEqualTo(answer);
            assertThat(source.asked.get()).isEqualTo("summary (, a/z] limit 512");
            asker.fetchSummary(2, "a/0", "a/z", 1 << 30, TIMEOUT).get(10, TimeUnit.SECONDS);
            assertThat(source.asked.get()).isEqualTo("summary (a/0, a/z] limit " + InboundService.MAX_SUMMARY);
            assertThat(asker.fetchShare(2, "k", 5, 8, 2, TIMEOUT).get(10, TimeUnit.SECONDS).whole()).isTrue();
            assertThat(source.asked.get()).isEqualTo("share k rev 5 at 8/2");
            assertThat(asker.fetchSummary(7, "", "z", 1, TIMEOUT)).isCompletedExceptionally(); // not a configured member
        }
    }

    @Test
    void aStrangerGetsNoSummary() throws Exception {
        try (TransportFixture cluster = new TransportFixture(2)) {
            GrpcTransport answerer = cluster.start(2);
            answerer.shareSource(new Recording(new ShareSource.Summary(List.of(), false)));
            try (GrpcTransport stranger = new GrpcTransport(TransportFixture.CLUSTER, 9,
                    "127.0.0.1:" + TransportFixture.freePort(), "", Map.of(2L, cluster.raftAddresses.get(2L)),
                    new RecordingListener(), TransportFixture.fast())) {
                stranger.start();
                assertThatThrownBy(() -> stranger.fetchSummary(2, "", "z", 10, TIMEOUT).get(10, TimeUnit.SECONDS))
                        .hasMessageContaining("PERMISSION_DENIED");
            }
        }
    }
}
