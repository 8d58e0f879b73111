package io.leifdb.server.node;

import io.leifdb.raft.Redundancy;
import io.leifdb.server.http.CodingAdmin;
import io.leifdb.server.kv.ApplyResult;
import io.leifdb.server.kv.KeyPage;
import io.leifdb.server.kv.KeyValue;
import io.leifdb.server.kv.KvStore;
import io.leifdb.server.kv.Recode;
import io.leifdb.server.transport.GrpcTransport;
import io.leifdb.server.transport.ShareSource.Held;
import io.leifdb.server.transport.ShareSource.Summary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CRaft repair (docs/craft.md, "Repair"). On the leader, a pass pages through the key space, asks
 * every other voter what it stores of each page (the ShareSummary RPC), and counts the values below
 * full redundancy (the core's {@link Redundancy}, which also says what to re-encode); then it re-encodes each of them through the log as a
 * {@link Recode} entry, which CRaft codes like a put, so every voter stores the fragment of its
 * current position. Both the scan and the recodes are paced, so client traffic keeps priority. A
 * pass needs every voter's answer: with one silent, nothing is counted or repaired (a recode cannot
 * give a member that is down its share). With coding off, a complete pass that finds every value whole
 * on every voter lowers the cluster's storedK to 1 through the log ({@link #recordAllWhole}), which lets
 * voter changes through again. One platform thread; idle while this member follows.
 */
final class RepairScrub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RepairScrub.class);
    /** Keys per page: one ShareSummary per voter each. */
    private static final int PAGE_KEYS = 256;
    /** Pause after each page: the scan reads at most about 5,000 keys a second. */
    private static final long PAGE_PAUSE_MS = 50;
    /** Between passes while the cluster codes; with coding off, fragments written before are rare. */
    private static final long PASS_INTERVAL_MS = 5_000;
    private static final long PASS_INTERVAL_OFF_MS = 60_000;
    private static final long IDLE_MS = 1_000;
    /** Recode budget: at most this many values, and this many value bytes, a second. */
    private static final int RECODES_PER_SECOND = 50;
    private static final long RECODE_BYTES_PER_SECOND = 8L << 20;
    /** Recodes proposed and not yet applied, at most: commits overlap, the budget above still bounds the rate. */
    private static final int IN_FLIGHT = 8;
    /** Values one pass queues for repair; the rest are counted and wait for the next pass. */
    private static final int MAX_TARGETS = 10_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** A value the pass found below full redundancy ({@code below}) or over-replicated: the key at that revision. */
    record Target(String key, long revision, boolean below) {
    }

    private final long self;
    private final KvStore kv;
    private final GrpcTransport transport;
    private final StatusBoard board;
    private final Consumer<DriverEvent> driver;
    private final FragmentGatherer gatherer;
    private final BooleanSupplier codingOn;
    private final LongSupplier codedFrom;
    private final Thread thread;
    private volatile boolean closed;
    /** The leader term the figures belong to; 0 while following. */
    private volatile long term;
    private volatile long below;
    private volatile long lastFound;
    private volatile long repaired;
    private volatile long finishedMillis;
    /** Whether the last complete pass saw any voter hold a fragment; scrub thread only. */
    private boolean sawFragments = true;
    /** Values the current pass could not judge (a voter at another revision, or without the key); scrub thread only. */
    private long unsettled;
    /** The leader's commit index when it first saw coding off in this term (0: coding on); scrub thread only. */
    private long offFrom;

    RepairScrub(long self, KvStore kv, GrpcTransport transport, StatusBoard board, Consumer<DriverEvent> driver,
                FragmentGatherer gatherer, BooleanSupplier codingOn, LongSupplier codedFrom) {
        this.self = self;
        this.kv = kv;
        this.transport = transport;
        this.board = board;
        this.driver = driver;
        this.gatherer = gatherer;
        this.codingOn = codingOn;
        this.codedFrom = codedFrom;
        this.thread = Thread.ofPlatform().name("craft-repair").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** The figures of the last complete pass of this leader term; empty while following or before the first. */
    Optional<CodingAdmin.Repair> figures() {
        if (!board.isLeader() || board.term() != term || finishedMillis == 0) return Optional.empty();
        return Optional.of(new CodingAdmin.Repair(below, lastFound, repaired, finishedMillis));
    }

    /** {@code leifdb_craft_values_below_full_redundancy}: the leader's count; NaN elsewhere. */
    void register(MeterRegistry registry) {
        Gauge.builder("leifdb.craft.values.below.full.redundancy", this,
                        s -> s.figures().map(r -> (double) r.belowFullRedundancy()).orElse(Double.NaN))
                .description("CRaft: values the leader's last scrub found below full redundancy, less those repaired since")
                .register(registry);
    }

    private void run() {
        while (!closed) {
            try {
                if (!board.isLeader()) {
                    term = 0;
                    pause(IDLE_MS);
                    continue;
                }
                long now = board.term();
                if (now != term) {
                    finishedMillis = 0;
                    repaired = 0;
                    term = now;
                    sawFragments = true;
                    offFrom = 0;
                }
                boolean coding = codingOn.getAsBoolean();
                offFrom = coding ? 0 : offFrom == 0 ? Math.max(1, board.status().commit()) : offFrom;
                if (!coding && !sawFragments && storedK() <= 1) {
                    // Coding off and nothing coded left (or never): passes would only read every value on every member.
                    pause(IDLE_MS);
                    continue;
                }
                sawFragments = coding;
                unsettled = 0;
                boolean caughtUp = !coding && votersHold(offFrom);
                List<Target> targets = new ArrayList<>();
                long found = scan(now, targets);
                if (found == 0 && caughtUp && !sawFragments && unsettled == 0) recordAllWhole();
                if (found >= 0) {
                    lastFound = found;
                    below = found;
                    finishedMillis = System.currentTimeMillis();
                    if (found > 0) log.info("repair scrub: {} values below full redundancy; re-encoding them", found);
                    repair(now, targets);
                } else {
                    sawFragments = true; // an unfinished pass proves nothing
                }
                // With coding off and storedK above 1, passes turn what is left whole so that voter changes may go.
                pause(coding || storedK() > 1 ? PASS_INTERVAL_MS : PASS_INTERVAL_OFF_MS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("repair scrub: pass failed: {}", e.toString());
                try {
                    pause(IDLE_MS);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** One pass over the keys; how many values are below full redundancy, or -1 when the pass could not finish. */
    long scan(long leaderTerm, List<Target> targets) throws InterruptedException {
        boolean coding = codingOn.getAsBoolean();
        Set<Long> voters = board.conf().voters();
        if (!voters.contains(self)) return -1;
        List<Long> order = voters.stream().sorted().toList();
        String after = "";
        long found = 0;
        while (true) {
            if (!stillLeading(leaderTerm) || !board.conf().voters().equals(voters)) return -1;
            KeyPage page = kv.listKeys("", "", after, PAGE_KEYS, Long.MAX_VALUE);
            if (page.keys().isEmpty()) return found;
            Map<Long, Map<String, Held>> summaries = summaries(order, after, page.keys().getLast());
            if (summaries == null) return -1;
            for (String key : page.keys()) {
                KeyValue v = kv.get(key).orElse(null);
                if (v == null) continue;
                List<Held> held = new ArrayList<>(order.size());
                for (long voter : order) held.add(voter == self ? FragmentGatherer.held(v) : summaries.get(voter).get(key));
                Redundancy.Verdict verdict = Redundancy.of(v.modRevision(), held);
                boolean fragments = Redundancy.anyFragment(held);
                sawFragments |= fragments;
                if (verdict == Redundancy.Verdict.UNSETTLED) unsettled++;
                switch (Redundancy.repair(verdict, coding, fragments, valueBytes(v), codedFrom.getAsLong())) {
                    case RAISE -> {
                        found++;
                        if (targets.size() < MAX_TARGETS) targets.add(new Target(key, v.modRevision(), true));
                    }
                    case RECODE -> {
                        if (targets.size() < MAX_TARGETS) targets.add(new Target(key, v.modRevision(), false));
                    }
                    case NONE -> {
                    }
                }
            }
            if (page.next().isEmpty()) return found;
            after = page.keys().getLast();
            pause(PAGE_PAUSE_MS);
        }
    }

    private int storedK() {
        io.leifdb.raft.ConfState conf = board.conf();
        return conf.coding() == null ? 1 : conf.coding().storedKFor(conf.voters().size());
    }

    /** Whether every voter holds the log up to {@code index} (the leader's last knowledge of their match). */
    private boolean votersHold(long index) {
        io.leifdb.raft.Status s = board.status();
        for (long v : board.conf().voters()) {
            if (v == self) continue;
            io.leifdb.raft.Status.PeerStatus p = s.peers().get(v);
            if (p == null || p.match() < index) return false;
        }
        return true;
    }

    /**
     * Coding is off and a complete pass, begun once every voter held the log past the change that turned it off
     * (so no coded write is still to be applied anywhere), found every value whole on every voter at the leader's
     * revision: nothing coded needs decoding any more, so the cluster's storedK drops to 1 (docs/craft.md).
     */
    private void recordAllWhole() throws InterruptedException {
        io.leifdb.raft.ConfState conf = board.conf();
        if (conf.coding() == null || conf.coding().on() || conf.coding().storedKFor(conf.voters().size()) <= 1) return;
        CompletableFuture<Long> applied = new CompletableFuture<>();
        driver.accept(new DriverEvent.ChangeMembership(conf.withCoding(conf.coding().withStoredK(1)), applied));
        try {
            long index = applied.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("repair scrub: every voter holds every value whole; storedK 1 recorded at {}", index);
        } catch (ExecutionException | TimeoutException e) {
            log.debug("repair scrub: recording storedK 1 failed: {}", e.toString()); // the next pass tries again
        }
    }

    private static long valueBytes(KeyValue v) {
        return v.coded() == null ? v.value().length : v.coded().parse().codedLength();
    }

    /** Every other voter's holdings of the keys after {@code after} up to {@code last}; null if one does not answer. */
    private Map<Long, Map<String, Held>> summaries(List<Long> voters, String after, String last)
            throws InterruptedException {
        Map<Long, CompletableFuture<Summary>> asked = new HashMap<>();
        for (long voter : voters) {
            if (voter != self) asked.put(voter, transport.fetchSummary(voter, after, last, 2 * PAGE_KEYS, TIMEOUT));
        }
        Map<Long, Map<String, Held>> out = new HashMap<>();
        for (var e : asked.entrySet()) {
            try {
                Map<String, Held> byKey = new HashMap<>();
                for (Held h : e.getValue().get(TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS).held()) {
                    byKey.put(h.key(), h);
                }
                out.put(e.getKey(), byKey);
            } catch (ExecutionException | TimeoutException unreachable) {
                log.debug("repair scrub: voter {} did not answer: {}", e.getKey(), unreachable.toString());
                return null;
            }
        }
        return out;
    }

    /** A recode proposed and not yet settled. */
    private record Proposed(Target target, CompletableFuture<ApplyResult.Outcome> applied) {
    }

    /** Re-encodes each target through the log, paced, a few in flight at once; stops when leadership is lost. */
    private void repair(long leaderTerm, List<Target> targets) throws InterruptedException {
        long start = System.nanoTime();
        long before = repaired;
        ArrayDeque<Proposed> inFlight = new ArrayDeque<>();
        for (Target t : targets) {
            if (!stillLeading(leaderTerm)) break;
            KeyValue v = kv.get(t.key()).orElse(null);
            if (v == null || v.modRevision() != t.revision()) {
                if (t.below()) below = Math.max(0, below - 1); // written or deleted since: the new write has the current layout
                continue;
            }
            byte[] value;
            try {
                value = gatherer.whole(v).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).value();
            } catch (ExecutionException | TimeoutException e) {
                log.debug("repair scrub: cannot rebuild {} at {}: {}", t.key(), t.revision(), e.toString());
                continue;
            }
            CompletableFuture<ApplyResult.Outcome> applied = new CompletableFuture<>();
            driver.accept(new DriverEvent.Propose(new Recode(t.key(), t.revision(), value).encode(), applied));
            inFlight.add(new Proposed(t, applied));
            while (inFlight.size() >= IN_FLIGHT) settle(inFlight.poll());
            pause(Math.max(1_000 / RECODES_PER_SECOND, value.length * 1_000L / RECODE_BYTES_PER_SECOND));
        }
        while (!inFlight.isEmpty()) settle(inFlight.poll());
        if (!targets.isEmpty()) {
            log.info("repair scrub: re-encoded {} of {} values ({} below full redundancy) in {} ms; {} still below",
                    repaired - before, targets.size(), targets.stream().filter(Target::below).count(),
                    (System.nanoTime() - start) / 1_000_000, below);
        }
    }

    /** Waits for one recode's outcome and counts it; one that does not apply in time is found again next pass. */
    private void settle(Proposed p) throws InterruptedException {
        try {
            switch (p.applied().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                case ApplyResult.Applied a -> {
                    repaired++;
                    if (p.target().below()) below = Math.max(0, below - 1);
                }
                case ApplyResult.PreconditionFailed f -> {
                    if (p.target().below()) below = Math.max(0, below - 1);
                }
                case ApplyResult.Outcome other -> log.warn("repair scrub: recode of {} applied as {}", p.target().key(), other);
            }
        } catch (ExecutionException | TimeoutException e) {
            log.debug("repair scrub: recode of {} not applied: {}", p.target().key(), e.toString());
        }
    }

    private boolean stillLeading(long leaderTerm) {
        return !closed && board.isLeader() && board.term() == leaderTerm;
    }

    private static void pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
