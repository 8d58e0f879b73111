package io.leifdb.bench.jmh;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.MemoryStorage;
import io.leifdb.raft.Message;
import io.leifdb.raft.ProposalDroppedException;
import io.leifdb.raft.RaftConfig;
import io.leifdb.raft.RawNode;
import io.leifdb.raft.Ready;
import io.leifdb.raft.Role;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Raft nodes wired back to back on one thread: each Ready is persisted to a {@link MemoryStorage},
 * its messages are queued and then stepped into their target, until no node has anything left to
 * do. There is no clock: nothing ticks, so no election or heartbeat fires while it is measured.
 * Uses only the public API of io.leifdb.raft, the way a driver would.
 */
final class InMemoryCluster {
    /** Entries each node keeps below its applied index when it compacts; followers never lag that far here. */
    private static final long KEEP_ENTRIES = 1024;
    /** Compact once this many entries were applied since the last compaction, so memory stays flat. */
    private static final long COMPACT_EVERY = 8192;
    /** A drain that needs more rounds than this is not converging: a bug, not a slow run. */
    private static final int MAX_ROUNDS = 10_000;
    private static final byte[] NO_SNAPSHOT_DATA = new byte[0];

    private final RawNode[] nodes;
    private final MemoryStorage[] storages;
    private final long[] applied;
    private final long[] compactedTo;
    private final ArrayDeque<Message> wire = new ArrayDeque<>();
    private long appliedPayloads;
    private int leader = -1;

    /** Nodes 1..size, all voters, fresh logs; {@code seed} feeds the election timeouts. */
    InMemoryCluster(int size, long seed) {
        Set<Long> voters = new HashSet<>();
        for (long id = 1; id <= size; id++) {
            voters.add(id);
        }
        ConfState conf = ConfState.of(voters);
        nodes = new RawNode[size];
        storages = new MemoryStorage[size];
        applied = new long[size];
        compactedTo = new long[size];
        for (int i = 0; i < size; i++) {
            storages[i] = new MemoryStorage(conf);
            nodes[i] = new RawNode(RaftConfig.defaults(i + 1).withSeed(seed + i), storages[i]);
        }
    }

    /** Makes node {@code id} campaign and waits (in delivered messages, not time) until it leads. */
    void elect(long id) {
        RawNode candidate = nodes[(int) id - 1];
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
        try {
            return nodes[leader].propose(data);
        } catch (ProposalDroppedException e) {
            throw new IllegalStateException("leader " + (leader + 1) + " refused a proposal", e);
        }
    }

    /** Runs Ready rounds and message delivery until the whole cluster is quiet. */
    void drain() {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean busy = false;
            for (int i = 0; i < nodes.length; i++) {
                while (nodes[i].hasReady()) {
                    handle(i, nodes[i].ready());
                    busy = true;
                }
            }
            if (wire.isEmpty() && !busy) {
                compactIfDue();
                return;
            }
            for (Message m; (m = wire.poll()) != null; ) {
                nodes[(int) m.to() - 1].step(m);
            }
        }
        throw new IllegalStateException("cluster still busy after " + MAX_ROUNDS + " rounds");
    }

    /** Throws unless every node has applied {@code index}: the benchmark must not count work that failed. */
    void requireApplied(long index) {
        for (int i = 0; i < nodes.length; i++) {
            if (applied[i] < index) {
                throw new IllegalStateException("node " + (i + 1) + " applied " + applied[i] + " < " + index);
            }
        }
    }

    /** Normal entries applied across all nodes so far. */
    long appliedPayloads() {
        return appliedPayloads;
    }

    /** The Ready contract in order: persist, send, apply, advance. MemoryStorage is durable at once. */
    private void handle(int i, Ready rd) {
        MemoryStorage s = storages[i];
        if (rd.snapshot() != null) {
            s.applySnapshot(rd.snapshot());
            applied[i] = Math.max(applied[i], rd.snapshot().meta().index());
        }
        s.append(rd.entries());
        if (rd.hardState() != null) {
            s.setHardState(rd.hardState());
        }
        wire.addAll(rd.messages());
        for (Entry e : rd.committedEntries()) {
            if (e.type() == EntryType.NORMAL) {
                appliedPayloads++;
            }
            applied[i] = e.index();
        }
        nodes[i].advance(rd);
    }

    /** What a real node does with snapshots, at a fixed cadence, so a long run does not grow the heap. */
    private void compactIfDue() {
        for (int i = 0; i < nodes.length; i++) {
            long target = applied[i] - KEEP_ENTRIES;
            if (target - compactedTo[i] >= COMPACT_EVERY) {
                storages[i].createSnapshot(target, NO_SNAPSHOT_DATA);
                storages[i].compact(target);
                compactedTo[i] = target;
            }
        }
    }
}
