package io.leifdb.raft;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * Adaptive k's view of the voters (issue 14, after FlexRaft): over a window of half an election
 * timeout (at least 3 ticks), what a majority and each voter acknowledged, and from that which voters
 * keep up, and whether one that is behind will soon hold a given index.
 *
 * <p>A voter keeps up when it holds what a majority held a window ago (lag), or when it keeps the
 * majority's pace (rate) and is not the one the code in use waits for. Lag alone failed when links,
 * not one member, bound the writes: with 1 MiB values behind one shared 100 Mbit/s egress, full
 * copies left two followers a steady distance behind the majority at the same pace, and k stayed at
 * full copies (2.40 writes/s against fixed k's 7.95). Rate alone fails for a slow member the code
 * waits for: its pace is then the commit's pace, so such a voter must also not trail the voter ranked
 * just above it by more than the window's progress (then the others stand idle waiting for it).
 */
final class VoterPace {
    /** How many windows a voter that keeps pace may need to clear its backlog, and how long one admitted by pace is not judged a bottleneck. */
    static final int DRAIN_WINDOWS = 4;

    private final Raft r;
    private final LongUnaryOperator ackedBy;
    /** Ticks in a window: half an election timeout, at least 3. */
    private final int window;
    /** The highest index a majority of the voters had acknowledged at each of the last two windows' ticks, by tick modulo their length. */
    private final long[] majorityAt;
    /** Per voter, what it had acknowledged at the same ticks. */
    private final Map<Long, long[]> ackedAt = new HashMap<>();
    /** Per voter admitted by pace while behind: the tick until which it is not judged a bottleneck. */
    private final Map<Long, Long> graceUntil = new HashMap<>();
    private long floor;
    private long ticks;

    /** @param ackedBy the highest index a voter acknowledged in this term (the leader: its last index) */
    VoterPace(Raft r, LongUnaryOperator ackedBy) {
        this.r = r;
        this.ackedBy = ackedBy;
        this.window = Math.max(3, r.config.electionTick() / 2);
        this.majorityAt = new long[2 * window];
    }

    /** Ticks in a window. */
    int window() {
        return window;
    }

    /** A new term from {@code firstOfTerm}: nothing acknowledged before it counts. */
    void reset(long firstOfTerm) {
        floor = firstOfTerm;
        Arrays.fill(majorityAt, firstOfTerm);
        ackedAt.clear();
        graceUntil.clear();
    }

    /** The voters changed: forget the others. */
    void retain(java.util.Set<Long> voters) {
        ackedAt.keySet().retainAll(voters);
        graceUntil.keySet().retainAll(voters);
    }

    /** Once per tick, before any question. */
    void record(long tick) {
        ticks = tick;
        int slot = (int) (tick % majorityAt.length);
        majorityAt[slot] = Math.max(floor, majorityAcked());
        for (long v : r.tracker.conf.voters()) {
            ackedAt.computeIfAbsent(v, x -> filled(floor))[slot] = Math.max(floor, ackedBy.applyAsLong(v));
        }
    }

    /** The highest index that a majority of the voters (the leader included) acknowledged in this term. */
    long majorityAcked() {
        long[] got = r.tracker.conf.voters().stream().mapToLong(ackedBy::applyAsLong).sorted().toArray();
        return got.length == 0 ? 0 : got[got.length - (got.length / 2 + 1)];
    }

    /** What a majority held a window ago. */
    long mark() {
        return majorityAt[slot(window)];
    }

    /** Indexes {@code v} acknowledged over the last two windows (smoother than one: acknowledgements come in bursts). */
    long pace(long v) {
        long[] at = ackedAt.get(v);
        return at == null ? 0 : ackedBy.applyAsLong(v) - at[slot(2 * window - 1)];
    }

    /**
     * Voters (the leader included) heard from within an election timeout, not receiving a snapshot,
     * that keep up, when the code in use is {@code k} of {@code coding}.
     */
    int keepingUp(ErasureCoding coding, int k) {
        long mark = mark();
        long majorityPace = majorityAcked() - majorityAt[slot(2 * window - 1)];
        Long[] ranked = r.tracker.conf.voters().stream().filter(v -> v != r.id)
                .sorted(Comparator.comparingLong(ackedBy::applyAsLong).reversed().thenComparing(v -> v))
                .toArray(Long[]::new);
        int waitedFor = coding.tolerated() + k - 1; // the followers the code in use needs
        int n = 1; // the leader
        for (int i = 0; i < ranked.length; i++) {
            long v = ranked[i];
            if (!live(v)) {
                continue;
            }
            long acked = ackedBy.applyAsLong(v);
            if (acked >= mark) {
                n++;
            } else if (graceUntil.getOrDefault(v, -1L) > ticks && pace(v) > 0) {
                n++; // admitted by pace lately: give it time to clear what it received in the old code
            } else if (keepsPace(v, majorityPace, coding.k(), k)) {
                long above = i == 0 ? r.log.lastIndex() : ackedBy.applyAsLong(ranked[i - 1]);
                if (i >= waitedFor) {
                    graceUntil.put(v, ticks + (long) DRAIN_WINDOWS * window);
                    n++;
                } else if (above - acked <= majorityPace) { // not the one the others stand waiting for
                    n++;
                }
            }
        }
        return n;
    }

    /** Whether {@code v} holds {@code index} or, at its pace over the window, will within {@link #DRAIN_WINDOWS} windows. */
    boolean holdsSoon(long v, long index) {
        if (v == r.id) {
            return true;
        }
        if (!live(v)) {
            return false;
        }
        long acked = ackedBy.applyAsLong(v);
        long twoWindows = pace(v);
        return acked >= index || (twoWindows > 0 && 2 * (index - acked) <= DRAIN_WINDOWS * twoWindows);
    }

    /**
     * At least three quarters of the majority's pace over the window, and at that pace, sped up by the
     * smaller fragments of the cluster's k against the code in use, its backlog clears within
     * {@link #DRAIN_WINDOWS} windows (a member far behind, catching up, never counts).
     */
    private boolean keepsPace(long v, long majorityPace, int clusterK, int k) {
        long own = pace(v);
        long backlog = r.log.lastIndex() - ackedBy.applyAsLong(v);
        return majorityPace > 0 && 4 * own >= 3 * majorityPace
                && 2 * backlog * Math.max(1, k) <= DRAIN_WINDOWS * own * Math.max(1, clusterK);
    }

    /** Voters (the leader included) heard from within an election timeout and not receiving a snapshot. */
    int liveVoters() {
        int n = 0;
        for (long v : r.tracker.conf.voters()) {
            if (v == r.id || live(v)) {
                n++;
            }
        }
        return n;
    }

    private boolean live(long v) {
        Progress p = r.tracker.get(v);
        return p != null && p.ticksSinceContact < r.config.electionTick() && p.state != Progress.State.SNAPSHOT;
    }

    /** The ring slot of {@code back} ticks ago. */
    private int slot(int back) {
        return (int) Math.floorMod(ticks - back, (long) majorityAt.length);
    }

    private long[] filled(long value) {
        long[] a = new long[majorityAt.length];
        Arrays.fill(a, value);
        return a;
    }
}
