package io.leifdb.raft.sim;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Entry;
import io.leifdb.raft.FragmentAck;
import io.leifdb.raft.Message;
import io.leifdb.raft.Snapshot;
import io.leifdb.raft.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Messages no member would send, delivered during chaos (issue 11): random messages of every type
 * from ids that are not members, messages whose term or index is out of range (2^63-1, 2^48+1,
 * -1 and values next to them) from members and non-members alike, and replays of real messages
 * captured earlier. The core must refuse every forged one ({@link SimNode#deliverHostile}); a
 * replay is legal Raft (a very late duplicate) and must be harmless. Nothing here runs after healing.
 */
final class HostileInjector {
    /** Out of range as a term: past the ceiling of 2^48, or negative (an unsigned value at or past 2^63). */
    private static final long[] BAD_TERMS = {Long.MAX_VALUE, Long.MAX_VALUE - 1, (1L << 48) + 1, (1L << 62) + 1,
            -1, Long.MIN_VALUE};
    /** Out of range as an index: past 2^62, or negative. */
    private static final long[] BAD_INDEXES = {Long.MAX_VALUE, Long.MAX_VALUE - 1, (1L << 62) + 1, -1, Long.MIN_VALUE};
    /** Large but in range: harmless only because a non-member sends them. */
    private static final long[] NEAR = {(1L << 48) + 1, (1L << 48) - 1, 1L << 40, 1L << 62};
    private static final int REPLAY_BUFFER = 256;
    private static final int TYPES = 12;

    private final Scenario scenario;
    private final Simulation sim;
    private final SplittableRandom rnd;
    private final List<Message> captured = new ArrayList<>();
    private long seen;

    HostileInjector(Scenario scenario, Simulation sim, SplittableRandom rnd) {
        this.scenario = scenario;
        this.sim = sim;
        this.rnd = rnd;
    }

    /** A real message was delivered: keep a uniform sample of them to replay later (reservoir sampling). */
    void capture(Message m) {
        seen++;
        if (captured.size() < REPLAY_BUFFER) {
            captured.add(m);
        } else {
            long slot = rnd.nextLong(seen);
            if (slot < REPLAY_BUFFER) captured.set((int) slot, m);
        }
    }

    /** Once per tick of chaos: maybe a burst of one to four hostile messages. */
    void tick() {
        if (rnd.nextDouble() >= scenario.hostileRate()) return;
        int burst = 1 + rnd.nextInt(4);
        for (int i = 0; i < burst; i++) {
            int kind = rnd.nextInt(3);
            if (kind == 0 && !captured.isEmpty()) {
                Message m = captured.get(rnd.nextInt(captured.size()));
                sim.trace().count("hostile replay");
                sim.trace().message(sim.now(), m);
                sim.node(m.to()).deliver(m);
                continue;
            }
            SimNode target = sim.node(1 + rnd.nextInt(sim.size()));
            Message m = kind == 1 ? forgedByStranger(target) : outOfRange(target);
            sim.trace().count(kind == 1 ? "hostile stranger" : "hostile out-of-range");
            sim.trace().message(sim.now(), m);
            target.deliverHostile(m);
        }
    }

    /** Any message type, plausible or not, from an id that was never a member (0 means "none"). */
    private Message forgedByStranger(SimNode target) {
        long from = rnd.nextInt(8) == 0 ? 0 : sim.size() + 1 + rnd.nextInt(3);
        long term = rnd.nextInt(4) == 0 ? pick(NEAR) : Math.max(0, target.term() - 1 + rnd.nextInt(4));
        return message(from, target.id, term, rnd.nextInt(4) == 0 ? pick(NEAR) : rnd.nextInt(40));
    }

    /** From a member (or not): a term out of range, or a current term with an index out of range. */
    private Message outOfRange(SimNode target) {
        long from = 1 + rnd.nextInt(sim.size() + 2);
        if (from == target.id) from = target.id % (sim.size() + 2) + 1;
        if (rnd.nextBoolean()) return message(from, target.id, pick(BAD_TERMS), rnd.nextInt(40));
        return withBadIndex(from, target.id, target.term(), pick(BAD_INDEXES));
    }

    /** A message of a random type whose every index field is {@code index}. */
    private Message message(long from, long to, long term, long index) {
        return switch (rnd.nextInt(TYPES)) {
            case 0 -> new Message.AppendEntries(from, to, term, index, Math.min(term, Math.max(0, term - 1)),
                    entries(index + 1, term), index);
            case 1 -> new Message.AppendResponse(from, to, term, rnd.nextBoolean(), index, index, term);
            case 2 -> new Message.Heartbeat(from, to, term, index, rnd.nextInt(3));
            case 3 -> new Message.HeartbeatResponse(from, to, term, rnd.nextInt(3));
            case 4 -> new Message.RequestVote(from, to, term, index, term, rnd.nextBoolean(), rnd.nextBoolean());
            case 5 -> new Message.VoteResponse(from, to, term, true, rnd.nextBoolean());
            case 6 -> new Message.InstallSnapshot(from, to, term, snapshot(index, term));
            case 7 -> new Message.TimeoutNow(from, to, term);
            case 8 -> new Message.ReadIndexRequest(from, to, term, rnd.nextLong());
            case 9 -> new Message.ReadIndexResponse(from, to, term, rnd.nextLong(), index);
            case 10 -> new Message.FragmentRequest(from, to, term, index, index + rnd.nextInt(5));
            default -> new Message.FragmentResponse(from, to, term, index, index, entries(index, term));
        };
    }

    /** Only the types that carry an index, with one index field out of range and a valid current term. */
    private Message withBadIndex(long from, long to, long term, long bad) {
        return switch (rnd.nextInt(7)) {
            case 0 -> new Message.AppendEntries(from, to, term, bad, term, List.of(), 0);
            case 1 -> new Message.AppendEntries(from, to, term, 0, 0, List.of(), bad);
            case 2 -> new Message.AppendResponse(from, to, term, rnd.nextBoolean(), rnd.nextBoolean() ? bad : 1,
                    bad, term, rnd.nextBoolean() ? List.of() : List.of(FragmentAck.full(1, bad)));
            case 3 -> new Message.Heartbeat(from, to, term, bad, 0);
            case 4 -> new Message.RequestVote(from, to, term, bad, term, rnd.nextBoolean(), rnd.nextBoolean());
            case 5 -> new Message.InstallSnapshot(from, to, term, snapshot(bad, term));
            default -> new Message.ReadIndexResponse(from, to, term, rnd.nextLong(), bad);
        };
    }

    private List<Entry> entries(long first, long term) {
        int n = rnd.nextInt(3);
        List<Entry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Entry.normal(term, first + i, ("forged-" + rnd.nextInt(1000)).getBytes()));
        }
        return out;
    }

    private Snapshot snapshot(long index, long term) {
        ConfState conf = ConfState.of(Set.of(1L, (long) sim.size() + 1));
        return new Snapshot(new SnapshotMeta(index, term, conf), new byte[0]);
    }

    private long pick(long[] values) {
        return values[rnd.nextInt(values.length)];
    }
}
