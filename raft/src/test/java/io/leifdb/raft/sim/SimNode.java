package io.leifdb.raft.sim;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.ConfStateCodec;
import io.leifdb.raft.DropReason;
import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.MemoryStorage;
import io.leifdb.raft.PlantedBug;
import io.leifdb.raft.Message;
import io.leifdb.raft.RaftConfig;
import io.leifdb.raft.Ready;
import io.leifdb.raft.Role;
import io.leifdb.raft.Snapshot;
import io.leifdb.raft.SoftState;
import io.leifdb.raft.driver.DriverObserver;
import io.leifdb.raft.driver.FsyncExecutor;
import io.leifdb.raft.driver.RaftDriver;
import io.leifdb.raft.driver.SyncTicket;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated server: the node's own {@link RaftDriver} over a {@link SimLog} on a
 * {@link SimDisk} and a {@link SimMachine}, with the leader's background fsync finishing a few
 * steps later. It can crash (losing memory and unsynced writes), restart from its disk, or
 * freeze (a paused process: input queues up unprocessed).
 */
final class SimNode {
    enum State { UP, FROZEN, DOWN }

    /** What a client sees when the node cannot take its request: it was never proposed. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused() {
            super("not leader", null, false, false);
        }
    }

    final long id;
    private final RaftConfig baseConfig;
    private final Env env;
    final SimDisk disk;
    private MemoryStorage storage;
    private KvStateMachine kv;
    private RaftDriver<Long> driver;
    private SimLog log;
    private State state = State.DOWN;
    /** Counts crashes: a background fsync of an earlier life must not complete in this one. */
    private int life;
    private Role role = Role.FOLLOWER;
    private long term;
    private long leader;
    private long leaderTermObserved = -1;
    private int restarts;
    private long committedSeen;
    private long firstCommitTerm = -1;
    /** The applied index of this life's latest stale read. */
    private long staleReadFloor;
    /** Input that reached a frozen node; it runs, in order, when the node resumes. */
    private final ArrayDeque<Runnable> held = new ArrayDeque<>();
    /** Client operations this node still owes an answer. */
    private final Set<Long> open = new HashSet<>();
    /**
     * A failure raised while answering a client: answers run as callbacks of the driver's futures,
     * which would swallow it, so it is kept here and thrown once the driver call returns.
     */
    private RuntimeException answerFailure;

    SimNode(long id, ConfState conf, RaftConfig baseConfig, Env env) {
        this.id = id;
        this.baseConfig = baseConfig;
        this.env = env;
        this.disk = new SimDisk(conf, baseConfig.planted(PlantedBug.RECOVERY_DROPS_SYNCED_RECORD));
    }

    /** Builds the driver, its log and state machine from what the disk holds durably. */
    void start() {
        Snapshot snap = disk.snapshot();
        storage = new MemoryStorage(snap.meta().conf());
        if (snap.meta().index() > 0) storage.applySnapshot(snap);
        storage.setConfState(disk.conf());
        storage.append(disk.entries());
        storage.setHardState(disk.hardState());
        kv = new KvStateMachine();
        kv.restore(snap.data(), snap.meta().index());
        log = new SimLog(id, storage, disk, env, kv);
        long seed = baseConfig.randomSeed() * 31 + restarts++;
        if (disk.lostState() && !env.catchUpRule()) disk.clearLostState(); // plays a server that keeps no marker
        driver = new RaftDriver<>(baseConfig.withSeed(seed).withCatchingUp(disk.lostState()), log,
                new SimMachine(id, env, kv, log, snap.meta().index()), messages -> messages.forEach(env::send),
                new Fsync(), new Observer(), Refused::new, (env.rnd().nextLong() >>> 2) + 1);
        state = State.UP;
        role = Role.FOLLOWER;
        term = disk.hardState().term();
        leader = 0;
        leaderTermObserved = -1;
        committedSeen = disk.hardState().commit();
        firstCommitTerm = -1;
        staleReadFloor = 0;
        env.checker().restarted(id);
        env.checker().commitObserved(id, term, disk.hardState().commit(), storage);
    }

    /** A crash: memory is gone, the disk keeps what was synced and perhaps a prefix of the rest. */
    void crash(int keepUnsynced) {
        disk.crash(keepUnsynced);
        state = State.DOWN;
        life++;
        held.clear();
        RaftDriver<Long> dead = driver;
        driver = null;
        storage = null;
        kv = null;
        role = Role.FOLLOWER;
        if (dead != null) dead.failAll(new IllegalStateException("crashed")); // writes unknown, reads lost
        open.clear();
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
        if (state == State.UP) guarded(() -> driver.tick());
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
        whenUp(() -> driver.receive(m).ifPresentOrElse(refused, accepted));
    }

    /** Runs {@code r} now when up, later when frozen, never when down. */
    private void whenUp(Runnable r) {
        switch (state) {
            case UP -> guarded(r);
            case FROZEN -> held.addLast(() -> guarded(r));
            case DOWN -> { }
        }
    }

    /** Runs driver work; a simulated crash inside it takes the node down. */
    private void guarded(Runnable r) {
        try {
            r.run();
        } catch (SimCrash c) {
            crash(c.keep);
        }
        if (answerFailure != null) {
            RuntimeException f = answerFailure;
            answerFailure = null;
            throw f;
        }
    }

    /** Runs a client's answer; see {@link #answerFailure}. */
    private void answer(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            if (answerFailure == null) answerFailure = e;
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
        CompletableFuture<Long> applied = new CompletableFuture<>();
        open.add(opId);
        applied.whenComplete((index, failure) -> answer(() -> {
            if (!open.remove(opId)) return;
            if (failure == null) {
                env.clients().writeDone(opId, id, index);
            } else if (failure instanceof Refused) {
                env.clients().writeRefused(opId);
            } else {
                env.clients().writeUnknown(opId); // lost to another leader, superseded or crashed: cannot tell
            }
        }));
        guarded(() -> {
            byte[] data = cmd.encode();
            long index = driver.propose(data, applied);
            if (index > 0) {
                env.trace().event(env.now(), "n" + id + " proposes " + cmd + " at " + index + " (term " + term + ")");
                // The reference for its fragments even if another leader's append replaces it before any Ready.
                env.checker().entriesHeldInFull(java.util.List.of(Entry.normal(driver.status().term(), index, data)));
            }
        });
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
        CompletableFuture<Long> ready = new CompletableFuture<>();
        open.add(opId);
        ready.whenComplete((index, failure) -> answer(() -> {
            if (!open.remove(opId)) return;
            if (failure != null) {
                env.clients().readLost(opId);
                return;
            }
            String value = kv.get(key);
            KvStateMachine.CodedValue coded = kv.coded(key);
            if (coded != null) {
                value = env.gatherCoded(id, coded); // CRaft: rebuild the value from k fragments
                if (value == null) {
                    env.clients().readLost(opId);
                    return;
                }
            }
            env.clients().readDone(opId, id, value, index);
        }));
        guarded(() -> driver.read(ready));
    }

    /**
     * A read with {@code consistency=stale}: served from local state, so it may lag, but within one
     * life of the node it never goes back (the server's RocksDB state survives restarts; the
     * simulation's map is rebuilt from a snapshot, so the bound starts over at each start).
     */
    void staleRead(String key) {
        whenUp(() -> {
            long applied = kv.applied();
            if (applied < staleReadFloor) {
                throw new SafetyViolation("stale read monotonicity: n" + id + " served a stale read at applied index "
                        + applied + " after one at " + staleReadFloor);
            }
            staleReadFloor = applied;
            kv.get(key);
            env.trace().count("stale read");
        });
    }

    /** The client gave up on an operation; forget it so a late answer is not reported twice. */
    void forget(long opId) {
        open.remove(opId);
    }

    /** The leader's scrub proposes a repair entry; the future completes once it is applied here. */
    boolean proposeRecode(byte[] data, CompletableFuture<Long> applied) {
        if (state != State.UP) return false;
        long[] index = {0};
        guarded(() -> {
            index[0] = driver.propose(data, applied);
            if (index[0] > 0) {
                env.checker().entriesHeldInFull(java.util.List.of(Entry.normal(driver.status().term(), index[0], data)));
            }
        });
        return index[0] > 0;
    }

    /** The state machine of this life; null while down. */
    KvStateMachine kv() {
        return kv;
    }

    /** Proposes a membership change; false when the core refuses it (not leader, one still pending). */
    boolean proposeConfChange(ConfState next) {
        return state == State.UP && driver.proposeConfChange(next);
    }

    ConfState confState() {
        return driver.confState();
    }

    /** Whether this node's log holds a CONFIG entry above its commit index. */
    boolean changePending() {
        long commit = driver.status().commit();
        long last = storage.lastIndex();
        long from = Math.max(commit + 1, storage.firstIndex());
        return from <= last && storage.entries(from, last + 1, Long.MAX_VALUE).stream()
                .anyMatch(e -> e.type() == EntryType.CONFIG);
    }

    /** The transport finished streaming a snapshot to {@code peer}, or gave up. */
    void snapshotSent(long peer, boolean success) {
        whenUp(() -> driver.snapshotSent(peer, success));
    }

    void transferLeadership(long to) {
        if (state == State.UP) driver.transferLeadership(to);
    }

    boolean hasReady() {
        return state == State.UP && driver.hasReady();
    }

    /** Carries out one Ready with the node's driver; a crash may strike at an fsync or before sending. */
    void handleReady() {
        guarded(() -> driver.processReady());
    }

    /** The leader's fsync: it completes a few steps later, unless the node crashed meanwhile. */
    private final class Fsync implements FsyncExecutor {
        @Override
        public void request(SyncTicket ticket, long requestTerm) {
            int requestLife = life;
            env.afterIo(1 + env.rnd().nextInt(3), () -> {
                if (life != requestLife) return;
                whenUp(() -> {
                    if (life != requestLife) return;
                    log.sync();
                    driver.synced(ticket, requestTerm);
                });
            });
        }
    }

    /** Feeds what the driver does to the invariant checker, the trace and the fault injector. */
    private final class Observer implements DriverObserver {
        /** The Ready whose commit index the checker has seen (a leader sends before it writes). */
        private Ready commitSeen;

        @Override
        public void sending(Ready rd) {
            observeCommit(rd); // what the node believes committed, even if it dies before telling anyone
            // A leader may send fragments of entries it then loses in a crash: its Ready is the reference.
            if (!rd.entries().isEmpty()) env.checker().entriesHeldInFull(rd.entries());
            Role r = rd.softState() != null ? rd.softState().role() : role;
            long t = rd.hardState() != null ? rd.hardState().term() : term;
            boolean firstLeaderCommit = r == Role.LEADER && rd.hardState() != null
                    && rd.hardState().commit() > committedSeen && firstCommitTerm != t;
            if (firstLeaderCommit) firstCommitTerm = t;
            if (env.crashBeforeSend(id, firstLeaderCommit)) {
                env.trace().event(env.now(), "n" + id + " CRASHES before sending " + rd.messages().size()
                        + " messages" + (firstLeaderCommit ? " (its first commit as leader)" : ""));
                env.trace().count("crash before send");
                throw new SimCrash(0);
            }
            if (rd.hardState() != null) committedSeen = Math.max(committedSeen, rd.hardState().commit());
        }

        @Override
        public void written(Ready rd, boolean synced) {
            if (rd.hardState() != null) {
                if (rd.hardState().term() != term) {
                    env.trace().event(env.now(), "n" + id + " term " + term + " -> " + rd.hardState().term()
                            + " vote=" + rd.hardState().vote());
                    if (rd.hardState().term() > term && rd.hardState().vote() == id) {
                        env.checker().campaignStarted(id, rd.hardState().term(), storage, rd.hardState().commit());
                    }
                }
                term = rd.hardState().term();
                env.checker().termObserved(id, term);
            }
            SoftState soft = rd.softState();
            if (soft != null) {
                if (soft.role() != role) {
                    env.trace().event(env.now(), "n" + id + " becomes " + soft.role() + " in term " + term);
                    if (soft.role() == Role.LEADER) env.trace().count("leader elected");
                }
                role = soft.role();
                leader = soft.leader();
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
            observeCommit(rd);
            if (role == Role.LEADER) {
                for (Entry e : rd.entries()) {
                    if (e.type() != EntryType.CONFIG || e.term() != term) continue; // its own proposals only
                    ConfState next = ConfStateCodec.decode(e.data());
                    env.trace().event(env.now(), "n" + id + " appends membership change at " + e.index() + " (term "
                            + e.term() + "): voters " + next.voters() + " learners " + next.learners());
                    env.trace().count("membership change");
                    env.checker().leaderAppendedConfig(id, term, storage);
                    env.configAppended(id);
                }
            }
        }

        private void observeCommit(Ready rd) {
            if (rd.hardState() == null || commitSeen == rd) return;
            commitSeen = rd;
            env.checker().commitObserved(id, rd.hardState().term(), rd.hardState().commit(), storage);
        }

        @Override
        public void caughtUp() {
            env.trace().event(env.now(), "n" + id + " caught up: it may vote again");
            env.trace().count("caught up after wipe");
            disk.clearLostState();
        }
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
                + " snap=" + storage.snapshotMeta().index() + " voters=" + driver.confState().voters()
                + (driver.confState().learners().isEmpty() ? "" : " learners=" + driver.confState().learners());
    }
}
