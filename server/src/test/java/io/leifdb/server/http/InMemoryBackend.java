package io.leifdb.server.http;

import io.leifdb.server.kv.KeyPage;
import io.leifdb.server.kv.KeyValue;
import io.leifdb.server.kv.Precondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A single-node KvBackend in memory, for HTTP tests: revisions, preconditions and paging behave as the
 * node promises. {@link #failNext} makes every call fail, to drive the error paths.
 */
class InMemoryBackend implements KvBackend {
    /** Guarded by this; tests read it only between requests. */
    final TreeMap<String, KeyValue> data = new TreeMap<>();
    private long revision;
    private volatile Supplier<Throwable> failure;
    private volatile boolean hang;
    volatile Boolean lastLinearizable;
    volatile Precondition lastPrecondition;
    /** Pretends erasure coding is on (see {@link KvBackend#valuesCoded}). */
    volatile boolean coded;
    volatile NodeStatus status = new NodeStatus(1, "LEADER", 3, 1, Optional.of("127.0.0.1:8080"), 42, 41,
            "9.9.9-test", List.of(
                    new NodeStatus.MemberStatus(1, "127.0.0.1:16990", "127.0.0.1:8080", "LEADER", true, 42, 0, 0, true),
                    new NodeStatus.MemberStatus(2, "127.0.0.1:16991", "127.0.0.1:8081", "FOLLOWER", true, 40, 2, 12, true),
                    new NodeStatus.MemberStatus(3, "127.0.0.1:16992", "127.0.0.1:8082", "FOLLOWER", true, -1, -1, 9000, false)),
            "full", 1, false);

    /** Every later call fails with what {@code f} supplies, until {@code failNext(null)}. */
    void failNext(Supplier<Throwable> f) {
        failure = f;
    }

    /** Every later call returns a future that never completes. */
    void hang(boolean on) {
        hang = on;
    }

    @Override
    public synchronized CompletableFuture<WriteOutcome> put(String key, byte[] value, Precondition pre) {
        lastPrecondition = pre;
        return answer(() -> {
            check(key, pre);
            KeyValue old = data.get(key);
            long rev = ++revision;
            data.put(key, new KeyValue(key, value.clone(), old == null ? rev : old.createRevision(), rev,
                    old == null ? 1 : old.version() + 1));
            return new WriteOutcome(rev);
        });
    }

    @Override
    public synchronized CompletableFuture<WriteOutcome> delete(String key, Precondition pre) {
        lastPrecondition = pre;
        return answer(() -> {
            check(key, pre);
            data.remove(key);
            return new WriteOutcome(++revision);
        });
    }

    @Override
    public synchronized CompletableFuture<Optional<KeyValue>> get(String key, boolean linearizable) {
        lastLinearizable = linearizable;
        return answer(() -> Optional.ofNullable(data.get(key)));
    }

    @Override
    public synchronized CompletableFuture<KeyPage> list(String prefix, String delimiter, String after, int limit,
                                                     long maxValueBytes, boolean linearizable) {
        lastLinearizable = linearizable;
        return answer(() -> {
            if (!delimiter.isEmpty()) {
                throw notHere("folds no keys by a delimiter");
            }
            List<String> items = new ArrayList<>();
            long bytes = 0;
            Map<String, KeyValue> tail = after.isEmpty() ? data.tailMap(prefix, true) : data.tailMap(after, false);
            boolean more = false;
            for (KeyValue kv : tail.values()) {
                if (!kv.key().startsWith(prefix)) {
                    if (kv.key().compareTo(prefix) > 0) {
                        break;
                    }
                    continue;
                }
                if (items.size() == limit || (!items.isEmpty() && bytes + kv.value().length > maxValueBytes)) {
                    more = true;
                    break;
                }
                bytes += kv.value().length;
                items.add(kv.key());
            }
            return new KeyPage(items, more ? Optional.of(items.getLast()) : Optional.empty());
        });
    }

    /** Listings folded by a delimiter, and counts, run in the store; the node's tests cover them (ListNodeTest). */
    @Override
    public CompletableFuture<Long> count(String prefix, String delimiter, boolean linearizable) {
        return answer(() -> {
            throw notHere("counts no keys");
        });
    }

    /** When set, the watch history starts here (to drive the 410). */
    volatile long historyFloor;

    /** Watches need the store's history; the node's tests cover them (WatchNodeTest). */
    @Override
    public io.leifdb.server.kv.Watcher watch(String key, String prefix, long afterRevision) {
        if (afterRevision >= 0 && afterRevision + 1 < historyFloor) {
            throw new io.leifdb.server.kv.HistoryCompactedException(historyFloor);
        }
        throw notHere("keeps no watch history");
    }

    private static ApiError notHere(String what) {
        return new ApiError(io.helidon.http.Status.NOT_IMPLEMENTED_501, "not_supported", "the in-memory test backend " + what);
    }

    /**
     * When set, reads write the value as this says (a coded value streamed while it is gathered); JSON reads
     * take it only with a kind, as a node does (a stream of no recorded kind is gathered whole first).
     */
    volatile java.util.function.Function<KeyValue, ValueStream> streams;

    @Override
    public CompletableFuture<Optional<ValueStream>> getStream(String key, boolean linearizable, boolean asText) {
        java.util.function.Function<KeyValue, ValueStream> s = streams;
        return get(key, linearizable).thenApply(found -> found.map(kv -> {
            ValueStream v = s == null ? ValueStream.of(kv) : s.apply(kv);
            return asText && v.kind() == null ? ValueStream.of(kv) : v;
        }));
    }

    @Override
    public synchronized CompletableFuture<Optional<KeyValue>> listedValue(String key) {
        return answer(() -> Optional.ofNullable(data.get(key)));
    }

    @Override
    public NodeStatus status() {
        return status;
    }

    private void check(String key, Precondition pre) {
        KeyValue cur = data.get(key);
        long curRev = cur == null ? 0 : cur.modRevision();
        if (!pre.holds(curRev)) {
            throw new PreconditionFailedException(curRev);
        }
    }

    private <T> CompletableFuture<T> answer(Supplier<T> body) {
        if (hang) {
            return new CompletableFuture<>();
        }
        Supplier<Throwable> f = failure;
        if (f != null) {
            return CompletableFuture.failedFuture(f.get());
        }
        try {
            return CompletableFuture.completedFuture(body.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    volatile Long lastRemoved;
    volatile Boolean lastForce;
    volatile Long lastTransferTo;
    volatile ClusterAdmin.MemberAddress lastAdded;
    volatile Long lastPromoted;

    /** Records what it was asked; an id outside {@link #status}'s members is 404, as on the node. */
    @Override
    public CodingAdmin coding() {
        return coding;
    }

    /** One voter, coding off until a test sets it (or {@link #codingNow}): the parameters as the last set left them. */
    volatile CodingAdmin.Coding codingNow = new CodingAdmin.Coding(false, 1, 4096, false, 1, 1, 1, 0);

    private final CodingAdmin coding = new CodingAdmin() {
        @Override
        public Coding get() {
            return codingNow;
        }

        @Override
        public CompletableFuture<Coding> set(boolean on, int k, long threshold) {
            Coding now = codingNow;
            int stored = !on && scrubWholeAtOnce ? 1 : Math.max(now.storedK(), on ? k : 1);
            codingNow = new Coding(on, k, threshold, true, now.voters(), on ? k : 1, stored, now.index() + 1);
            codingChanges.add(on);
            return CompletableFuture.completedFuture(codingNow);
        }
    };

    /** Turning coding off stores every value whole at once (the scrub's storedK 1, in one step). */
    volatile boolean scrubWholeAtOnce;
    /** Refuses voter changes as {@code coded} while storedK is above 1, as the core does from an even voter count. */
    volatile boolean refuseCodedChanges;
    /** Every coding change asked for: its "on". */
    final java.util.List<Boolean> codingChanges = new java.util.concurrent.CopyOnWriteArrayList<>();

    private void codedRule() {
        if (refuseCodedChanges && codingNow.storedK() > 1) {
            throw new RequestRefused(RequestRefused.Kind.CONFLICT, "coded", "stored values may need " + codingNow.storedK()
                    + " distinct shares; turn coding off first");
        }
    }

    /** Pretends this member was removed from the cluster (see {@link KvBackend#removed}). */
    volatile boolean removed;

    @Override
    public boolean removed() {
        return removed;
    }

    /** Pretends this member is joining and has not yet applied its own addition (see {@link KvBackend#joining}). */
    volatile boolean joining;

    @Override
    public boolean joining() {
        return joining;
    }

    @Override
    public ClusterAdmin admin() {
        return new ClusterAdmin() {
            @Override
            public CompletableFuture<LeaderChange> transferLeadership(long to) {
                lastTransferTo = to;
                return answer(() -> {
                    long target = to == 0 ? 2 : member(to).id();
                    return new LeaderChange(target, member(target).httpAddress(), status.id());
                });
            }

            @Override
            public CompletableFuture<MemberRemoved> removeMember(long id, boolean force) {
                lastRemoved = id;
                lastForce = force;
                return answer(() -> {
                    codedRule();
                    return new MemberRemoved(member(id).id(), status.commit() + 1);
                });
            }

            @Override
            public CompletableFuture<MemberAdded> addLearner(MemberAddress at) {
                lastAdded = at;
                return answer(() -> new MemberAdded(at.id() == 0 ? 99 : at.id(), status.commit() + 1, 0x1234L, false,
                        java.util.List.of(new MemberAddress(status.id(), "localhost:16990", "localhost:8080"))));
            }

            @Override
            public CompletableFuture<MemberPromoted> promote(long id) {
                lastPromoted = id;
                return answer(() -> {
                    codedRule();
                    NodeStatus.MemberStatus m = member(id);
                    if (m.voter()) {
                        throw new RequestRefused(RequestRefused.Kind.CONFLICT, "already_voter", "member " + id
                                + " is already a voter");
                    }
                    return new MemberPromoted(id, status.commit() + 1);
                });
            }
        };
    }

    private NodeStatus.MemberStatus member(long id) {
        return status.members().stream().filter(m -> m.id() == id).findFirst().orElseThrow(() ->
                new RequestRefused(RequestRefused.Kind.NOT_FOUND, "not_a_member", "member " + id + " is unknown"));
    }

    /** What {@link #auth()} answers; tests of /auth plug in an {@link InMemoryAuth}. */
    volatile AuthBackend auth = AuthBackend.NONE;

    @Override
    public AuthBackend auth() {
        return auth;
    }

    @Override
    public boolean valuesCoded() {
        return coded;
    }

    /** Transactions apply in the store; the node's tests cover them (TxnNodeTest). */
    @Override
    public CompletableFuture<io.leifdb.server.kv.TxnResult> txn(io.leifdb.server.kv.Txn txn) {
        return answer(() -> {
            throw notHere("runs no transactions");
        });
    }

    /** Backups need a real store; the node's tests cover them. */
    @Override
    public CompletableFuture<Backup> backup() {
        return CompletableFuture.failedFuture(new ApiError(io.helidon.http.Status.NOT_IMPLEMENTED_501,
                "not_supported", "the in-memory test backend takes no backups"));
    }
}
