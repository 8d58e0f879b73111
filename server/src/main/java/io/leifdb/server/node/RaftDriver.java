package io.leifdb.server.node;

import io.leifdb.raft.ConfStateCodec;
import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.HardState;
import io.leifdb.raft.Message;
import io.leifdb.raft.ProposalDroppedException;
import io.leifdb.raft.RawNode;
import io.leifdb.raft.ReadState;
import io.leifdb.raft.Ready;
import io.leifdb.raft.Role;
import io.leifdb.raft.SoftState;
import io.leifdb.raft.Status;
import io.leifdb.server.kv.ApplyResult;
import io.leifdb.server.storage.SegmentedWal;
import io.leifdb.server.transport.RefusalLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that owns the Raft core. Each iteration drains the inbox, steps the core, then
 * for every {@link Ready}: persists (one fsync for the whole batch: group commit), sends, applies,
 * answers waiting clients, and advances. Client threads never touch the core; they post events
 * and wait on futures.
 */
final class RaftDriver implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RaftDriver.class);
    private static final int MAX_EVENTS_PER_ITERATION = 4096;
    private static final long READ_ROUND_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What the core refused, one line per sender address and reason per 10 s (issue 11). */
    private final RefusalLog refusals = new RefusalLog(log, java.time.Duration.ofSeconds(10), System::nanoTime);
    private final RawNode raft;
    private final SegmentedWal wal;
    private final StateMachine stateMachine;
    private final Outbox outbox;
    private final long tickNanos;
    private final LinkedBlockingQueue<DriverEvent> inbox = new LinkedBlockingQueue<>();
    private final PendingWrites writes = new PendingWrites();
    private final PendingReads reads = new PendingReads();
    private final List<CompletableFuture<Void>> readBatch = new ArrayList<>();
    /** Committed entries not yet applied because the local log is not yet durable through them. */
    private final ArrayDeque<Entry> awaitingSync = new ArrayDeque<>();
    private final WalSyncer syncer = new WalSyncer(this::post);
    /** The local log is durable through this index. */
    private long durableIndex;
    private final StatusBoard board;
    private final CatchUpMarker catchUp;
    private volatile boolean running = true;
    private long readRoundStarted;
    private long nextTick;
    private long leader;
    private Role role = Role.FOLLOWER;

    RaftDriver(RawNode raft, SegmentedWal wal, StateMachine stateMachine, Outbox outbox, long tickMillis,
               StatusBoard board, CatchUpMarker catchUp) {
        this.raft = raft;
        this.wal = wal;
        this.stateMachine = stateMachine;
        this.outbox = outbox;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        this.board = board;
        this.catchUp = catchUp;
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
        durableIndex = wal.lastIndex(); // recovery keeps only what it found on disk
        Thread syncThread = Thread.ofPlatform().daemon().name("raft-wal-sync").start(syncer);
        List<DriverEvent> batch = new ArrayList<>();
        try {
            while (running) {
                long now = System.nanoTime();
                if (now >= nextTick) {
                    raft.tick();
                    nextTick = Math.max(nextTick + tickNanos, now);
                    board.publish(raft.status(), stateMachine.appliedIndex());
                    board.publishCoded(raft.codedReplication());
                }
                DriverEvent first = inbox.poll(Math.max(0, nextTick - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (first != null) {
                    batch.add(first);
                    inbox.drainTo(batch, MAX_EVENTS_PER_ITERATION);
                    for (DriverEvent e : batch) handle(e);
                    batch.clear();
                }
                startReadRound();
                while (raft.hasReady()) {
                    process(raft.ready());
                    startReadRound();
                }
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
            writes.failAll(down);
            reads.failAll(down);
            for (DriverEvent e : inbox) failEvent(e, down);
            inbox.clear();
        }
    }

    /** Starts a ReadIndex round for the waiting reads unless one is already out (see PendingReads). */
    private void startReadRound() {
        if (reads.roundOutstanding()) {
            if (System.nanoTime() - readRoundStarted < READ_ROUND_TIMEOUT_NANOS) return;
            // The request or its answer was lost (e.g. a leader change): give up on it and start over.
            reads.failUnanswered(new OutcomeUnknownException("read index round timed out"));
        }
        if (readBatch.isEmpty()) return;
        long ctx = reads.register(new ArrayList<>(readBatch));
        readBatch.clear();
        readRoundStarted = System.nanoTime();
        try {
            raft.readIndex(ctx);
        } catch (ProposalDroppedException noLeader) {
            reads.fail(ctx, board.notLeader());
        }
    }

    private void handle(DriverEvent e) {
        switch (e) {
            case DriverEvent.Inbound in -> raft.step(in.message()).ifPresent(reason -> refusals.refuse(in.origin(),
                    reason.name(), in.message().getClass().getSimpleName() + " from node " + in.message().from()
                            + " (term " + in.message().term() + ")"));
            case DriverEvent.Propose p -> {
                try {
                    long index = raft.propose(p.command());
                    writes.add(index, board.term(), p.result());
                } catch (ProposalDroppedException dropped) {
                    p.result().completeExceptionally(board.notLeader());
                }
            }
            case DriverEvent.ReadBarrier r -> readBatch.add(r.ready());
            case DriverEvent.SnapshotSent s -> raft.reportSnapshot(s.peer(), s.ok());
            case DriverEvent.Unreachable u -> {
                if (u.peer() != 0) raft.reportUnreachable(u.peer());
            }
            case DriverEvent.Campaign c -> raft.campaign();
            case DriverEvent.Synced synced -> onSynced(synced);
            case DriverEvent.ShareLookup s -> s.result().complete(LogShares.find(wal, s.key(), s.index(), s.term()));
        }
    }

    private void failEvent(DriverEvent e, RuntimeException cause) {
        switch (e) {
            case DriverEvent.Propose p -> p.result().completeExceptionally(cause);
            case DriverEvent.ReadBarrier r -> r.ready().completeExceptionally(cause);
            case DriverEvent.ShareLookup s -> s.result().complete(null);
            default -> { }
        }
    }

    private void process(Ready rd) {
        if (rd.softState() != null) onSoftState(rd.softState());
        boolean newTermOrVote = rd.hardState() != null && termOrVoteChanged(rd.hardState(), wal.hardState());
        // Thesis §10.2.1: a leader may send while it writes, and its fsync runs on the syncer; the core
        // counts the leader toward a quorum only when the syncer reports (RawNode.persisted).
        boolean leaderAsync = role == Role.LEADER && rd.snapshot() == null && !newTermOrVote;
        List<Message> afterPersist = rd.messages();
        if (leaderAsync) {
            outbox.send(afterPersist);
            afterPersist = List.of();
        }
        // Committed entries are applied once durable here too, in order: never ahead of the local log.
        awaitingSync.addAll(rd.committedEntries());
        if (rd.snapshot() == null) applyDurable();
        boolean mustSync = false;
        if (rd.snapshot() != null) {
            if (!awaitingSync.isEmpty()) {
                syncNow();
                applyDurable();
            }
            stateMachine.installSnapshot(rd.snapshot().meta());
            wal.applySnapshot(rd.snapshot().meta());
            writes.settledUpTo(rd.snapshot().meta().index());
            mustSync = true;
        }
        if (!rd.entries().isEmpty()) {
            durableIndex = Math.min(durableIndex, rd.entries().getFirst().index() - 1);
            wal.append(rd.entries());
            mustSync |= !leaderAsync;
        }
        if (rd.hardState() != null) {
            mustSync |= newTermOrVote;
            wal.setHardState(rd.hardState());
        }
        if (mustSync) {
            syncNow(); // Figure 2: durable before any message that depends on it leaves
        } else if (leaderAsync && !rd.entries().isEmpty()) {
            syncer.request(wal.startSync(), raft.term());
        }
        outbox.send(afterPersist);
        if (rd.softState() != null) catchUp.readyDurable(rd.softState()); // a follower's Ready is durable here
        applyDurable();
        for (ReadState rs : rd.readStates()) {
            reads.readIndexAnswered(rs.context(), rs.index(), stateMachine.appliedIndex());
        }
        raft.advanceWritten(rd);
        if (mustSync) raft.persisted(raft.term(), durableIndex);
        stateMachine.maybeSnapshot(wal);
    }

    /** The syncer made a leader's writes durable. */
    private void onSynced(DriverEvent.Synced s) {
        if (raft.persisted(s.term(), s.ticket().lastIndex())) {
            wal.finishSync(s.ticket());
            durableIndex = Math.max(durableIndex, s.ticket().lastIndex());
        } else {
            // Leadership changed since the request, so the log may have been rewritten below that index.
            syncNow();
            raft.persisted(raft.term(), durableIndex);
        }
        applyDurable();
    }

    private void syncNow() {
        wal.sync();
        durableIndex = wal.lastIndex();
    }

    private void applyDurable() {
        if (awaitingSync.isEmpty() || awaitingSync.peekFirst().index() > durableIndex) return;
        List<Entry> ready = new ArrayList<>();
        while (!awaitingSync.isEmpty() && awaitingSync.peekFirst().index() <= durableIndex) {
            ready.add(awaitingSync.pollFirst());
        }
        apply(ready);
    }

    /** Figure 2 lists commitIndex as volatile: a hard state that only moved it needs no fsync of its own. */
    static boolean termOrVoteChanged(HardState next, HardState written) {
        return next.term() != written.term() || next.vote() != written.vote();
    }

    private void apply(List<Entry> committed) {
        List<ApplyResult.Outcome> outcomes = stateMachine.apply(committed).outcomes();
        int j = 0;
        for (Entry e : committed) {
            if (e.type() == EntryType.CONFIG) {
                // Snapshots must record the membership in force; the core already switched on append.
                wal.setConfState(ConfStateCodec.decode(e.data()));
                wal.sync();
            }
            ApplyResult.Outcome o = null;
            if (j < outcomes.size() && outcomes.get(j).index() == e.index()) o = outcomes.get(j++);
            writes.applied(e.index(), e.term(), o);
        }
        reads.appliedUpTo(stateMachine.appliedIndex());
    }

    private void onSoftState(SoftState s) {
        boolean wasLeader = role == Role.LEADER;
        boolean leaderChanged = leader != s.leader();
        leader = s.leader();
        role = s.role();
        board.publish(raft.status(), stateMachine.appliedIndex());
        if ((wasLeader && role != Role.LEADER) || leaderChanged) {
            // Unanswered ReadIndex rounds die with the leadership they were sent to; clients get 503 and retry.
            reads.failUnanswered(board.notLeader());
        }
        log.info("role {} leader {} term {}", role, leader, board.term());
    }


    /** A storage failure stops the node rather than risk acknowledging what is not durable (exit 3). */
    static void halt(String what, Throwable e) {
        log.error("{}: {}", what, e.toString(), e);
        System.err.println("leifdb: stopping after a fatal error: " + what + ": " + e.getMessage());
        Runtime.getRuntime().halt(3);
    }

    static Status emptyStatus(long id) {
        return new Status(id, Role.FOLLOWER, 0, 0, 0, 0, 0, java.util.Map.of(), java.util.Map.of());
    }
}
