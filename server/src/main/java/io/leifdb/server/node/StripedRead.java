package io.leifdb.server.node;

import io.leifdb.raft.craft.ErasureCoder;
import io.leifdb.raft.craft.Fragment;
import io.leifdb.server.http.ValueStream;
import io.leifdb.server.kv.KeyValue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A coded read that goes out while its shares come in. The shards are cut into stripes (the same
 * byte range of every shard), and the value is data shard 0, then 1, ... (the coder's layout), so
 * the read takes its parts (data shard i, stripe s) in value order, a few rounds in flight: a data
 * shard whose holder {@link ShareRanks} knows is asked of that holder alone, range by range (nothing
 * to decode, and the link brings the next part to go out first); the others come from a
 * {@link ShareRound} over the stripe that decodes it alone once k slices are in (Reed-Solomon works
 * per byte position), seeded with the slices the read already has. At most k - 1 shards cross the
 * link. Before, a 1 MiB read from a follower took the gather (2/3 MiB in) and then the answer (1 MiB
 * out). {@link #ready} completes once a round succeeded: the caller answers an error cleanly until
 * then, and after it a failure can only cut the body short (the caller has sent a Content-Length,
 * so the cut shows). Thread-safe.
 */
final class StripedRead {
    /** Bytes of each shard per stripe: big enough that a GetShare's own cost is small against it. */
    static final int STRIPE = 64 * 1024;
    /** Rounds at once: enough to keep the reader's link busy across the round trips. */
    static final int IN_FLIGHT = 3;
    /** How long {@link #writeTo} waits for the next part; every round ends well within it (its asks time out). */
    private static final Duration STALL = Duration.ofSeconds(10);

    /** How the read's rounds are run (see {@link #rounds}). */
    interface Rounds {
        /** The holder that last sent data shard {@code id}, or -1. */
        long holderOf(int id);

        /**
         * Starts a round for {@code length} bytes of every shard from {@code offset}, seeded with the
         * shards {@code known} whole and this range's slices in {@code pool}; {@code target} as in ShareRound.
         */
        CompletableFuture<ShareRound.Gathered> start(int offset, int length, byte[][] known, byte[][] pool, int target);
    }

    /** Completes once the first round succeeded (or a whole copy came); exceptionally when it could not. */
    final CompletableFuture<ValueStream> ready = new CompletableFuture<>();
    private final KeyValue v;
    private final int k;
    private final Fragment mine;
    private final int size;
    private final int stripes;
    private final Rounds rounds;
    /** Whole shards by fragment id, ours and any a holder sent whole; shared with the rounds. */
    private final byte[][] known;
    /** Per stripe, the slices of each shard by fragment id that rounds got; shared with them. */
    private final byte[][][] pool;
    /** Data shards fetched alone from their likely holder, in value order (no decoding needed). */
    private final boolean[] direct;
    /** The value, filled part by part; a part is read only after it is marked here. */
    private final byte[] value;
    private final boolean[][] filled;
    private final boolean[] stripeAsked;
    /** Parts (data shard i, stripe s) are taken in value order: i * stripes + s; those before it are started. */
    private int nextPart;
    private int inFlight;
    private boolean whole;
    private Throwable failure;

    StripedRead(ErasureCoder coder, Fragment mine, KeyValue v, Rounds rounds) {
        this.v = v;
        this.k = coder.dataShards();
        this.mine = mine;
        this.size = coder.shardSize(mine.codedLength());
        this.stripes = (size + STRIPE - 1) / STRIPE;
        this.rounds = rounds;
        this.known = new byte[k + coder.parityShards()][];
        known[mine.id()] = mine.shard();
        this.pool = new byte[stripes][k + coder.parityShards()][];
        this.value = new byte[mine.codedLength()];
        this.filled = new boolean[k][stripes];
        this.stripeAsked = new boolean[stripes];
        if (mine.id() < k) copy(mine.id(), 0, mine.shard(), 0, size); // our own data shard goes out as it is
        // With k - 1 data shards besides ours in hand nothing needs decoding; a data shard whose holder is not
        // known (the leader holds it whole) comes decoded from ours and the others' slices of the same stripe.
        this.direct = new boolean[k];
        int chosen = 0;
        for (int i = 0; i < k && chosen < k - 1; i++) {
            if (i != mine.id() && rounds.holderOf(i) >= 0) {
                direct[i] = true;
                chosen++;
            }
        }
    }

    /** Whether {@code mine} is worth striping: more than one stripe per shard. */
    static boolean worthIt(ErasureCoder coder, Fragment mine) {
        return coder.shardSize(mine.codedLength()) > STRIPE && coder.dataShards() > 1;
    }

    StripedRead start() {
        synchronized (this) {
            startMore();
        }
        return this;
    }

    /** Starts rounds for the next parts in value order that are neither in hand nor on their way. */
    private void startMore() {
        while (inFlight < IN_FLIGHT && nextPart < k * stripes && failure == null && !whole) {
            int i = nextPart / stripes;
            int s = nextPart++ % stripes;
            if (i == mine.id() || filled[i][s]) continue;
            int offset = s * STRIPE;
            int length = Math.min(STRIPE, size - offset);
            int target;
            if (direct[i]) {
                target = i;
            } else if (!stripeAsked[s]) {
                stripeAsked[s] = true;
                target = -1;
            } else {
                continue; // the round decoding this stripe is on its way
            }
            inFlight++;
            rounds.start(offset, length, known, pool[s], target)
                    .whenComplete((g, error) -> finished(s, offset, length, g, error));
        }
    }

    private synchronized void finished(int s, int offset, int length, ShareRound.Gathered g, Throwable error) {
        inFlight--;
        if (whole || failure != null) return;
        if (error != null) {
            failure = error;
            ready.completeExceptionally(error);
        } else if (g.whole()) {
            if (g.bytes().length != value.length) {
                failure = new IOException("a member's copy of " + v.key() + " has " + g.bytes().length
                        + " bytes, the write " + value.length);
                ready.completeExceptionally(failure);
            } else {
                System.arraycopy(g.bytes(), 0, value, 0, value.length);
                whole = true;
                ready.complete(stream());
            }
        } else if (g.only() >= 0) {
            copy(g.only(), offset, g.bytes(), 0, length);
            filled[g.only()][s] = true;
            ready.complete(stream());
        } else {
            for (int i = 0; i < k; i++) {
                copy(i, offset, g.bytes(), i * length, length);
                filled[i][s] = true;
            }
            ready.complete(stream());
        }
        startMore();
        notifyAll();
    }

    /** Copies {@code n} bytes of data shard {@code i} from shard offset {@code at} into the value (padding dropped). */
    private void copy(int i, int at, byte[] from, int fromOffset, int n) {
        int to = i * size + at;
        int len = Math.min(n, value.length - to);
        if (len > 0) System.arraycopy(from, fromOffset, value, to, len);
    }

    private ValueStream stream() {
        return new ValueStream(v, value.length, this::writeTo);
    }

    /** Writes the value in order, each part as soon as its stripe is decoded. */
    void writeTo(OutputStream out) throws IOException {
        for (int i = 0; i < k; i++) {
            for (int s = 0; s < stripes; s++) {
                int from = i * size + s * STRIPE;
                int to = Math.min(Math.min(i * size + (s + 1) * STRIPE, (i + 1) * size), value.length);
                if (from >= to) return; // the rest is padding
                await(i, s);
                out.write(value, from, to - from);
            }
        }
    }

    /** Waits until data shard {@code i}'s part of stripe {@code s} is in the value. */
    private synchronized void await(int i, int s) throws IOException {
        long deadline = System.nanoTime() + STALL.toNanos();
        while (!whole && !filled[i][s] && i != mine.id()) {
            if (failure != null) throw new IOException("cannot finish the value of " + v.key() + ": " + failure.getMessage(), failure);
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new IOException("no stripe of " + v.key() + " arrived within " + STALL.toSeconds() + " s");
            try {
                wait(left / 1_000_000 + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while streaming " + v.key());
            }
        }
    }

    /**
     * The rounds of a read as {@link FragmentGatherer} runs them: each asks {@code peers} in the order
     * {@code ranks} gives when it starts, after what the earlier rounds taught, the holders of shards the
     * read already has whole last, and a round for one data shard that shard's likely holder first.
     */
    static Rounds rounds(ErasureCoder coder, Fragment mine, KeyValue v, List<Long> peers, ShareRound.Fetch fetch,
                         Duration timeout, ShareRanks ranks, Supplier<Executor> hedge) {
        return new Rounds() {
            @Override
            public long holderOf(int id) {
                return ranks.holderOf(id, peers);
            }

            @Override
            public CompletableFuture<ShareRound.Gathered> start(int offset, int length, byte[][] known, byte[][] pool,
                                                                int target) {
                List<Long> order;
                synchronized (known) {
                    order = new ArrayList<>(ranks.order(peers, coder.dataShards(),
                            id -> id < known.length && known[id] != null));
                }
                long holder = target >= 0 ? ranks.holderOf(target, peers) : -1;
                if (holder >= 0) {
                    order.remove(holder);
                    order.addFirst(holder);
                }
                return new ShareRound(coder, mine, v, order, fetch, timeout, ranks, offset, length, known, pool, target)
                        .start(hedge.get()).result;
            }
        };
    }
}
