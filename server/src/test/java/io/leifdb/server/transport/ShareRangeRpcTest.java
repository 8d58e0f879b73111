package io.leifdb.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.craft.Fragment;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * GetShare with a byte range of the shard (striped coded reads): the holder answers that slice of
 * its fragment, with the fragment's header unchanged; without a range, or with one that does not
 * fit, it answers the whole fragment as before ranges existed; whole values go whole.
 */
class ShareRangeRpcTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void aRangeIsAnsweredWithThatSliceOfTheShard() throws Exception {
        byte[] shard = new byte[200_000];
        new Random(5).nextBytes(shard);
        Fragment held = new Fragment(3, 2, 4, "clear".getBytes(), 600_000, shard);
        ShareSource source = (key, revision, index, term) -> CompletableFuture.completedFuture(
                key.equals("whole") ? new ShareSource.Share(true, new byte[] {7}) : new ShareSource.Share(false, held.toBytes()));
        try (TransportFixture cluster = new TransportFixture(2)) {
            GrpcTransport answerer = cluster.start(2);
            GrpcTransport asker = cluster.start(1);
            answerer.shareSource(source);

            ShareSource.Share slice = asker.fetchShare(2, "k", 5, 8, 2, 65_536, 65_536, TIMEOUT).get(10, TimeUnit.SECONDS);
            Fragment f = Fragment.fromBytes(slice.bytes());
            assertThat(f.sameCodeword(held)).isTrue();
            assertThat(f.id()).isEqualTo(4);
            assertThat(f.shard()).isEqualTo(Arrays.copyOfRange(shard, 65_536, 131_072));

            assertThat(Fragment.fromBytes(asker.fetchShare(2, "k", 5, 8, 2, TIMEOUT).get(10, TimeUnit.SECONDS).bytes()))
                    .as("no range: the whole fragment").isEqualTo(held);
            assertThat(Fragment.fromBytes(asker.fetchShare(2, "k", 5, 8, 2, 196_608, 65_536, TIMEOUT)
                    .get(10, TimeUnit.SECONDS).bytes())).as("a range past the end: the whole fragment").isEqualTo(held);
            ShareSource.Share whole = asker.fetchShare(2, "whole", 5, 8, 2, 0, 65_536, TIMEOUT).get(10, TimeUnit.SECONDS);
            assertThat(whole.whole()).isTrue();
            assertThat(whole.bytes()).containsExactly(7);
        }
    }
}
