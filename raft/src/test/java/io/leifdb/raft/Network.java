package io.leifdb.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;

/**
 * A deterministic in-memory cluster for unit tests: each node's Ready is persisted to its
 * {@link MemoryStorage}, its messages go into one FIFO queue, and delivery is explicit.
 * Messages can be cut per link, per node, or by predicate.
 */
final class Network {
    final Map<Long, RawNode> nodes = new TreeMap<>();
    final Map<Long, MemoryStorage> storages = new TreeMap<>();
    final Map<Long, List<Entry>> applied = new TreeMap<>();
    final Map<Long, List<ReadState>> reads = new TreeMap<>();
    final Map<Long, List<Snapshot>> installed = new TreeMap<>();
    final Map<Long, RaftConfig> configs = new TreeMap<>();
    final ArrayDeque<Message> queue = new ArrayDeque<>();
    /** Every message that left a node, in order, dropped or not. */
    final List<Message> sent = new ArrayList<>();
    private final Set<Long> isolated = new HashSet<>();
    private final Set<List<Long>> cutLinks = new HashSet<>();
    private Predicate<Message> drop = m -> false;
    /** Nodes driven with advanceWritten: their own log counts only after persisted(). */
    final Set<Long> writesOnly = new HashSet<>();

    /** Plain-paper defaults: no pre-vote, no check-quorum, electionTick 10, heartbeatTick 1. */
    static RaftConfig plain(long id) {
        return RaftConfig.defaults(id).withPreVote(false).withCheckQuorum(false);
    }

    static Network of(int voters) {
        return of(voters, UnaryOperator.identity());
    }

    static Network of(int voters, UnaryOperator<RaftConfig> tweak) {
        ConfState conf = ConfState.of(Set.copyOf(LongStream.rangeClosed(1, voters).boxed().toList()));
        return of(conf, tweak);
    }

    static Network of(ConfState conf, UnaryOperator<RaftConfig> tweak) {
        Network net = new Network();
        List<Long> all = new ArrayList<>(conf.voters());
        all.addAll(conf.learners());
        for (long id : all) {
            net.add(id, tweak.apply(plain(id)), new MemoryStorage(conf));
        }
        return net;
    }

    /** One node with a prepared storage and no peers present: tests route its messages by hand. */
    static Network solo(long id, MemoryStorage storage) {
        Network net = new Network();
        net.add(id, plain(id), storage);
        return net;
    }

    void add(long id, RaftConfig config, MemoryStorage storage) {
        configs.put(id, config);
        storages.put(id, storage);
        nodes.put(id, new RawNode(config, storage));
        applied.putIfAbsent(id, new ArrayList<>());
        reads.putIfAbsent(id, new ArrayList<>());
        installed.putIfAbsent(id, new ArrayList<>());
    }

    /** Simulates a crash and restart from what was persisted: volatile state is lost. */
    void restart(long id) {
        MemoryStorage s = storages.get(id);
        long lastApplied = applied.get(id).isEmpty() ? 0 : applied.get(id).getLast().index();
        lastApplied = Math.max(lastApplied, s.snapshotMeta().index());
        nodes.put(id, new RawNode(configs.get(id).withApplied(Math.min(lastApplied, s.hardState().commit())), s));
    }

    RawNode node(long id) {
        return nodes.get(id);
    }

    /** Persists, queues messages, applies and advances until the node has nothing ready. */
    void processReady(long id) {
        RawNode n = nodes.get(id);
        MemoryStorage s = storages.get(id);
        while (n.hasReady()) {
            Ready rd = n.ready();
            if (rd.snapshot() != null) {
                s.applySnapshot(rd.snapshot());
                installed.get(id).add(rd.snapshot());
            }
            s.append(rd.entries());
            if (rd.hardState() != null) {
                s.setHardState(rd.hardState());
            }
            for (Message m : rd.messages()) {
                sent.add(m);
                if (!blocked(m)) {
                    queue.add(m);
                }
            }
            applied.get(id).addAll(rd.committedEntries());
            // The applied membership is what a later snapshot records.
            rd.committedEntries().stream().filter(e -> e.type() == EntryType.CONFIG)
                    .forEach(e -> s.setConfState(ConfStateCodec.decode(e.data())));
            reads.get(id).addAll(rd.readStates());
            if (writesOnly.contains(id)) {
                n.advanceWritten(rd);
            } else {
                n.advance(rd);
            }
        }
    }

    void processAll() {
        nodes.keySet().forEach(this::processReady);
    }

    private boolean blocked(Message m) {
        return isolated.contains(m.from()) || isolated.contains(m.to())
                || cutLinks.contains(List.of(m.from(), m.to())) || drop.test(m);
    }

    /** Delivers queued messages (and everything they cause) until the cluster is quiet. */
    void stabilize() {
        processAll();
        int budget = 100_000;
        while (!queue.isEmpty()) {
            if (--budget == 0) {
                throw new AssertionError("network did not quiesce");
            }
            Message m = queue.poll();
            if (blocked(m) || !nodes.containsKey(m.to())) {
                continue;
            }
            nodes.get(m.to()).step(m);
            processReady(m.to());
        }
    }

    /** Takes the queued messages without delivering them, for a test to inspect or reorder. */
    List<Message> take() {
        processAll();
        List<Message> out = new ArrayList<>(queue);
        queue.clear();
        return out;
    }

    void deliver(Message m) {
        nodes.get(m.to()).step(m);
        processReady(m.to());
    }

    void tick(long id, int times) {
        for (int i = 0; i < times; i++) {
            nodes.get(id).tick();
            processReady(id);
        }
    }

    /** Ticks every node once and delivers, {@code times} rounds. */
    void tickAll(int times) {
        for (int i = 0; i < times; i++) {
            nodes.values().forEach(RawNode::tick);
            stabilize();
        }
    }

    /** Makes {@code id} leader by an immediate campaign, and lets the cluster settle. */
    void elect(long id) {
        nodes.get(id).campaign();
        stabilize();
        if (nodes.get(id).status().role() != Role.LEADER) {
            throw new AssertionError("node " + id + " did not win: " + nodes.get(id).status());
        }
    }

    void isolate(long id) {
        isolated.add(id);
    }

    void cut(long a, long b) {
        cutLinks.add(List.of(a, b));
        cutLinks.add(List.of(b, a));
    }

    void heal() {
        isolated.clear();
        cutLinks.clear();
        drop = m -> false;
    }

    void dropIf(Predicate<Message> p) {
        drop = p;
    }

    Status status(long id) {
        return nodes.get(id).status();
    }

    /** The node's persisted log entries from its first stored index on. */
    List<Entry> log(long id) {
        MemoryStorage s = storages.get(id);
        if (s.lastIndex() < s.firstIndex()) {
            return List.of();
        }
        return s.entries(s.firstIndex(), s.lastIndex() + 1, Long.MAX_VALUE);
    }

    <T extends Message> List<T> sentOfType(Class<T> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
