package io.leifdb.raft.sim;

import io.leifdb.raft.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A seeded, lossy network between simulated nodes. Each message gets a random delay, so messages
 * reorder; it may be dropped or duplicated. Links can be cut in one direction or both; a cut link
 * loses what is in flight on it when the message would arrive. Nothing here knows about Raft.
 */
final class SimNetwork {
    /**
     * A message in flight; {@code seq} breaks ties so delivery order is a function of the seed. A
     * lost snapshot travels too, so its sender learns of the failure when it would have arrived.
     */
    private record InFlight(long at, long seq, Message message, boolean lost) {
    }

    private final SplittableRandom rnd;
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final Set<Link> cut = new HashSet<>();
    private long seq;
    private double dropRate;
    private double duplicateRate;
    private int maxDelay = 1;
    private long sent;
    private long dropped;

    /** A directed link. */
    record Link(long from, long to) {
    }

    SimNetwork(SplittableRandom rnd) {
        this.rnd = rnd;
    }

    /** Sets the fault rates; {@code maxDelay} is in simulation steps (at least 1). */
    void conditions(double dropRate, double duplicateRate, int maxDelay) {
        this.dropRate = dropRate;
        this.duplicateRate = duplicateRate;
        this.maxDelay = Math.max(1, maxDelay);
    }

    void send(Message m, long now) {
        sent++;
        if (rnd.nextDouble() < dropRate) {
            dropped++;
            if (m instanceof Message.InstallSnapshot) enqueue(m, now, true);
            return;
        }
        enqueue(m, now, false);
        if (rnd.nextDouble() < duplicateRate) enqueue(m, now, false);
    }

    private void enqueue(Message m, long now, boolean lost) {
        inFlight.add(new InFlight(now + 1 + rnd.nextInt(maxDelay), seq++, m, lost));
    }

    /**
     * Messages due by {@code now} whose link is not cut, in delivery order. Each snapshot that was
     * lost on the way goes to {@code lostSnapshots} instead, as a streaming transport would report.
     */
    List<Message> deliver(long now, List<Message> lostSnapshots) {
        List<Message> out = new ArrayList<>();
        while (!inFlight.isEmpty() && inFlight.peek().at <= now) {
            InFlight f = inFlight.poll();
            Message m = f.message();
            if (f.lost() || cut.contains(new Link(m.from(), m.to()))) {
                if (!f.lost()) dropped++;
                if (m instanceof Message.InstallSnapshot) lostSnapshots.add(m);
            } else {
                out.add(m);
            }
        }
        return out;
    }

    /** Cuts every link between the two sides, both ways. */
    void partition(Set<Long> side, Set<Long> other) {
        for (long a : side) {
            for (long b : other) {
                cut.add(new Link(a, b));
                cut.add(new Link(b, a));
            }
        }
    }

    /** Cuts only {@code from -> to}: {@code to} stops hearing {@code from}, but not the reverse. */
    void cutOneWay(long from, long to) {
        cut.add(new Link(from, to));
    }

    void heal() {
        cut.clear();
    }

    boolean isCut(long from, long to) {
        return cut.contains(new Link(from, to));
    }

    boolean anyCut() {
        return !cut.isEmpty();
    }

    int inFlightCount() {
        return inFlight.size();
    }

    long sent() {
        return sent;
    }

    long dropped() {
        return dropped;
    }
}
