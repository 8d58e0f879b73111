package io.leifdb.server.node;

import io.leifdb.raft.HardState;
import io.leifdb.server.storage.SegmentedWal;
import io.leifdb.server.transport.GrpcTransport;
import io.leifdb.server.transport.Holdings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * Before the core starts: whether this member starts as catching up (issue 12, raft's {@code
 * CatchUp}). A member whose data directory held nothing wrote a {@link CatchUpMarker} first; it
 * then asks the other members what they hold until {@link FreshStartRule} decides, and either
 * removes the marker (a new cluster) or writes the term floor into its hard state and catches up.
 *
 * <p>A restart that finds the marker and a log holding a term or an entry is a member that crashed
 * while catching up: it catches up again at the term it stored, without asking. That term is at
 * least the floor it was given, and every term it adopted since is in it too; the floor only has
 * to cover terms its lost incarnation took part in, and those all lie before the first ask. A
 * marker with a log holding nothing means the core never ran (it needs the floor written first), so
 * nothing was acknowledged and the member asks again exactly as at its first start.
 */
final class FreshStart {
    private static final Logger log = LoggerFactory.getLogger(FreshStart.class);
    static final long FIRST_PAUSE_MILLIS = 100;
    static final long MAX_PAUSE_MILLIS = 2_000;
    static final long ASK_TIMEOUT_MILLIS = 1_000;
    static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Time, injected so that tests run the loop without waiting. */
    interface Clock {
        long nanoTime();

        void sleep(long millis) throws InterruptedException;

        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(long millis) throws InterruptedException {
                Thread.sleep(millis);
            }
        };
    }

    private final CatchUpMarker marker;
    private final SegmentedWal wal;
    private final Set<Long> members;
    /** The other members' raft addresses, to say whom it waits for. */
    private final Map<Long, String> peers;
    private final long self;
    private final LongFunction<CompletableFuture<Holdings>> ask;
    private final Clock clock;

    /**
     * @param ask asks one other member what it holds; completes exceptionally when it cannot tell
     *            (down, refusing, or not started yet)
     */
    FreshStart(CatchUpMarker marker, SegmentedWal wal, Map<Long, String> peers, long self,
               LongFunction<CompletableFuture<Holdings>> ask, Clock clock) {
        this.marker = marker;
        this.wal = wal;
        this.peers = Map.copyOf(peers);
        Set<Long> all = new TreeSet<>(peers.keySet());
        all.add(self);
        this.members = Set.copyOf(all);
        this.self = self;
        this.ask = ask;
        this.clock = clock;
    }

    /**
     * Starts {@code transport} answering from the log (the core is not running yet), then resolves
     * with the system clock, asking the others over it.
     *
     * @return whether the core starts catching up
     */
    static boolean resolveOver(GrpcTransport transport, CatchUpMarker marker, SegmentedWal wal, Map<Long, String> peers,
                               long self) throws IOException {
        Holdings atStart = held(wal);
        transport.holdingsSource(() -> atStart);
        transport.start();
        Duration timeout = Duration.ofMillis(ASK_TIMEOUT_MILLIS);
        try {
            boolean catchingUp = new FreshStart(marker, wal, peers, self, id -> transport.askHoldings(id, timeout),
                    Clock.SYSTEM).resolve();
            // A member catching up must not look empty to another one asking: its lost incarnation may
            // have acknowledged entries. Its floor (at least 1, since someone held data) says so.
            Holdings decided = held(wal);
            transport.holdingsSource(() -> decided);
            return catchingUp;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while asking the other members what they hold");
        }
    }

    /**
     * Once the driver owns the log, answers from what it publishes, never below what the log held
     * when the core started: the board shows an empty status until the driver's first tick.
     */
    static void answerFromBoard(GrpcTransport transport, SegmentedWal wal, StatusBoard board) {
        Holdings atStart = held(wal);
        transport.holdingsSource(() -> atStart.max(new Holdings(board.term(), board.status().lastIndex())));
    }

    /** What this member's log holds (a snapshot counts): also its answer to others until the core runs. */
    static Holdings held(SegmentedWal wal) {
        return new Holdings(wal.hardState().term(), Math.max(wal.lastIndex(), wal.snapshotMeta().index()));
    }

    /**
     * Decides, asking the others as long as it takes, and makes the outcome durable.
     *
     * @return whether the core starts catching up
     */
    boolean resolve() throws IOException, InterruptedException {
        if (!marker.present()) return false;
        if (held(wal).holdsData()) {
            log.warn("this member was catching up when it stopped: it catches up again at term {} and will not"
                    + " vote until a leader has caught it up", wal.hardState().term());
            return true;
        }
        FreshStartRule.Decision d = askUntilDecided();
        switch (d) {
            case FreshStartRule.Bootstrap b -> {
                marker.clear();
                log.info(members.size() == 1 ? "starting a new one-member cluster"
                        : "enough other members' data directories are empty too: starting a new cluster");
                return false;
            }
            case FreshStartRule.CatchUp c -> {
                if (c.termFloor() > wal.hardState().term()) {
                    // Term only, no vote: this member never voted in that term that it remembers.
                    wal.setHardState(new HardState(c.termFloor(), 0, wal.hardState().commit()));
                    wal.sync();
                }
                log.warn("this member's data directory was empty but other members hold data: it lost its data"
                        + " (or the cluster started without it), so it catches up at term floor {} and will not"
                        + " vote until a leader has caught it up", c.termFloor());
                return true;
            }
            case FreshStartRule.Wait w -> throw new IllegalStateException("asking ended undecided, waiting for " + w);
        }
    }

    /** Asks every other member, pausing between rounds (bounded back-off), until the rule decides. */
    private FreshStartRule.Decision askUntilDecided() throws InterruptedException {
        Map<Long, Holdings> answers = new ConcurrentHashMap<>();
        long pause = FIRST_PAUSE_MILLIS;
        long nextLog = clock.nanoTime();
        while (true) {
            if (members.size() > 1) askRound(answers);
            FreshStartRule.Decision d = FreshStartRule.decide(members, self, Map.copyOf(answers));
            if (!(d instanceof FreshStartRule.Wait w)) return d;
            if (clock.nanoTime() - nextLog >= 0) {
                log.info("empty data directory: waiting for {} to say what they hold before starting (answered: {})",
                        addresses(w.waitingFor()), addresses(answers.keySet()));
                nextLog = clock.nanoTime() + LOG_EVERY_NANOS;
            }
            clock.sleep(pause);
            pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
        }
    }

    private String addresses(Set<Long> ids) {
        return ids.isEmpty() ? "none" : String.join(", ", ids.stream().map(id -> peers.getOrDefault(id, "node " + id)).toList());
    }

    /** One question to every other member; keeps each one's latest answer, waits at most one timeout. */
    private void askRound(Map<Long, Holdings> answers) throws InterruptedException {
        CompletableFuture<?>[] calls = members.stream().filter(id -> id != self)
                .map(id -> ask.apply(id).thenAccept(h -> answers.put(id, h)).exceptionally(e -> null))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(calls).get(ASK_TIMEOUT_MILLIS + 500, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // The answers that came are kept; the others are asked again next round.
        }
    }
}
