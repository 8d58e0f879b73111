package io.leifdb.raft.sim;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.ConfStateCodec;
import io.leifdb.raft.DropReason;
import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.MemoryStorage;
import io.leifdb.raft.Message;
import io.leifdb.raft.ProposalDroppedException;
import io.leifdb.raft.RaftConfig;
import io.leifdb.raft.RawNode;
import io.leifdb.raft.ReadState;
import io.leifdb.raft.Ready;
import io.leifdb.raft.Role;
import io.leifdb.raft.Snapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One simulated server: a {@link RawNode} driven the way the real driver does it, over a
 * {@link SimDisk} and an in-memory state machine. It can crash (losing memory and unsynced
 * writes), restart from its disk, or freeze (a paused process: input queues up unprocessed).
 */
final class SimNode {
    enum State { UP, FROZEN, DOWN }

    private record PendingWrite(long opId, long index) {
    }

    private record PendingRead(long opId, String key) {
    }

    private record WaitingRead(PendingRead read, long index) {
    }

    final long id;
    private final RaftConfig baseConfig;
    private final Env env;
    final SimDisk disk;
    private MemoryStorage storage;
    private RawNode raw;
    private KvStateMachine kv;
    private State state = State.DOWN;
    private Role role = Role.FOLLOWER;
    private long term;
    private long leader;
    private long leaderTermObserved = -1;
    private int restarts;
    private long lastSnapshotIndex;
    private long committedSeen;
    private long firstCommitTerm = -1;
    /** Input that reached a frozen node; it runs, in order, when the node resumes. */
    private final ArrayDeque<Runnable> held = new ArrayDeque<>();
    private final Map<Long, PendingWrite> writesByIndex = new TreeMap<>();
    private final Map<Long, PendingRead> readsByContext = new TreeMap<>();
    private final List<WaitingRead> waitingReads = new ArrayList<>();

    SimNode(long id, ConfState conf, RaftConfig baseConfig, Env env) {
        this.id = id;
        this.baseConfig = baseConfig;
        this.env = env;
        this.disk = new SimDisk(conf);
    }

    /** Builds the core, storage and state machine from what the disk holds durably. */
    void start() {
        storage = new MemoryStorage(disk.snapshot().meta().conf());
        Snapshot snap = disk.snapshot();
        if (snap.meta().index() > 0) storage.applySnapshot(snap);
        storage.append(disk.entries());
        storage.setHardState(disk.hardState());
        kv = new KvStateMachine();
        kv.restore(snap.data(), snap.meta().index());
        lastSnapshotIndex = snap.meta().index();
        long seed = baseConfig.randomSeed() * 31 + restarts++;
        if (disk.lostState() && !env.catchUpRule()) disk.clearLostState(); // today's server keeps no marker
        raw = new RawNode(baseConfig.withApplied(snap.meta().index()).withSeed(seed).withCatchingUp(disk.lostState()),
                storage);
        state = State.UP;
        role = Role.FOLLOWER;
        term = disk.hardState().term();
        leader = 0;
        leaderTermObserved = -1;
        committedSeen = disk.hardState().commit();
        firstCommitTerm = -1;
        env.checker().restarted(id);
        env.checker().commitObserved(id, term, disk.hardState().commit(), storage);
    }

    /** A crash: memory is gone, the disk keeps what was synced and perhaps a prefix of the rest. */
    void crash(int keepUnsynced) {
        disk.crash(keepUnsynced);
        state = State.DOWN;
        raw = null;
        storage = null;
        kv = null;
        role = Role.FOLLOWER;
        held.clear();
        writesByIndex.values().forEach(w -> env.clients().writeUnknown(w.opId()));
        readsByContext.values().forEach(r -> env.clients().readLost(r.opId()));
        waitingReads.forEach(w -> env.clients().readLost(w.read().opId()));
        writesByIndex.clear();
        readsByContext.clear();
        waitingReads.clear();
    }

    void freeze() {
        state = State.FROZEN;
    }

    /** Resumes a frozen node, which first works through everything that queued up meanwhile. */
    void resume() {
        state = State.UP;
        while (!held.isEmpty() && state == State.UP) held.removeFirst().run();
    }

    void tick() {
        if (state == State.UP) raw.tick();
    }

    /** A real member's message: the core may refuse it only for its sender or a stale TimeoutNow, never for its shape. */
    void deliver(Message m) {
        step(m, reason -> {
            if (reason != DropReason.NOT_A_MEMBER && reason != DropReason.TIMEOUT_NOW_NOT_FROM_LEADER) {
                throw new SafetyViolation("n" + id + " refused a real message as " + reason + ": " + m);
            }
        }, () -> { });
    }

    /** A forged or out-of-range message: the core must refuse it, or it could change what it holds. */
    void deliverHostile(Message m) {
        step(m, reason -> env.trace().count("hostile dropped: " + reason), () -> {
            throw new SafetyViolation("n" + id + " accepted a hostile message: " + m);
        });
    }

    private void step(Message m, java.util.function.Consumer<DropReason> refused, Runnable accepted) {
        Runnable run = () -> raw.step(m).ifPresentOrElse(refused, accepted);
        switch (state) {
            case UP -> run.run();
            case FROZEN -> held.addLast(run);
            case DOWN -> { }
        }
    }

    /** A client write arrives here. Outcome reaches {@link Clients} later (or at once if refused). */
    void clientWrite(long opId, Command cmd) {
        if (state == State.FROZEN) {
            held.addLast(() -> clientWrite(opId, cmd));
            return;
        }
        if (state == State.DOWN) {
            // Connection refused: the request never reached a server.
            env.clients().writeRefused(opId);
            return;
        }
        try {
            long index = raw.propose(cmd.encode());
            writesByIndex.put(index, new PendingWrite(opId, index));
            env.trace().event(env.now(), "n" + id + " proposes " + cmd + " at " + index + " (term " + term + ")");
        } catch (ProposalDroppedException e) {
            env.clients().writeRefused(opId);
        }
    }

    /** A client read arrives here; it is served after ReadIndex confirms leadership (§6.4). */
    void clientRead(long opId, String key) {
        if (state == State.FROZEN) {
            held.addLast(() -> clientRead(opId, key));
            return;
        }
        if (state == State.DOWN) {
            env.clients().readLost(opId);
            return;
        }
        if (env.localReads()) {
            env.clients().readDone(opId, id, kv.get(key), kv.applied());
            return;
        }
        try {
            raw.readIndex(opId);
            readsByContext.put(opId, new PendingRead(opId, key));
        } catch (ProposalDroppedException e) {
            env.clients().readLost(opId);
        }
    }

    /** The client gave up on an operation; forget it so a late answer is not reported twice. */
    void forget(long opId) {
        writesByIndex.values().removeIf(w -> w.opId() == opId);
        readsByContext.remove(opId);
        waitingReads.removeIf(w -> w.read().opId() == opId);
    }

    /** Proposes a membership change; false when the core refuses it (not leader, one still pending). */
    boolean proposeConfChange(ConfState next) {
        if (state != State.UP) return false;
        try {
            raw.proposeConfChange(next);
            return true;
        } catch (ProposalDroppedException e) {
            return false;
        }
    }

    ConfState confState() {
        return raw.confState();
    }

    /** The transport finished streaming a snapshot to {@code peer}, or gave up. */
    void snapshotSent(long peer, boolean success) {
        switch (state) {
            case UP -> raw.reportSnapshot(peer, success);
            case FROZEN -> held.addLast(() -> raw.reportSnapshot(peer, success));
            case DOWN -> { }
        }
    }

    void transferLeadership(long to) {
        if (state == State.UP) raw.transferLeadership(to);
    }

    boolean hasReady() {
        return state == State.UP && raw.hasReady();
    }

    /**
     * Carries out one Ready in the order the contract demands: write, fsync, send, apply, advance.
     * A torn crash may strike between the write and the fsync.
     */
    void handleReady() {
        Ready rd = raw.ready();
        if (rd.snapshot() != null) {
            disk.write(new SimDisk.Write.Install(rd.snapshot()));
            storage.applySnapshot(rd.snapshot());
        }
        if (!rd.entries().isEmpty()) {
            disk.write(new SimDisk.Write.Append(rd.entries()));
            storage.append(rd.entries());
        }
        if (rd.hardState() != null) {
            disk.write(new SimDisk.Write.Hard(rd.hardState()));
            storage.setHardState(rd.hardState());
        }
        if (disk.unsyncedCount() > 0 && env.tornCrash(id)) {
            int keep = env.rnd().nextInt(disk.unsyncedCount() + 1);
            env.trace().event(env.now(), "n" + id + " CRASHES before fsync, keeping " + keep + " of "
                    + disk.unsyncedCount() + " unsynced writes");
            env.trace().count("crash before fsync");
            crash(keep);
            return;
        }
        disk.sync();
        if (rd.softState() != null && !rd.softState().catchingUp() && disk.lostState()) {
            env.trace().event(env.now(), "n" + id + " caught up: it may vote again");
            env.trace().count("caught up after wipe");
            disk.clearLostState();
        }
        long commitBefore = committedSeen;
        observe(rd);
        boolean firstLeaderCommit = role == Role.LEADER && rd.hardState() != null
                && rd.hardState().commit() > commitBefore && firstCommitTerm != term;
        if (firstLeaderCommit) firstCommitTerm = term;
        if (env.crashBeforeSend(id, firstLeaderCommit)) {
            env.trace().event(env.now(), "n" + id + " CRASHES after fsync, before sending "
                    + rd.messages().size() + " messages" + (firstLeaderCommit ? " (its first commit as leader)" : ""));
            env.trace().count("crash before send");
            crash(0);
            return;
        }
        for (Message m : rd.messages()) env.send(m);
        if (rd.snapshot() != null) installSnapshot(rd.snapshot());
        for (Entry e : rd.committedEntries()) apply(e);
        for (ReadState rs : rd.readStates()) {
            PendingRead r = readsByContext.remove(rs.context());
            if (r != null) waitingReads.add(new WaitingRead(r, rs.index()));
        }
        serveReads();
        raw.advance(rd);
        maybeCompact();
    }

    /** Feeds what just became durable to the invariant checker and the trace. */
    private void observe(Ready rd) {
        if (rd.hardState() != null) {
            if (rd.hardState().term() != term) {
                env.trace().event(env.now(), "n" + id + " term " + term + " -> " + rd.hardState().term()
                        + " vote=" + rd.hardState().vote());
            }
            term = rd.hardState().term();
        }
        if (rd.softState() != null) {
            if (rd.softState().role() != role) {
                env.trace().event(env.now(), "n" + id + " becomes " + rd.softState().role() + " in term " + term);
                if (rd.softState().role() == Role.LEADER) env.trace().count("leader elected");
            }
            role = rd.softState().role();
            leader = rd.softState().leader();
        }
        if (rd.snapshot() != null) {
            env.checker().snapshotInstalled(id, rd.snapshot().meta().index(), rd.snapshot().meta().term());
        }
        if (!rd.entries().isEmpty()) env.checker().entriesPersisted(id, rd.entries(), storage);
        if (role == Role.LEADER && leaderTermObserved != term) {
            leaderTermObserved = term;
            env.checker().leaderObserved(id, term, storage);
            env.leaderElected(id);
        }
        if (rd.hardState() != null) {
            env.checker().commitObserved(id, term, rd.hardState().commit(), storage);
            committedSeen = rd.hardState().commit();
        }
    }

    private void installSnapshot(Snapshot snap) {
        long index = snap.meta().index();
        env.trace().event(env.now(), "n" + id + " installs snapshot " + index + "@" + snap.meta().term());
        env.trace().count("snapshot installed");
        kv.restore(snap.data(), index);
        lastSnapshotIndex = index;
        // Our proposals at or below the snapshot were either committed or overwritten; we cannot tell.
        Iterator<PendingWrite> it = writesByIndex.values().iterator();
        while (it.hasNext()) {
            PendingWrite w = it.next();
            if (w.index() <= index) {
                env.clients().writeUnknown(w.opId());
                it.remove();
            }
        }
    }

    private void apply(Entry e) {
        env.checker().applied(id, e);
        // Snapshots taken later must carry the membership as of their index.
        if (e.type() == EntryType.CONFIG) storage.setConfState(ConfStateCodec.decode(e.data()));
        Command c = kv.apply(e);
        PendingWrite w = writesByIndex.remove(e.index());
        if (w == null) return;
        if (c != null && c.opId() == w.opId()) {
            env.clients().writeDone(w.opId(), id, e.index());
        } else {
            // Another leader's entry took our slot; ours can never commit at another index, but stay cautious.
            env.clients().writeUnknown(w.opId());
        }
    }

    private void serveReads() {
        Iterator<WaitingRead> it = waitingReads.iterator();
        while (it.hasNext()) {
            WaitingRead w = it.next();
            if (kv.applied() >= w.index()) {
                it.remove();
                String value = kv.get(w.read().key());
                KvStateMachine.CodedValue coded = kv.coded(w.read().key());
                if (coded != null) {
                    value = env.gatherCoded(id, coded); // CRaft: rebuild the value from k fragments
                    if (value == null) {
                        env.clients().readLost(w.read().opId());
                        continue;
                    }
                }
                env.clients().readDone(w.read().opId(), id, value, w.index());
            }
        }
    }

    /** Takes a snapshot of the state machine and drops the log it covers, as the server does. */
    private void maybeCompact() {
        int every = env.snapshotEvery();
        if (every <= 0 || kv.applied() - lastSnapshotIndex < every) return;
        Snapshot snap = storage.createSnapshot(kv.applied(), kv.snapshot());
        storage.compact(snap.meta().index());
        disk.write(new SimDisk.Write.Compact(snap));
        disk.sync();
        lastSnapshotIndex = snap.meta().index();
    }

    State state() {
        return state;
    }

    Role role() {
        return state == State.DOWN ? Role.FOLLOWER : role;
    }

    long term() {
        return term;
    }

    long leader() {
        return state == State.DOWN ? 0 : leader;
    }

    MemoryStorage storage() {
        return storage;
    }

    long applied() {
        return kv == null ? 0 : kv.applied();
    }

    String describe() {
        if (state == State.DOWN) return "n" + id + " DOWN";
        return "n" + id + " " + state + " " + role + " term=" + term + " leader=" + leader + " last="
                + storage.lastIndex() + " commit=" + storage.hardState().commit() + " applied=" + kv.applied()
                + " snap=" + storage.snapshotMeta().index() + " voters=" + raw.confState().voters()
                + (raw.confState().learners().isEmpty() ? "" : " learners=" + raw.confState().learners());
    }
}
