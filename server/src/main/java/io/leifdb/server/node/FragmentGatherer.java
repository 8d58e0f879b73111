package io.leifdb.server.node;

import io.leifdb.raft.craft.ErasureCoder;
import io.leifdb.raft.craft.Fragment;
import io.leifdb.raft.craft.ReedSolomonCoder;
import io.leifdb.server.http.ValueStream;
import io.leifdb.server.kv.CodedValue;
import io.leifdb.server.kv.KeyValue;
import io.leifdb.server.kv.KvStore;
import io.leifdb.server.kv.KeyPage;
import io.leifdb.server.kv.Utf8;
import io.leifdb.server.transport.GrpcTransport;
import io.leifdb.server.transport.ShareSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * CRaft reads: a replica that holds a value only as its fragment asks the other members for
 * their shares of the same write (index, term), as few as it needs and the likeliest first
 * ({@link ShareRanks}), and rebuilds the value from k distinct fragments or takes a whole copy. It also answers the members' requests from its
 * own store and log. Thread-safe; never blocks the caller (answers arrive on transport threads).
 */
final class FragmentGatherer implements ShareSource {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final KvStore kv;
    private final ShareRound.Fetch fetch;
    private final List<Long> peers;
    private final Consumer<DriverEvent> driver;
    /** One coder per (k, m): Reed-Solomon tables are built once. */
    private final Map<Long, ErasureCoder> coders = new ConcurrentHashMap<>();
    private final ShareRanks ranks = new ShareRanks();
    /** Striped reads learn apart: a stripe's round is shorter, and its timing would hedge whole rounds too early. */
    private final ShareRanks stripeRanks = new ShareRanks();

    FragmentGatherer(KvStore kv, GrpcTransport transport, List<Long> peers, Consumer<DriverEvent> driver) {
        this(kv, transport::fetchShare, peers, driver);
    }

    FragmentGatherer(KvStore kv, ShareRound.Fetch fetch, List<Long> peers, Consumer<DriverEvent> driver) {
        this.kv = kv;
        this.fetch = fetch;
        this.peers = List.copyOf(peers);
        this.driver = driver;
    }

    /**
     * Our share of a write: from the store while the key's current value is that write, else
     * from the log while it still holds that entry (a newer write replaced the value, or this
     * replica has not applied it yet). The log belongs to the driver thread, so that look-up is
     * an event; its answer is handed back on another thread to keep the driver's work short.
     */
    @Override
    public CompletableFuture<Share> lookup(String key, long revision, long index, long term) {
        KeyValue v = kv.get(key).orElse(null);
        // A member from before revisions were sent asks for a put's value: its revision is its index.
        long rev = revision > 0 ? revision : index;
        if (v != null && v.coded() == null && v.modRevision() == rev) {
            return CompletableFuture.completedFuture(new Share(true, v.value()));
        }
        if (v != null && v.coded() != null && v.coded().index() == index && v.coded().term() == term) {
            // Applied entries are committed, so an applied share of this (index, term) is of the entry asked for.
            return CompletableFuture.completedFuture(new Share(false, v.coded().fragment()));
        }
        CompletableFuture<Share> fromLog = new CompletableFuture<>();
        driver.accept(new DriverEvent.ShareLookup(key, index, term, fromLog));
        return fromLog.thenApplyAsync(share -> share);
    }

    /** CRaft repair: what the store holds of a range of keys; values are read one at a time (see RepairScrub). */
    @Override
    public Summary summary(String afterKey, String lastKey, int limit) {
        KeyPage page = kv.listKeys("", "", afterKey, limit, Long.MAX_VALUE);
        byte[] last = lastKey.getBytes(StandardCharsets.UTF_8);
        List<Held> held = new ArrayList<>(page.keys().size());
        for (String key : page.keys()) {
            if (Arrays.compareUnsigned(key.getBytes(StandardCharsets.UTF_8), last) > 0) return new Summary(held, false);
            kv.get(key).ifPresent(v -> held.add(held(v)));
        }
        return new Summary(held, page.next().isPresent());
    }

    /** What this member stores of {@code v}; a malformed fragment is reported as no share (id -2). */
    static Held held(KeyValue v) {
        if (v.coded() == null) return new Held(v.key(), v.modRevision(), 0, 0, WHOLE, 0, 0);
        try {
            Fragment f = v.coded().parse();
            return new Held(v.key(), v.modRevision(), v.coded().index(), v.coded().term(), f.id(), f.k(), f.m());
        } catch (IllegalArgumentException malformed) {
            return new Held(v.key(), v.modRevision(), 0, 0, -2, 0, 0); // counts as no share
        }
    }

    /** The whole value at {@code revision} of the write {@code own} is a fragment of (snapshots, backups). */
    CompletableFuture<byte[]> value(String key, long revision, CodedValue own) {
        return whole(new KeyValue(key, new byte[0], revision, revision, 1, own)).thenApply(KeyValue::value);
    }

    /** {@code v} with its value whole: as is, or rebuilt from the members' fragments (see {@link ShareRound}). */
    CompletableFuture<KeyValue> whole(KeyValue v) {
        CodedValue own = v.coded();
        if (own == null) return CompletableFuture.completedFuture(v);
        Fragment mine = own.parse();
        ErasureCoder coder = coderFor(mine);
        List<Long> order = ranks.order(peers, mine.k(), mine.id());
        return new ShareRound(coder, mine, v, order, fetch, TIMEOUT, ranks).start(hedge(ranks)).result
                .thenApply(g -> v.withValue(g.bytes()));
    }

    /**
     * {@code v}'s value to write out: as is, or gathered stripe by stripe while it is written (see
     * {@link StripedRead}) once its first stripe decoded, with the kind its entry recorded; a value of a
     * stripe or less is gathered whole first, and so is one for a JSON answer ({@code asText}) whose entry
     * recorded no kind (written before kinds were), since its JSON form is then found from all its bytes.
     */
    CompletableFuture<ValueStream> stream(KeyValue v, boolean asText) {
        if (v.coded() == null) return CompletableFuture.completedFuture(ValueStream.of(v));
        Fragment mine = v.coded().parse();
        ErasureCoder coder = coderFor(mine);
        Utf8.Kind kind = CodedValue.kind(mine);
        if (!StripedRead.worthIt(coder, mine) || (asText && kind == null)) return whole(v).thenApply(ValueStream::of);
        StripedRead.Rounds rounds = StripedRead.rounds(coder, mine, v, peers, fetch, TIMEOUT, stripeRanks,
                () -> hedge(stripeRanks));
        return new StripedRead(coder, mine, v, rounds).start().ready.thenApply(s -> s.withKind(kind));
    }

    private ErasureCoder coderFor(Fragment f) {
        return coders.computeIfAbsent(((long) f.k() << 32) | f.m(), km -> new ReedSolomonCoder(f.k(), f.m()));
    }

    private static Executor hedge(ShareRanks r) {
        return CompletableFuture.delayedExecutor(r.hedgeDelay().toNanos(), TimeUnit.NANOSECONDS);
    }
}
