package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.leifdb.raft.craft.Fragment;
import io.leifdb.raft.craft.FragmentCodec;
import io.leifdb.raft.craft.ReedSolomonCoder;
import io.leifdb.server.http.ValueStream;
import io.leifdb.server.kv.CodedValue;
import io.leifdb.server.kv.KeyValue;
import io.leifdb.server.transport.ShareSource.Share;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A coded read streamed stripe by stripe: each stripe decodes alone from k slices, in whatever order
 * the stripes arrive; the value goes out in order while later stripes are still coming; slow, wrong
 * and range-ignoring holders are handled per stripe as a whole read handles them; and a failure
 * after the first byte cuts the body instead of completing it wrongly.
 */
class StripedReadTest {
    private static final byte[] CLEAR = "put:key:len".getBytes();
    private static final ReedSolomonCoder CODER = new ReedSolomonCoder(3, 2);
    private static final List<Long> PEERS = List.of(11L, 12L, 13L, 14L);
    private static final int STRIPE = StripedRead.STRIPE;

    /** Shards of 3.5 stripes: four stripes, the last one short, and a padded last data shard. */
    private final byte[] value = ShareRoundTest.random(3 * (STRIPE * 7 / 2) - 5, 1);
    private final Fragment[] fragments = new FragmentCodec(CODER).encode(ShareRoundTest.concat(CLEAR, value), CLEAR.length);
    private final int size = CODER.shardSize(value.length);
    private final KeyValue coded = new KeyValue("key", new byte[0], 7, 7, 1, new CodedValue(7, 2, fragments[0].toBytes()));
    /** Asks by "peer@offset", answered by the test. */
    private final Map<String, CompletableFuture<Share>> asked = new ConcurrentHashMap<>();
    private final List<String> ranges = new ArrayList<>();
    private final List<Runnable> hedges = new ArrayList<>();
    private final ShareRanks ranks = new ShareRanks();
    private Thread writer;

    @AfterEach
    void stopWriter() throws InterruptedException {
        if (writer != null) {
            writer.interrupt();
            writer.join(5_000);
        }
    }

    private StripedRead start() {
        ShareRound.Fetch fetch = (peer, key, revision, index, term, offset, length, timeout) -> {
            assertThat(List.of(key, revision, index, term)).isEqualTo(List.of("key", 7L, 7L, 2L));
            synchronized (ranges) {
                ranges.add(peer + "@" + offset + "+" + length);
            }
            return asked.computeIfAbsent(peer + "@" + offset, p -> new CompletableFuture<>());
        };
        StripedRead.Rounds rounds = StripedRead.rounds(CODER, fragments[0], coded, PEERS, fetch, Duration.ofSeconds(2),
                ranks, () -> hedges::add);
        return new StripedRead(CODER, fragments[0], coded, rounds).start();
    }

    /** Peer 11 + i - 1 holds fragment i; it answers the stripe at {@code offset} with its slice. */
    private void send(long peer, int offset) {
        asked.get(peer + "@" + offset).complete(new Share(false, slice((int) (peer - 10), offset)));
    }

    /** Writes the read out on another thread; the stream's contents so far and its failure, if any. */
    private ByteArrayOutputStream writeOut(ValueStream read, AtomicReference<Throwable> failed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream shared = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                out.write(b, off, len);
            }
        };
        writer = Thread.ofVirtual().start(() -> {
            try {
                read.body().writeTo(shared);
            } catch (IOException | RuntimeException e) {
                failed.set(e);
            }
        });
        return out;
    }

    private static int written(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.size();
        }
    }

    @Test
    void stripesArrivingOutOfOrderDecodeAloneAndTheValueGoesOutInOrderWhileTheRestArrives() throws Exception {
        StripedRead read = start();
        assertThat(asked.keySet()).as("k - 1 holders for each of the first three stripes, no more")
                .containsExactlyInAnyOrder("11@0", "12@0", "11@" + STRIPE, "12@" + STRIPE, "11@" + 2 * STRIPE, "12@" + 2 * STRIPE);
        assertThat(ranges).contains("11@0+" + STRIPE);
        send(11L, STRIPE);
        send(12L, STRIPE);
        assertThat(read.ready).as("writing may start once a round found k holders").isCompleted();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        ByteArrayOutputStream out = writeOut(read.ready.get(), failed);
        await().atMost(Duration.ofSeconds(5)).until(() -> written(out) == size); // our shard; stripe 0 is missing
        send(12L, 0);
        send(11L, 0);
        assertThat(asked).as("the fourth stripe starts as one finishes").containsKey("11@" + 3 * STRIPE);
        // Our data shard 0, then stripes 0 and 1 of shard 1: out while stripes 2 and 3 are missing.
        await().atMost(Duration.ofSeconds(5)).until(() -> written(out) == size + 2 * STRIPE);
        send(12L, 3 * STRIPE);
        send(11L, 3 * STRIPE);
        assertThat(written(out)).as("stripe 2 still missing").isEqualTo(size + 2 * STRIPE);
        send(11L, 2 * STRIPE);
        send(12L, 2 * STRIPE);
        writer.join(5_000);
        assertThat(failed.get()).isNull();
        assertThat(out.toByteArray()).isEqualTo(value);
        assertThat(read.ready.get().length()).isEqualTo(value.length);
    }

    @Test
    void knownHoldersOfDataShardsAreAskedAloneForTheirShardInValueOrder() throws Exception {
        ranks.answered(11L, 1);
        ranks.answered(12L, 2);
        StripedRead read = start();
        assertThat(asked.keySet()).as("data shard 1 first, from its holder only; nothing to decode")
                .containsExactlyInAnyOrder("11@0", "11@" + STRIPE, "11@" + 2 * STRIPE);
        send(11L, 0);
        assertThat(read.ready).isCompleted();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        ByteArrayOutputStream out = writeOut(read.ready.get(), failed);
        await().atMost(Duration.ofSeconds(5)).until(() -> written(out) == size + STRIPE);
        for (long peer : List.of(11L, 12L)) {
            for (int offset = 0; offset < size; offset += STRIPE) {
                int at = offset;
                await().atMost(Duration.ofSeconds(5)).until(() -> asked.containsKey(peer + "@" + at));
                if (!asked.get(peer + "@" + at).isDone()) send(peer, at);
            }
        }
        writer.join(5_000);
        assertThat(failed.get()).isNull();
        assertThat(out.toByteArray()).isEqualTo(value);
        assertThat(asked).as("k - 1 shards in all, no parity").hasSize(8);
    }

    @Test
    void aLikelyHolderSendingAnotherShardMakesTheRoundGatherK() throws Exception {
        ranks.answered(11L, 1);
        StripedRead read = start();
        asked.get("11@0").complete(new Share(false, slice(3, 0))); // it holds parity now
        assertThat(asked).as("one more shard for a decode").containsKey("12@0");
        send(12L, 0);
        assertThat(read.ready).isCompleted();
    }

    @Test
    void aSlowLikelyHolderIsHedgedWithEnoughSharesToDecodeNotEveryMember() throws Exception {
        ranks.answered(11L, 1);
        ranks.answered(12L, 2);
        StripedRead read = start();
        hedges.getFirst().run(); // 11 does not answer its range of stripe 0
        assertThat(asked).as("two shards besides ours decode the stripe").containsKeys("12@0", "13@0")
                .doesNotContainKey("14@0");
        send(12L, 0);
        send(13L, 0);
        assertThat(read.ready).isCompleted();
    }

    private byte[] slice(int id, int offset) {
        Fragment f = fragments[id];
        return new Fragment(f.k(), f.m(), f.id(), f.clear(), f.codedLength(),
                Arrays.copyOfRange(f.shard(), offset, offset + Math.min(STRIPE, size - offset))).toBytes();
    }

    @Test
    void aSlowHolderIsHedgedPerStripe() throws Exception {
        StripedRead read = start();
        send(12L, 0);
        hedges.getFirst().run(); // 11 does not answer stripe 0
        assertThat(asked).containsKeys("13@0", "14@0");
        send(14L, 0);
        assertThat(read.ready).isCompleted();
        assertThat(ranks.order(PEERS, 3, 0).getLast()).as("the slow one asked last next time").isEqualTo(11L);
    }

    @Test
    void aShareOfAnotherWriteIsRefusedAndTheNextHolderAsked() throws Exception {
        StripedRead read = start();
        Fragment[] other = new FragmentCodec(CODER).encode(ShareRoundTest.concat("put:kez:len".getBytes(), value), CLEAR.length);
        Fragment f = other[1];
        asked.get("11@0").complete(new Share(false, new Fragment(f.k(), f.m(), f.id(), f.clear(), f.codedLength(),
                Arrays.copyOf(f.shard(), STRIPE)).toBytes()));
        asked.get("12@0").complete(new Share(false, Arrays.copyOf(fragments[2].toBytes(), 100))); // not the range asked
        assertThat(asked).containsKeys("13@0", "14@0");
        send(13L, 0);
        send(14L, 0);
        answerTheRest(read);
    }

    @Test
    void aHolderIgnoringTheRangeIsUsedAndNotAskedForLaterStripes() throws Exception {
        StripedRead read = start();
        asked.get("11@0").complete(new Share(false, fragments[1].toBytes())); // a member from before ranges
        send(12L, 0);
        assertThat(read.ready).isCompleted();
        assertThat(asked).as("stripe 3 needs one more shard only, and not the one it has whole")
                .containsKey("12@" + 3 * STRIPE).doesNotContainKey("11@" + 3 * STRIPE);
        for (int offset = STRIPE; offset < size; offset += STRIPE) {
            CompletableFuture<Share> old = asked.get("11@" + offset);
            if (old != null && !old.isDone()) old.complete(new Share(false, fragments[1].toBytes()));
            CompletableFuture<Share> ranged = asked.get("12@" + offset);
            if (ranged != null && !ranged.isDone()) send(12L, offset);
        }
        AtomicReference<Throwable> failed = new AtomicReference<>();
        ByteArrayOutputStream out = writeOut(read.ready.get(), failed);
        writer.join(5_000);
        assertThat(failed.get()).isNull();
        assertThat(out.toByteArray()).isEqualTo(value);
    }

    @Test
    void aFailureBeforeTheFirstStripeIsAnErrorAndAfterItCutsTheBody() throws Exception {
        StripedRead read = start();
        send(11L, 0);
        send(12L, 0);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        ByteArrayOutputStream out = writeOut(read.ready.get(), failed);
        hedges.get(1).run(); // stripe 1: nobody has it
        for (long p : PEERS) asked.get(p + "@" + STRIPE).complete(null);
        writer.join(5_000);
        assertThat(failed.get()).isInstanceOf(IOException.class).hasMessageContaining("cannot finish");
        assertThat(written(out)).as("cut short, never padded").isLessThan(value.length).isEqualTo(size + STRIPE);

        asked.clear();
        int before = hedges.size();
        StripedRead second = start();
        hedges.get(before).run();
        for (long p : PEERS) asked.get(p + "@0").complete(null);
        assertThatThrownBy(() -> second.ready.get()).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("fewer than 3 fragments");
    }

    @Test
    void aWholeCopyFinishesTheRead() throws Exception {
        StripedRead read = start();
        asked.get("12@0").complete(new Share(true, value));
        AtomicReference<Throwable> failed = new AtomicReference<>();
        ByteArrayOutputStream out = writeOut(read.ready.get(), failed);
        writer.join(5_000);
        assertThat(out.toByteArray()).isEqualTo(value);
    }

    /** Answers every stripe from the holders asked for it, then writes the value out and checks it. */
    private void answerTheRest(StripedRead read) throws Exception {
        for (int offset = 0; offset < size; offset += STRIPE) {
            for (long p : List.of(13L, 14L)) {
                CompletableFuture<Share> ask = asked.get(p + "@" + offset);
                if (ask == null && offset > 0) {
                    ask = asked.get((p - 2) + "@" + offset);
                    if (ask != null && !ask.isDone()) send(p - 2, offset);
                } else if (ask != null && !ask.isDone()) {
                    send(p, offset);
                }
            }
        }
        AtomicReference<Throwable> failed = new AtomicReference<>();
        ByteArrayOutputStream out = writeOut(read.ready.get(), failed);
        writer.join(5_000);
        assertThat(failed.get()).isNull();
        assertThat(out.toByteArray()).isEqualTo(value);
    }
}
