package io.leifdb.bench.jmh;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.MemoryStorage;
import io.leifdb.raft.Message;
import io.leifdb.raft.RaftConfig;
import io.leifdb.raft.Role;
import io.leifdb.raft.Snapshot;
import io.leifdb.raft.driver.DriverObserver;
import io.leifdb.raft.driver.FsyncExecutor;
import io.leifdb.raft.driver.MemoryLog;
import io.leifdb.raft.driver.RaftDriver;
import io.leifdb.raft.driver.StateMachine;
import io.leifdb.raft.driver.SyncTicket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Nodes wired back to back on one thread, each the node's own {@link RaftDriver} over a
 * {@link MemoryLog}: messages are queued and then stepped into their target, and a leader's
 * fsync completes at the end of each round, until no node has anything left to do. There is no
 * clock: nothing ticks, so no election or heartbeat fires while it is measured.
 */
final class InMemoryCluster {
    /** Entries each node keeps below its applied index when it compacts; followers never lag that far here. */
    private static final long KEEP_ENTRIES = 1024;
    /** Compact once this many entries were applied since the last compaction, so memory stays flat. */
    private static final long COMPACT_EVERY = 8192;
    /** A drain that needs more rounds than this is not converging: a bug, not a slow run. */
    private static final int MAX_ROUNDS = 10_000;
    private static final byte[] NO_SNAPSHOT_DATA = new byte[0];

    private record Synced(int node, SyncTicket ticket, long term) {
    }

    private final List<RaftDriver<Long>> nodes = new ArrayList<>();
    private final List<Counter> machines = new ArrayList<>();
    private final ArrayDeque<Message> wire = new ArrayDeque<>();
    private final ArrayDeque<Synced> syncs = new ArrayDeque<>();
    private int leader = -1;

    /** Nodes 1..size, all voters, fresh logs; {@code seed} feeds the election timeouts. */
    InMemoryCluster(int size, long seed) {
        Set<Long> voters = new HashSet<>();
        for (long id = 1; id <= size; id++) {
            voters.add(id);
        }
        ConfState conf = ConfState.of(voters);
        for (int i = 0; i < size; i++) {
            int node = i;
            MemoryLog log = new MemoryLog(new MemoryStorage(conf));
            Counter machine = new Counter(log);
            FsyncExecutor fsync = (ticket, term) -> syncs.add(new Synced(node, ticket, term));
            machines.add(machine);
            nodes.add(new RaftDriver<>(RaftConfig.defaults(i + 1).withSeed(seed + i), log, machine, wire::addAll,
                    fsync, new DriverObserver() { }, IllegalStateException::new, 1));
        }
    }

    /** Makes node {@code id} campaign and waits (in delivered messages, not time) until it leads. */
    void elect(long id) {
        RaftDriver<Long> candidate = nodes.get((int) id - 1);
        candidate.campaign();
        drain();
        if (candidate.status().role() != Role.LEADER) {
            throw new IllegalStateException("node " + id + " did not win the election: " + candidate.status());
        }
        leader = (int) id - 1;
    }

    /** Proposes on the leader; returns the index the entry got. */
    long propose(byte[] data) {
        if (leader < 0) {
            throw new IllegalStateException("no leader elected");
        }
        long index = nodes.get(leader).propose(data, new CompletableFuture<>());
        if (index == 0) {
            throw new IllegalStateException("leader " + (leader + 1) + " refused a proposal");
        }
        return index;
    }

    /** Runs Ready rounds, fsync completions and message delivery until the whole cluster is quiet. */
    void drain() {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean busy = false;
            for (RaftDriver<Long> node : nodes) {
                while (node.hasReady()) {
                    node.processReady();
                    busy = true;
                }
            }
            for (Synced s; (s = syncs.poll()) != null; busy = true) {
                nodes.get(s.node()).synced(s.ticket(), s.term());
            }
            if (wire.isEmpty() && !busy) {
                return;
            }
            for (Message m; (m = wire.poll()) != null; ) {
                nodes.get((int) m.to() - 1).receive(m);
            }
        }
        throw new IllegalStateException("cluster still busy after " + MAX_ROUNDS + " rounds");
    }

    /** Throws unless every node has applied {@code index}: the benchmark must not count work that failed. */
    void requireApplied(long index) {
        for (int i = 0; i < nodes.size(); i++) {
            long applied = machines.get(i).applied;
            if (applied < index) {
                throw new IllegalStateException("node " + (i + 1) + " applied " + applied + " < " + index);
            }
        }
    }

    /** Normal entries applied across all nodes so far. */
    long appliedPayloads() {
        long sum = 0;
        for (Counter c : machines) {
            sum += c.payloads;
        }
        return sum;
    }

    /** Counts what it applies and compacts at a fixed cadence, so a long run does not grow the heap. */
    private static final class Counter implements StateMachine<Long> {
        private final MemoryLog log;
        private long applied;
        private long payloads;
        private long compactedTo;

        Counter(MemoryLog log) {
            this.log = log;
        }

        @Override
        public long appliedIndex() {
            return applied;
        }

        @Override
        public List<Long> apply(List<Entry> committed) {
            List<Long> out = new ArrayList<>(committed.size());
            for (Entry e : committed) {
                if (e.type() == EntryType.NORMAL) {
                    payloads++;
                }
                applied = e.index();
                out.add(e.index());
            }
            return out;
        }

        @Override
        public void installSnapshot(Snapshot snapshot) {
            applied = Math.max(applied, snapshot.meta().index());
        }

        @Override
        public void maybeSnapshot() {
            long target = applied - KEEP_ENTRIES;
            if (target - compactedTo >= COMPACT_EVERY) {
                log.compact(target, NO_SNAPSHOT_DATA);
                compactedTo = target;
            }
        }
    }
}
