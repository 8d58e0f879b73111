package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.craft.Fragment;
import io.leifdb.raft.craft.FragmentCodec;
import io.leifdb.raft.craft.ReedSolomonCoder;
import io.leifdb.raft.driver.OutcomeUnknownException;
import io.leifdb.server.kv.CodedValue;
import io.leifdb.server.kv.KeyValue;
import io.leifdb.server.transport.ShareSource.Share;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * A coded read's gathering: it asks only the holders it needs, the likeliest first, takes the
 * first k distinct shards of its own codeword, passes over a slow holder when the hedge fires,
 * and never mixes in a share of another write.
 */
class ShareRoundTest {
    private static final byte[] CLEAR = "put:key:len".getBytes();
    private static final ReedSolomonCoder CODER = new ReedSolomonCoder(3, 2);
    private static final List<Long> PEERS = List.of(11L, 12L, 13L, 14L);

    private final byte[] value = random(100_000, 1);
    /** Fragment i of the value; we (the reader) hold fragment 0, peer 11 + i - 1 holds fragment i. */
    private final Fragment[] fragments = new FragmentCodec(CODER).encode(concat(CLEAR, value), CLEAR.length);
    private final KeyValue coded = new KeyValue("key", new byte[0], 7, 7, 1, new CodedValue(7, 2, fragments[0].toBytes()));
    /** The asks each peer got, answered by the test. */
    private final Map<Long, CompletableFuture<Share>> asked = new HashMap<>();
    private final List<Runnable> hedges = new ArrayList<>();
    private final ShareRanks ranks = new ShareRanks();

    private ShareRound start(List<Long> order) {
        ShareRound.Fetch fetch = (peer, key, revision, index, term, offset, length, timeout) -> {
            assertThat(List.of(key, revision, index, term)).isEqualTo(List.of("key", 7L, 7L, 2L));
            return asked.computeIfAbsent(peer, p -> new CompletableFuture<>());
        };
        return new ShareRound(CODER, fragments[0], coded, order, fetch, Duration.ofSeconds(2), ranks).start(hedges::add);
    }

    private void send(long peer, int fragmentId) {
        asked.get(peer).complete(new Share(false, fragments[fragmentId].toBytes()));
    }

    private static byte[] valueOf(ShareRound round) throws Exception {
        return round.result.get().bytes();
    }

    @Test
    void asksOnlyKMinusOneHoldersAndDecodesFromTheFirstKShards() throws Exception {
        ShareRound round = start(PEERS);
        assertThat(asked.keySet()).as("k - 1 asks, not one per member").containsExactlyInAnyOrder(11L, 12L);
        send(12L, 2);
        assertThat(round.result).isNotDone();
        send(11L, 1);
        assertThat(valueOf(round)).isEqualTo(value);
        assertThat(asked.keySet()).containsExactlyInAnyOrder(11L, 12L);
    }

    @Test
    void decodesFromParityWhenTheFirstHoldersSendIt() throws Exception {
        ShareRound round = start(List.of(13L, 14L, 11L, 12L));
        send(14L, 4);
        send(13L, 3);
        assertThat(valueOf(round)).isEqualTo(value);
    }

    @Test
    void aHolderWithNothingIsReplacedByTheNextOne() throws Exception {
        ShareRound round = start(PEERS);
        asked.get(11L).complete(null);
        assertThat(asked.keySet()).containsExactlyInAnyOrder(11L, 12L, 13L);
        asked.get(12L).completeExceptionally(new RuntimeException("unreachable"));
        send(13L, 3);
        assertThat(asked.keySet()).containsExactlyInAnyOrder(11L, 12L, 13L, 14L);
        send(14L, 4);
        assertThat(valueOf(round)).isEqualTo(value);
    }

    @Test
    void aShareOfAnotherWriteOrAMalformedOneIsNeverMixedIn() throws Exception {
        ShareRound round = start(PEERS);
        // Same code and length, another command in clear: a fragment of a different write.
        Fragment[] otherClear = new FragmentCodec(CODER).encode(concat("put:kez:len".getBytes(), value), CLEAR.length);
        asked.get(11L).complete(new Share(false, otherClear[1].toBytes()));
        asked.get(12L).complete(new Share(false, new byte[] {1, 2, 3}));
        assertThat(asked.keySet()).as("both replaced").containsExactlyInAnyOrder(11L, 12L, 13L, 14L);
        send(13L, 1); // a duplicate of what 11 should have had is still a shard of ours
        send(14L, 2);
        assertThat(valueOf(round)).isEqualTo(value);
    }

    @Test
    void aDuplicateShardDoesNotCountTwice() throws Exception {
        ShareRound round = start(PEERS);
        send(11L, 1);
        send(12L, 1);
        assertThat(round.result).isNotDone();
        assertThat(asked).containsKey(13L);
        send(13L, 2);
        assertThat(valueOf(round)).isEqualTo(value);
    }

    @Test
    void aSlowHolderIsPassedOverWhenTheHedgeFiresAndAskedLastNextTime() throws Exception {
        ShareRound round = start(PEERS);
        send(12L, 2);
        assertThat(hedges).hasSize(1);
        hedges.getFirst().run(); // 11 never answers
        assertThat(asked.keySet()).containsExactlyInAnyOrder(11L, 12L, 13L, 14L);
        send(14L, 4);
        assertThat(valueOf(round)).isEqualTo(value);
        assertThat(ranks.order(PEERS, 3, 0)).as("data holder first, the slow one last").containsExactly(12L, 13L, 14L, 11L);
    }

    @Test
    void aWholeCopyIsTakenAsIs() throws Exception {
        ShareRound round = start(PEERS);
        asked.get(12L).complete(new Share(true, value));
        assertThat(valueOf(round)).isEqualTo(value);
        send(11L, 1);
        assertThat(ranks.order(PEERS, 3, 0)).as("whole copies cost k fragments: asked after fragments")
                .containsExactly(11L, 13L, 14L, 12L);
    }

    @Test
    void fewerThanKShardsFailsWithARetryableError() {
        ShareRound round = start(PEERS);
        hedges.getFirst().run();
        for (long p : PEERS) asked.get(p).complete(null);
        assertThatThrownBy(() -> round.result.get()).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(OutcomeUnknownException.class).hasMessageContaining("fewer than 3 fragments");
    }

    @Test
    void ranksPutDataShardHoldersFirstAndTheHedgeFollowsTypicalRounds() {
        ranks.answered(11L, 4);
        ranks.answered(12L, ShareRanks.NONE);
        ranks.answered(13L, 2);
        ranks.answered(14L, ShareRanks.WHOLE);
        assertThat(ranks.order(PEERS, 3, 0)).containsExactly(13L, 11L, 14L, 12L);
        assertThat(ranks.order(List.of(11L, 13L, 15L), 3, 2)).as("a copy of our own shard is no help; unknown before parity")
                .containsExactly(15L, 11L, 13L);
        assertThat(ranks.hedgeDelay()).isEqualTo(Duration.ofMillis(50));
        for (int i = 0; i < 50; i++) ranks.took(Duration.ofMillis(100));
        assertThat(ranks.hedgeDelay()).isBetween(Duration.ofMillis(290), Duration.ofMillis(300));
        for (int i = 0; i < 50; i++) ranks.took(Duration.ofSeconds(5));
        assertThat(ranks.hedgeDelay()).isEqualTo(Duration.ofSeconds(1));
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
