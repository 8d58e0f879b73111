package io.leifdb.server.node;

import io.leifdb.raft.craft.ErasureCoder;
import io.leifdb.raft.craft.Fragment;
import io.leifdb.raft.driver.OutcomeUnknownException;
import io.leifdb.server.kv.KeyValue;
import io.leifdb.server.transport.ShareSource.Share;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One read's collection of shares of a coded value, or of one stripe of it (the same byte range of
 * every shard, see {@link StripedRead}). It asks only as many holders as it still
 * needs (k distinct shards, its own included), in the order {@link ShareRanks} prefers, and asks
 * the next one when an answer is missing, malformed, of another codeword or a shard it already
 * has. Asking every holder at once made each 1 MiB read pull up to twice the bytes it needs
 * through the reader's link (a whole copy from the leader besides the fragments). A holder that
 * has not answered when the hedge fires is passed over: the round asks all the others then.
 * Completes with the value (or the stripe's decoded bytes) once k distinct shards of its own
 * codeword arrived, or with a whole copy; exceptionally when every holder answered and fewer than k
 * shards came. A holder that sends its whole fragment for a range (one from before ranges) is used:
 * its range is cut out here, and the whole shard kept in {@code known} for the read's later stripes.
 */
final class ShareRound {
    /** Asks one holder for its share; the contract of {@code GrpcTransport.fetchShare}. */
    interface Fetch {
        CompletableFuture<Share> share(long peer, String key, long revision, long index, long term, int shardOffset,
                                       int shardLength, Duration timeout);
    }

    /**
     * What a round gathered: the whole value (a holder had it whole), or the decoded data of its range:
     * for the full range the value, for a stripe of length L the k data shards' L bytes, one after
     * another ({@code only} -1), or just data shard {@code only}'s L bytes (a round that wanted that one).
     */
    record Gathered(boolean whole, int only, byte[] bytes) {
    }

    final CompletableFuture<Gathered> result = new CompletableFuture<>();
    private final ErasureCoder coder;
    private final Fragment mine;
    private final KeyValue v;
    private final List<Long> order;
    private final Fetch fetch;
    private final Duration timeout;
    private final ShareRanks ranks;
    private final long started = System.nanoTime();
    /** The range of every shard this round gathers; {@code length == fullSize}: all of it. */
    private final int offset;
    private final int length;
    private final int fullSize;
    /** Whole shards by fragment id known before the round (ours) or learnt by it; guarded by itself. */
    private final byte[][] known;
    /** This range of each shard by fragment id, as the read's rounds got them (null: none); guarded by itself. */
    private final byte[][] pool;
    /** The data shard this round wants alone (asking its likely holder only), or -1: any k shards, decoded. */
    private int target;
    /** The range of each shard of our codeword by fragment id; ours is in from the start. */
    private final byte[][] shards;
    private int distinct;
    /** order[0, next) have been asked; {@code pending} of them have not answered. */
    private int next;
    private final Set<Long> pending = new HashSet<>();

    /** A round for the whole value. */
    ShareRound(ErasureCoder coder, Fragment mine, KeyValue v, List<Long> order, Fetch fetch, Duration timeout,
               ShareRanks ranks) {
        this(coder, mine, v, order, fetch, timeout, ranks, 0, coder.shardSize(mine.codedLength()), null, null, -1);
    }

    /**
     * A round for {@code length} bytes of every shard from {@code offset}; {@code known} holds whole
     * shards by fragment id (null: only ours) and {@code pool} this range of shards, both shared by the
     * rounds of one read. With {@code target} a data shard, the round asks one holder, the first in
     * {@code order}, for that shard's range and ends with it; any other answer makes it gather k.
     */
    ShareRound(ErasureCoder coder, Fragment mine, KeyValue v, List<Long> order, Fetch fetch, Duration timeout,
               ShareRanks ranks, int offset, int length, byte[][] known, byte[][] pool, int target) {
        this.coder = coder;
        this.mine = mine;
        this.v = v;
        this.order = order;
        this.fetch = fetch;
        this.timeout = timeout;
        this.ranks = ranks;
        this.offset = offset;
        this.length = length;
        this.fullSize = coder.shardSize(mine.codedLength());
        this.shards = new byte[coder.dataShards() + coder.parityShards()][];
        if (known == null) {
            known = new byte[shards.length][];
            known[mine.id()] = mine.shard();
        }
        this.known = known;
        this.pool = pool;
        this.target = target;
        synchronized (known) {
            for (int id = 0; id < shards.length; id++) {
                if (known[id] != null) {
                    shards[id] = range(known[id]);
                    distinct++;
                }
            }
        }
        if (pool != null) {
            synchronized (pool) {
                for (int id = 0; id < shards.length; id++) {
                    if (shards[id] == null && pool[id] != null) {
                        shards[id] = pool[id];
                        distinct++;
                    }
                }
            }
        }
    }

    /** Ends the round if what it has is enough: k shards, or the one it wants. */
    private boolean enough() {
        if (distinct >= coder.dataShards()) {
            decode();
            return true;
        }
        if (target >= 0 && shards[target] != null) {
            finished();
            result.complete(new Gathered(false, target, shards[target]));
            return true;
        }
        return false;
    }

    private byte[] range(byte[] shard) {
        return offset == 0 && length == shard.length ? shard : Arrays.copyOfRange(shard, offset, offset + length);
    }

    /** Sends the first asks; {@code hedge} runs the hedge once (a delayed executor outside tests). */
    ShareRound start(Executor hedge) {
        synchronized (this) {
            if (!enough()) askEnough(); // k = 1: our own shard is the value
        }
        if (!result.isDone()) hedge.execute(this::hedge);
        return this;
    }

    /**
     * The holders asked so far that have not answered: slow, so later rounds ask them last. A round
     * that wanted one shard asks for enough to decode instead; any other round asks everyone left.
     */
    private void hedge() {
        synchronized (this) {
            if (result.isDone()) return;
            ranks.slow(List.copyOf(pending));
            if (target >= 0) {
                target = -1;
                int more = coder.dataShards() - distinct;
                for (int i = 0; i < more && next < order.size(); i++) ask(order.get(next++));
                return;
            }
            while (next < order.size()) ask(order.get(next++));
        }
    }

    /** Keeps enough asks outstanding to reach k if every one of them brings a new shard. */
    private void askEnough() {
        while (!result.isDone() && pending.size() < (target >= 0 ? 1 : coder.dataShards() - distinct)
                && next < order.size()) {
            ask(order.get(next++));
        }
        if (!result.isDone() && pending.isEmpty() && distinct < coder.dataShards()) fail();
    }

    private void ask(long peer) {
        pending.add(peer);
        // A peer that is down may fail at once, on this thread: answer() then runs nested (the lock is
        // reentrant) and the loops that called ask() re-check the state after it.
        int asked = length == fullSize ? 0 : length; // 0 asks for the whole fragment, as before ranges
        fetch.share(peer, v.key(), v.modRevision(), v.coded().index(), v.coded().term(), asked == 0 ? 0 : offset, asked,
                        timeout)
                .whenComplete((share, error) -> answer(peer, error == null ? share : null));
    }

    private synchronized void answer(long peer, Share share) {
        pending.remove(peer);
        if (share != null && share.whole()) {
            ranks.answered(peer, ShareRanks.WHOLE);
            if (result.isDone()) return;
            finished();
            result.complete(new Gathered(true, -1, share.bytes()));
            return;
        }
        if (result.isDone()) {
            ranks.answered(peer, share == null ? ShareRanks.NONE : ShareRanks.SAME);
            return;
        }
        int id = share == null ? ShareRanks.NONE : add(share.bytes());
        ranks.answered(peer, id);
        if (enough()) return;
        target = -1; // its likely holder sent something else: gather k instead
        askEnough();
    }

    /**
     * Takes a fragment only if it is a new shard of our codeword (same code, clear part and length)
     * whose shard is our range or the whole shard.
     *
     * @return its fragment id, or {@link ShareRanks#NONE} when it is malformed or of another codeword
     */
    private int add(byte[] bytes) {
        Fragment f;
        try {
            f = Fragment.fromBytes(bytes);
        } catch (IllegalArgumentException malformed) {
            return ShareRanks.NONE; // counts as no share
        }
        if (!f.sameCodeword(mine) || f.id() >= shards.length
                || (f.shard().length != length && f.shard().length != fullSize)) {
            return ShareRanks.NONE;
        }
        if (shards[f.id()] == null) {
            if (f.shard().length == fullSize && length != fullSize) {
                synchronized (known) {
                    known[f.id()] = f.shard(); // the holder ignored the range: later stripes cut it here
                }
            }
            shards[f.id()] = f.shard().length == length ? f.shard() : range(f.shard());
            distinct++;
            if (pool != null) {
                synchronized (pool) {
                    pool[f.id()] = shards[f.id()];
                }
            }
        }
        return f.id();
    }

    private void decode() {
        // The coded part is exactly the value (the clear part is the command before it): decode straight into
        // it. Reed-Solomon works per byte position, so a stripe decodes alone into its k data ranges.
        byte[] data;
        try {
            data = coder.decode(shards, length == fullSize ? mine.codedLength() : length * coder.dataShards());
        } catch (RuntimeException e) {
            result.completeExceptionally(e); // never leave the read waiting for its timeout
            return;
        }
        finished();
        result.complete(new Gathered(false, -1, data));
    }

    private void fail() {
        result.completeExceptionally(new OutcomeUnknownException("value of " + v.key()
                + " is erasure-coded and fewer than " + coder.dataShards() + " fragments of revision "
                + v.modRevision() + " are reachable; retry"));
    }

    private void finished() {
        ranks.took(Duration.ofNanos(System.nanoTime() - started));
    }
}
