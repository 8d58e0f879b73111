package io.leifdb.server.node;

import io.leifdb.raft.RaftConfig;
import io.leifdb.raft.SoftState;
import io.leifdb.raft.driver.DriverObserver;
import io.leifdb.raft.driver.OutcomeUnknownException;
import io.leifdb.raft.driver.RaftDriver;
import io.leifdb.raft.driver.Sender;
import io.leifdb.server.kv.ApplyResult;
import io.leifdb.server.storage.SegmentedWal;
import io.leifdb.server.transport.RefusalLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The node's thread for the shared {@link RaftDriver}: real time and a blocking inbox. Each
 * iteration ticks when a tick is due, drains the inbox into the driver, and carries out every
 * Ready (one fsync per Ready for the whole batch of events: group commit). Other threads never
 * touch the driver; they post {@link DriverEvent}s and wait on futures.
 */
final class DriverLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DriverLoop.class);
    private static final int MAX_EVENTS_PER_ITERATION = 4096;

    /** What the core refused, one line per sender address and reason per 10 s (issue 11). */
    private final RefusalLog refusals = new RefusalLog(log, java.time.Duration.ofSeconds(10), System::nanoTime);
    private final LinkedBlockingQueue<DriverEvent> inbox = new LinkedBlockingQueue<>();
    private final WalSyncer syncer = new WalSyncer(this::post);
    private final RaftDriver<ApplyResult.Outcome> driver;
    private final SegmentedWal wal;
    private final StatusBoard board;
    private final CatchUpMarker catchUp;
    private final LeaderWatch leaderWatch;
    private final DriverMeters meters;
    private final CodingVariablesWarning variablesWarning;
    private final LeaseKeeper leases;
    private final long tickNanos;
    private volatile boolean running = true;
    private long nextTick;

    DriverLoop(RaftConfig config, SegmentedWal wal, RocksStateMachine machine, Sender outbox, long tickMillis,
               StatusBoard board, CatchUpMarker catchUp, DriverMeters meters, LeaseKeeper leases) {
        this.leases = leases;
        this.meters = meters;
        this.variablesWarning = new CodingVariablesWarning(config.policy());
        this.wal = wal;
        this.board = board;
        this.catchUp = catchUp;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        this.leaderWatch = new LeaderWatch(config.id(), 2 * config.electionTick(), tickMillis);
        this.driver = new RaftDriver<>(config, wal, machine, outbox, syncer, new Observer(),
                board::notLeader, RaftDriver.randomFirstReadContext());
        board.publishConf(driver.confState()); // before the first tick, /cluster already lists the members
    }

    void post(DriverEvent e) {
        inbox.add(e);
    }

    void stop() {
        running = false;
        inbox.add(new DriverEvent.Unreachable(0)); // wakes the loop
    }

    @Override
    public void run() {
        nextTick = System.nanoTime() + tickNanos;
        Thread syncThread = Thread.ofPlatform().daemon().name("raft-wal-sync").start(syncer);
        List<DriverEvent> batch = new ArrayList<>();
        try {
            while (running) {
                long now = System.nanoTime();
                if (now >= nextTick) {
                    driver.tick();
                    leaderWatch.tick();
                    nextTick = Math.max(nextTick + tickNanos, now);
                    publish();
                    expireLeases();
                }
                DriverEvent first = inbox.poll(Math.max(0, nextTick - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (first != null) {
                    batch.add(first);
                    inbox.drainTo(batch, MAX_EVENTS_PER_ITERATION);
                    for (DriverEvent e : batch) handle(e);
                    batch.clear();
                }
                while (driver.hasReady()) driver.processReady();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // A storage failure must stop the node rather than risk acknowledging what is not durable;
            // what was synced is recovered at the next start.
            halt("raft driver stopped", e);
        } finally {
            syncer.stop(); // not interrupted: an interrupt would close the log's channel under it
            try {
                syncThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            OutcomeUnknownException down = new OutcomeUnknownException("node is shutting down");
            driver.failAll(down);
            leaderWatch.failAll(down);
            for (DriverEvent e : inbox) failEvent(e, down);
            inbox.clear();
        }
    }

    private void handle(DriverEvent e) {
        switch (e) {
            case DriverEvent.Inbound in -> driver.receive(in.message()).ifPresent(reason -> refusals.refuse(
                    in.origin(), reason.name(), in.message().getClass().getSimpleName() + " from node "
                            + in.message().from() + " (term " + in.message().term() + ")"));
            case DriverEvent.Propose p -> meters.proposed(driver.propose(p.command(), p.result()), p.result());
            case DriverEvent.ReadBarrier r -> driver.read(r.ready());
            case DriverEvent.SnapshotSent s -> driver.snapshotSent(s.peer(), s.ok());
            case DriverEvent.Unreachable u -> {
                if (u.peer() != 0) driver.unreachable(u.peer());
            }
            case DriverEvent.Campaign c -> driver.campaign();
            case DriverEvent.ChangeMembership c -> {
                // Runs on this thread as the entry applies: publish first, so the caller's next read sees it.
                CompletableFuture<Long> applied = new CompletableFuture<>();
                applied.whenComplete((index, failed) -> {
                    board.publishConf(driver.confState());
                    if (failed == null) c.applied().complete(index);
                    else c.applied().completeExceptionally(failed);
                });
                driver.proposeConfChange(c.next(), applied);
            }
            case DriverEvent.TransferLeadership t -> {
                leaderWatch.add(t.newLeader());
                driver.transferLeadership(t.to());
            }
            case DriverEvent.Synced synced -> driver.synced(synced.ticket(), synced.term());
            case DriverEvent.ShareLookup s -> s.result().complete(LogShares.find(wal, s.key(), s.index(), s.term()));
        }
    }

    private void failEvent(DriverEvent e, RuntimeException cause) {
        switch (e) {
            case DriverEvent.Propose p -> p.result().completeExceptionally(cause);
            case DriverEvent.ReadBarrier r -> r.ready().completeExceptionally(cause);
            case DriverEvent.ChangeMembership c -> c.applied().completeExceptionally(cause);
            case DriverEvent.TransferLeadership t -> t.newLeader().completeExceptionally(cause);
            case DriverEvent.ShareLookup s -> s.result().complete(null);
            default -> { }
        }
    }

    /** The membership goes first: whoever sees the new status then sees the members it speaks of. */
    private void publish() {
        board.publishConf(driver.confState());
        board.publish(driver.status(), driver.appliedIndex());
        board.publishCoded(driver.codedReplication(), driver.codedDataShards());
        variablesWarning.check(driver.confState());
    }

    /** The leader decides expiries and replicates each as a log entry, so every member deletes alike. */
    private void expireLeases() {
        io.leifdb.raft.Status s = board.status(); // what publish() just read from the driver
        for (long id : leases.due(s.role() == io.leifdb.raft.Role.LEADER ? s.term() : 0)) {
            driver.propose(new io.leifdb.server.kv.LeaseCommand.Expire(id).encode(), new CompletableFuture<>());
        }
    }

    /** A storage failure stops the node rather than risk acknowledging what is not durable (exit 3). */
    static void halt(String what, Throwable e) {
        log.error("{}: {}", what, e.toString(), e);
        System.err.println("leifdb: stopping after a fatal error: " + what + ": " + e.getMessage());
        Runtime.getRuntime().halt(3);
    }

    private final class Observer implements DriverObserver {
        @Override
        public void roleChanged(SoftState s) {
            publish(); // before waiting reads fail, so their 503 names the new leader
            leaderWatch.leaderIs(s.leader());
            meters.roleChanged(s);
            log.info("role {} leader {} term {}", s.role(), s.leader(), board.term());
        }

        @Override
        public void readIndexRequested() {
            meters.readIndexRequested();
        }

        @Override
        public void readIndexAnswered() {
            meters.readIndexAnswered();
        }

        @Override
        public void caughtUp() {
            catchUp.caughtUp(board.status().leader());
        }
    }
}
