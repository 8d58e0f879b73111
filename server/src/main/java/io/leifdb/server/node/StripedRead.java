package io.leifdb.server.node;

import io.leifdb.raft.craft.ErasureCoder;
import io.leifdb.raft.craft.Fragment;
import io.leifdb.server.http.ValueStream;
import io.leifdb.server.kv.KeyValue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A coded read that goes out while its shares come in. The shards are cut into stripes (the same
 * byte range of every shard); each stripe is a {@link ShareRound} of its own over that range, a few
 * in flight, and decodes alone as soon as k slices of it arrived, because Reed-Solomon works per
 * byte position. The value is data shard 0, then 1, ... (the coder's layout), so {@link #writeTo}
 * sends data shard i's part of stripe s once that stripe is decoded and everything before it sent.
 * Without this a 1 MiB read from a follower took the gather (2/3 MiB in) plus the answer (1 MiB
 * out) one after the other. {@link #ready} completes once the first stripe decoded: the caller
 * answers an error cleanly until then, and after it a failure can only cut the body short (the
 * caller has sent a Content-Length, so the cut shows). Thread-safe.
 */
final class StripedRead {
    /** Bytes of each shard per stripe: big enough that a GetShare's own cost is small against it. */
    static final int STRIPE = 64 * 1024;
    /** Stripes gathered at once: enough to keep the reader's link busy across the round trips. */
    static final int IN_FLIGHT = 3;
    /** How long {@link #writeTo} waits for the next stripe; every round ends well within it (its asks time out). */
    private static final Duration STALL = Duration.ofSeconds(10);

    /** Starts the round for one stripe: offset and length of every shard, and the shards known whole. */
    interface Rounds {
        CompletableFuture<ShareRound.Gathered> start(int offset, int length, byte[][] known);
    }

    /** Completes with this read once the first stripe decoded (or a whole copy came); exceptionally when it could not. */
    final CompletableFuture<ValueStream> ready = new CompletableFuture<>();
    private final KeyValue v;
    private final int k;
    private final Fragment mine;
    private final int size;
    private final int stripes;
    private final Rounds rounds;
    /** Whole shards by fragment id, ours and any a holder sent whole; shared with the rounds. */
    private final byte[][] known;
    /** The value, filled stripe by stripe; a range is read only after its stripe is marked decoded. */
    private final byte[] value;
    private final boolean[] decoded;
    private int started;
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
        this.value = new byte[mine.codedLength()];
        this.decoded = new boolean[stripes];
        if (mine.id() < k) copy(mine.id(), 0, mine.shard(), 0, size); // our own data shard goes out as it is
    }

    /** Whether {@code mine} is worth striping: more than one stripe per shard. */
    static boolean worthIt(ErasureCoder coder, Fragment mine) {
        return coder.shardSize(mine.codedLength()) > STRIPE && coder.dataShards() > 1;
    }

    StripedRead start() {
        synchronized (this) {
            while (started < Math.min(IN_FLIGHT, stripes)) startNext();
        }
        return this;
    }

    private void startNext() {
        int s = started++;
        int offset = s * STRIPE;
        int length = Math.min(STRIPE, size - offset);
        rounds.start(offset, length, known).whenComplete((g, error) -> finished(s, offset, length, g, error));
    }

    private synchronized void finished(int s, int offset, int length, ShareRound.Gathered g, Throwable error) {
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
        } else {
            for (int i = 0; i < k; i++) copy(i, offset, g.bytes(), i * length, length);
            decoded[s] = true;
            if (s == 0) ready.complete(stream());
            if (started < stripes) startNext();
        }
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
        while (!whole && !decoded[s] && i != mine.id()) {
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
     * {@code ranks} gives when it starts, after what the earlier stripes taught, and the holders of shards
     * the read already has whole last.
     */
    static Rounds rounds(ErasureCoder coder, Fragment mine, KeyValue v, List<Long> peers, ShareRound.Fetch fetch,
                         Duration timeout, ShareRanks ranks, Supplier<Executor> hedge) {
        return (offset, length, known) -> {
            List<Long> order;
            synchronized (known) {
                order = ranks.order(peers, coder.dataShards(), id -> id < known.length && known[id] != null);
            }
            return new ShareRound(coder, mine, v, order, fetch, timeout, ranks, offset, length, known)
                    .start(hedge.get()).result;
        };
    }
}
