package io.leifdb.raft.sim;

import io.leifdb.raft.lin.History;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.LongFunction;

/**
 * Simulated clients. Each has at most one operation outstanding and sends it to a random node: a
 * write is redirected to the leader that node knows (the HTTP layer's 307), a read is served there
 * (linearizable through ReadIndex, which a follower forwards, or stale from local state, which is
 * fire-and-forget and checked by the node for monotonic progress). It records every call and
 * outcome in a {@link History} for the linearizability check. An operation that takes too long is
 * abandoned: a write becomes unknown, a read is dropped.
 */
final class Clients {
    /** {@code committedAtCall}: the highest index any node knew committed when a read was called. */
    private record Open(int client, boolean write, long node, long deadline, String what, long committedAtCall) {
    }

    private static final int KEYS = 3;

    private final History history = new History();
    private final Env env;
    private final int count;
    private final long timeoutSteps;
    private final boolean[] busy;
    private final Map<Long, Open> open = new HashMap<>();
    /** Outcome of each liveness write once it closed: true when it committed. */
    private final Map<Long, Boolean> livenessClosed = new HashMap<>();
    private long okWrites;
    private long okReads;

    Clients(Env env, int count, long timeoutSteps) {
        this.env = env;
        this.count = count;
        this.timeoutSteps = timeoutSteps;
        this.busy = new boolean[count];
    }

    History history() {
        return history;
    }

    /** Idle clients issue a new operation with chance {@code rate} each. */
    void issue(double rate, LongFunction<SimNode> route, LongFunction<SimNode> node, int nodes) {
        SplittableRandom rnd = env.rnd();
        for (int c = 0; c < count; c++) {
            if (busy[c] || rnd.nextDouble() >= rate) continue;
            long id = 1 + rnd.nextInt(nodes);
            String key = "k" + rnd.nextInt(KEYS);
            int pick = rnd.nextInt(10);
            if (pick < 4) {
                read(c, node.apply(id), key); // served where it lands: a follower forwards its ReadIndex request
            } else if (pick == 4) {
                node.apply(id).staleRead(key); // consistency=stale: outside the history, checked per node instead
            } else {
                write(c, route.apply(id), key, pick == 9);
            }
        }
    }

    /**
     * A write of the liveness check, sent straight to {@code leader}. Like any other it is
     * abandoned after the timeout (its leader may have been removed and never learn its fate), and
     * then the check retries it at the current leader.
     */
    long livenessWrite(SimNode leader) {
        String value = "L" + env.now();
        long id = history.callWrite("live", value, env.now());
        open.put(id, new Open(-1, true, leader.id, env.now() + timeoutSteps, "liveness put(live=" + value + ")", 0));
        env.trace().event(env.now(), "liveness put(live=" + value + ")#" + id + " -> n" + leader.id);
        leader.clientWrite(id, Command.put(id, "live", value));
        return id;
    }

    /** Null while the liveness write is open; then whether it committed. */
    Boolean livenessOutcome(long id) {
        return livenessClosed.get(id);
    }

    private void read(int client, SimNode target, String key) {
        long id = history.callRead(key, env.now());
        busy[client] = true;
        open.put(id, new Open(client, false, target.id, env.now() + timeoutSteps, "read(" + key + ")",
                env.checker().maxCommitted()));
        env.trace().event(env.now(), "client " + client + " read(" + key + ")#" + id + " -> n" + target.id);
        target.clientRead(id, key);
    }

    private void write(int client, SimNode target, String key, boolean delete) {
        long id;
        Command cmd;
        if (delete) {
            id = history.callDelete(key, env.now());
            cmd = Command.delete(id, key);
        } else {
            String value = "v" + env.now() + "." + client;
            id = history.callWrite(key, value, env.now());
            cmd = Command.put(id, key, value);
        }
        busy[client] = true;
        open.put(id, new Open(client, true, target.id, env.now() + timeoutSteps, cmd.toString(), 0));
        env.trace().event(env.now(), "client " + client + " " + cmd + " -> n" + target.id);
        target.clientWrite(id, cmd);
    }

    /** Abandons operations past their deadline. */
    void expire(LongFunction<SimNode> node) {
        List<Long> late = new ArrayList<>();
        open.forEach((id, o) -> {
            if (o.deadline() <= env.now()) late.add(id);
        });
        late.sort(null);
        for (long id : late) {
            Open o = open.get(id);
            node.apply(o.node()).forget(id);
            env.trace().event(env.now(), "#" + id + " times out (" + (o.write() ? "unknown" : "dropped") + ")");
            close(id, false).ifPresent(x -> history.unknown(id));
        }
    }

    void writeDone(long id, long node, long index) {
        close(id, true).ifPresent(o -> {
            history.ok(id, env.now(), null);
            okWrites++;
            env.trace().event(env.now(), "#" + id + " " + o.what() + " ok at n" + node + " index " + index);
        });
    }

    void writeUnknown(long id) {
        close(id, false).ifPresent(o -> {
            history.unknown(id);
            env.trace().event(env.now(), "#" + id + " " + o.what() + " outcome unknown");
            env.trace().count("write unknown");
        });
    }

    void writeRefused(long id) {
        close(id, false).ifPresent(o -> history.failed(id, env.now()));
    }

    /**
     * A read was served from the state at {@code index}. ReadIndex (§6.4) must return an index
     * covering everything committed before the read began; a smaller one means a stale node (say,
     * a resumed old leader) answered from its own state. Local reads skip the check on purpose:
     * they exist to prove the history check catches the same thing.
     */
    void readDone(long id, long node, String value, long index) {
        Open pending = open.get(id);
        if (pending != null && !env.localReads() && index < pending.committedAtCall()) {
            throw new SafetyViolation("read index safety: n" + node + " served read #" + id + " at index " + index
                    + ", but index " + pending.committedAtCall() + " was committed before the read began");
        }
        close(id, false).ifPresent(o -> {
            history.ok(id, env.now(), value);
            okReads++;
            env.trace().event(env.now(), "#" + id + " " + o.what() + " = " + (value == null ? "<absent>" : value)
                    + " at n" + node + " (read index " + index + ")");
        });
    }

    void readLost(long id) {
        close(id, false).ifPresent(o -> history.unknown(id));
    }

    private Optional<Open> close(long id, boolean ok) {
        Open o = open.remove(id);
        if (o == null) return Optional.empty();
        if (o.client() >= 0) {
            busy[o.client()] = false;
        } else {
            livenessClosed.put(id, ok);
        }
        return Optional.of(o);
    }

    long okWrites() {
        return okWrites;
    }

    long okReads() {
        return okReads;
    }
}
