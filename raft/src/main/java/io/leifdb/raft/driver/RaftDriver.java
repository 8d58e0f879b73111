package io.leifdb.raft.driver;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.ConfStateCodec;
import io.leifdb.raft.DropReason;
import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.HardState;
import io.leifdb.raft.Message;
import io.leifdb.raft.PlantedBug;
import io.leifdb.raft.ProposalDroppedException;
import io.leifdb.raft.RaftConfig;
import io.leifdb.raft.RawNode;
import io.leifdb.raft.ReadState;
import io.leifdb.raft.Ready;
import io.leifdb.raft.Role;
import io.leifdb.raft.SoftState;
import io.leifdb.raft.Status;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The one loop around the Raft core, shared by the node and the simulation. It owns the core and
 * carries out each {@link Ready} in the order safety demands: write, fsync, send, apply, advance,
 * with the leader's exception of thesis §10.2.1 (it sends while it writes, fsyncs on the
 * {@link FsyncExecutor} and counts itself only through {@link #synced}). It also keeps the
 * proposals and ReadIndex reads waiting for an answer.
 *
 * <p>Single-threaded and clock-free: the owner calls {@link #tick()} at its own pace, feeds events
 * in, and runs {@link #processReady()} while {@link #hasReady()}. The node does this on its driver
 * thread; the simulation does it from its seeded event loop. Storage failures surface as runtime
 * exceptions, after which the driver must not be used again (the node stops; the simulation treats
 * it as a crash).
 */
public final class RaftDriver<O> {
    private final RawNode raft;
    private final LogStore log;
    private final StateMachine<O> machine;
    private final Sender sender;
    private final FsyncExecutor fsync;
    private final DriverObserver observer;
    /** The failure a client sees when this node cannot take its request; it may name the leader. */
    private final Supplier<RuntimeException> notLeader;
    /** A ReadIndex round unanswered for this many ticks was lost (e.g. with a leader change). */
    private final int readRoundTimeoutTicks;
    private final PendingWrites<O> writes = new PendingWrites<>();
    /** Membership changes waiting for their CONFIG entry to apply; they complete with its index. */
    private final PendingWrites<Long> confChanges = new PendingWrites<>();
    private final PendingReads reads;
    private final List<CompletableFuture<Long>> readBatch = new ArrayList<>();
    /** Committed entries not yet applied because the local log is not yet durable through them. */
    private final ArrayDeque<Entry> awaitingSync = new ArrayDeque<>();
    /** The local log is durable through this index. */
    private long durableIndex;
    private int readRoundTicks;
    private long leader;
    private Role role = Role.FOLLOWER;
    private boolean catchingUp;
    private final RaftConfig config;

    /**
     * Starts the core on what {@code log} and {@code machine} hold. {@code firstReadContext} numbers
     * this incarnation's ReadIndex rounds (see {@link PendingReads}).
     */
    public RaftDriver(RaftConfig config, LogStore log, StateMachine<O> machine, Sender sender, FsyncExecutor fsync,
                      DriverObserver observer, Supplier<RuntimeException> notLeader, long firstReadContext) {
        this.log = log;
        this.machine = machine;
        this.sender = sender;
        this.fsync = fsync;
        this.observer = observer;
        this.notLeader = notLeader;
        this.config = config;
        this.readRoundTimeoutTicks = config.electionTick();
        this.reads = new PendingReads(firstReadContext);
        this.catchingUp = config.catchingUp();
        this.durableIndex = log.lastIndex(); // recovery keeps only what it found on disk
        this.raft = new RawNode(config.withApplied(startApplied(machine.appliedIndex(), log)), log);
    }

    /** A first read context for a process of its own: random, so incarnations never share one (see PendingReads). */
    public static long randomFirstReadContext() {
        return PendingReads.randomFirstContext();
    }

    /**
     * The driver may apply a committed entry before the hard state recording its commit is written,
     * so after a crash the state machine can be ahead of the log's commit index; entries up to its
     * index are then delivered again and it skips them. It is never behind the log's snapshot.
     */
    static long startApplied(long machineApplied, LogStore log) {
        return Math.max(Math.min(machineApplied, log.hardState().commit()), log.firstIndex() - 1);
    }

    public void tick() {
        raft.tick();
        if (reads.roundOutstanding()) readRoundTicks++;
    }

    /** A peer's message; empty when the core took it, else why it refused it (see Admission). */
    public Optional<DropReason> receive(Message m) {
        return raft.step(m);
    }

    /** Proposes a command; {@code result} completes once it is applied here. Returns its index, or 0 if refused. */
    public long propose(byte[] command, CompletableFuture<O> result) {
        try {
            long index = raft.propose(command);
            writes.add(index, raft.term(), result);
            return index;
        } catch (ProposalDroppedException dropped) {
            result.completeExceptionally(notLeader.get());
            return 0;
        }
    }

    /**
     * A linearizable read (§6.4): {@code ready} completes with the read index once the state
     * machine has applied it, so the caller may then read the local state.
     */
    public void read(CompletableFuture<Long> ready) {
        if (config.planted(PlantedBug.READ_WITHOUT_READ_INDEX) && role == Role.LEADER) {
            ready.complete(machine.appliedIndex());
            return;
        }
        readBatch.add(ready);
    }

    /** Proposes a new membership; false when refused (not leader, or a change still pending). */
    public boolean proposeConfChange(ConfState next) {
        try {
            raft.proposeConfChange(next);
            return true;
        } catch (ProposalDroppedException refused) {
            return false;
        }
    }

    /**
     * Proposes a new membership (thesis §4.1); {@code applied} completes with the CONFIG entry's index
     * once it is applied here, with {@link WriteLostException} if a new leader overwrote it, or at once
     * with the core's {@link ProposalDroppedException} (its reason says why) or
     * {@link IllegalArgumentException} (more than one voter changed, or none left).
     */
    public void proposeConfChange(ConfState next, CompletableFuture<Long> applied) {
        try {
            long index = raft.proposeConfChange(next);
            confChanges.add(index, raft.term(), applied);
        } catch (ProposalDroppedException | IllegalArgumentException refused) {
            applied.completeExceptionally(refused);
        }
    }

    public void transferLeadership(long to) {
        raft.transferLeadership(to);
    }

    public void campaign() {
        raft.campaign();
    }

    /** The sender finished streaming a snapshot to {@code peer}, or gave up. */
    public void snapshotSent(long peer, boolean ok) {
        raft.reportSnapshot(peer, ok);
    }

    public void unreachable(long peer) {
        raft.reportUnreachable(peer);
    }

    /** The {@link FsyncExecutor} forced {@code ticket}, requested while this node led in {@code term}. */
    public void synced(SyncTicket ticket, long term) {
        if (raft.persisted(term, ticket.lastIndex())) {
            log.finishSync(ticket);
            durableIndex = Math.max(durableIndex, ticket.lastIndex());
        } else {
            // Leadership changed since the request, so the log may have been rewritten below that index.
            syncNow();
            raft.persisted(raft.term(), durableIndex);
        }
        applyDurable();
    }

    /** Whether a Ready waits; starts a ReadIndex round first if reads wait for one. */
    public boolean hasReady() {
        startReadRound();
        return raft.hasReady();
    }

    /** Carries out the core's next Ready. */
    public void processReady() {
        process(raft.ready());
    }

    /** Fails every waiting proposal and read: the node stops, or crashed in the simulation. */
    public void failAll(RuntimeException cause) {
        writes.failAll(cause);
        confChanges.failAll(cause);
        reads.failAll(cause);
        readBatch.forEach(f -> f.completeExceptionally(cause));
        readBatch.clear();
    }

    public Status status() {
        return raft.status();
    }

    public long appliedIndex() {
        return machine.appliedIndex();
    }

    public boolean codedReplication() {
        return raft.codedReplication();
    }

    public ConfState confState() {
        return raft.confState();
    }

    /** CRaft: see {@link RawNode#codedDataShards()}. */
    public int codedDataShards() {
        return raft.codedDataShards();
    }

    /** CRaft: see {@link RawNode#codingParams()}. */
    public io.leifdb.raft.CodingParams codingParams() {
        return raft.codingParams();
    }

    /** Starts a ReadIndex round for the waiting reads unless one is already out (see PendingReads). */
    private void startReadRound() {
        if (reads.roundOutstanding()) {
            if (readRoundTicks < readRoundTimeoutTicks) return;
            // The request or its answer was lost (e.g. a leader change): give up on it and start over.
            reads.failUnanswered(new OutcomeUnknownException("read index round timed out"));
        }
        if (readBatch.isEmpty()) return;
        long ctx = reads.register(new ArrayList<>(readBatch));
        readBatch.clear();
        readRoundTicks = 0;
        try {
            raft.readIndex(ctx);
            observer.readIndexRequested();
        } catch (ProposalDroppedException noLeader) {
            reads.fail(ctx, notLeader.get());
        }
    }

    private void process(Ready rd) {
        boolean caughtUpNow = false;
        if (rd.softState() != null) caughtUpNow = onSoftState(rd.softState());
        boolean newTermOrVote = rd.hardState() != null && termOrVoteChanged(rd.hardState(), log.hardState());
        // Thesis §10.2.1: a leader may send while it writes, and its fsync runs on the executor; the core
        // counts the leader toward a quorum only when the executor reports (RawNode.persisted).
        boolean leaderAsync = role == Role.LEADER && rd.snapshot() == null && !newTermOrVote;
        boolean sendFirst = leaderAsync || (config.planted(PlantedBug.FOLLOWER_SENDS_BEFORE_FSYNC)
                && role != Role.LEADER && rd.snapshot() == null);
        if (sendFirst) {
            observer.sending(rd);
            sender.send(rd.messages());
        }
        // Committed entries are applied once durable here too, in order: never ahead of the local log.
        awaitingSync.addAll(rd.committedEntries());
        if (rd.snapshot() == null) applyDurable();
        boolean mustSync = caughtUpNow; // the end of catching up is durable before anyone hears of it
        if (rd.snapshot() != null) {
            if (!awaitingSync.isEmpty()) {
                syncNow();
                applyDurable();
            }
            machine.installSnapshot(rd.snapshot());
            log.applySnapshot(rd.snapshot());
            writes.settledUpTo(rd.snapshot().meta().index());
            confChanges.settledUpTo(rd.snapshot().meta().index());
            mustSync = true;
        }
        if (!rd.entries().isEmpty()) {
            durableIndex = Math.min(durableIndex, rd.entries().getFirst().index() - 1);
            log.append(rd.entries());
            mustSync |= !leaderAsync;
            if (config.planted(PlantedBug.APPLY_UNCOMMITTED)) applyUncommitted(rd.entries());
        }
        if (rd.hardState() != null) {
            mustSync |= newTermOrVote;
            log.setHardState(rd.hardState());
        }
        if (mustSync) {
            syncNow(); // Figure 2: durable before any message that depends on it leaves
        } else if (leaderAsync && !rd.entries().isEmpty()) {
            fsync.request(log.startSync(), raft.term());
        }
        observer.written(rd, mustSync);
        if (caughtUpNow) observer.caughtUp();
        if (!sendFirst) {
            observer.sending(rd);
            sender.send(rd.messages());
        }
        applyDurable();
        for (ReadState rs : rd.readStates()) {
            if (reads.readIndexAnswered(rs.context(), rs.index(), machine.appliedIndex())) observer.readIndexAnswered();
        }
        raft.advanceWritten(rd);
        if (mustSync) raft.persisted(raft.term(), durableIndex);
        machine.maybeSnapshot();
    }

    private void syncNow() {
        log.sync();
        durableIndex = log.lastIndex();
    }

    private void applyDurable() {
        if (awaitingSync.isEmpty() || awaitingSync.peekFirst().index() > durableIndex) return;
        List<Entry> ready = new ArrayList<>();
        while (!awaitingSync.isEmpty() && awaitingSync.peekFirst().index() <= durableIndex) {
            Entry e = awaitingSync.pollFirst();
            if (!config.planted(PlantedBug.APPLY_UNCOMMITTED) || e.index() > machine.appliedIndex()) ready.add(e);
        }
        if (!ready.isEmpty()) apply(ready);
    }

    /** The planted bug: entries go to the state machine as soon as they are written. */
    private void applyUncommitted(List<Entry> written) {
        List<Entry> next = written.stream().filter(e -> e.index() > machine.appliedIndex()).toList();
        if (!next.isEmpty() && next.getFirst().index() == machine.appliedIndex() + 1) machine.apply(next);
    }

    /** Figure 2 lists commitIndex as volatile: a hard state that only moved it needs no fsync of its own. */
    static boolean termOrVoteChanged(HardState next, HardState written) {
        return next.term() != written.term() || next.vote() != written.vote();
    }

    private void apply(List<Entry> committed) {
        List<O> outcomes = machine.apply(committed);
        for (int i = 0; i < committed.size(); i++) {
            Entry e = committed.get(i);
            if (e.type() == EntryType.CONFIG) {
                // Snapshots must record the membership applied; the core already switched on append.
                log.setConfState(ConfStateCodec.decode(e.data()));
                log.sync();
            }
            writes.applied(e.index(), e.term(), outcomes.get(i));
            confChanges.applied(e.index(), e.term(), e.index());
        }
        reads.appliedUpTo(machine.appliedIndex());
    }

    /** Returns whether this Ready ends catching up (see CatchUp). */
    private boolean onSoftState(SoftState s) {
        boolean wasLeader = role == Role.LEADER;
        boolean leaderChanged = leader != s.leader();
        leader = s.leader();
        role = s.role();
        boolean ended = catchingUp && !s.catchingUp();
        catchingUp = s.catchingUp();
        observer.roleChanged(s);
        if ((wasLeader && role != Role.LEADER) || leaderChanged) {
            // Unanswered ReadIndex rounds die with the leadership they were sent to; clients get 503 and retry.
            reads.failUnanswered(notLeader.get());
        }
        return ended;
    }
}
