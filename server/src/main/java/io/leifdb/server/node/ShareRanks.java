package io.leifdb.server.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;

/**
 * Which holders a coded read asks first, learnt from their last answers. A member's fragment id is
 * its position among the voters, the same for every write under one configuration, so the holder
 * that last sent data shard i will most likely send it again. Data shards come first (with all k
 * of them the decoder only copies), then holders not heard from, then parity, then holders that
 * send the whole value (three times the bytes of a fragment at k = 3), then the ones that had
 * nothing or were too slow. A wrong guess costs one more ask, never a wrong value. Thread-safe.
 */
final class ShareRanks {
    /** {@link #answered}: the whole value. */
    static final int WHOLE = -1;
    /** {@link #answered}: nothing usable (no share, malformed, another codeword, unreachable). */
    static final int NONE = -2;
    /** {@link #answered}: a fragment the round no longer looked at; keeps the id learnt before. */
    static final int SAME = -3;

    private static final Duration MIN_HEDGE = Duration.ofMillis(50);
    private static final Duration MAX_HEDGE = Duration.ofSeconds(1);

    /** Per peer: its last fragment id, {@link #WHOLE} or {@link #NONE}; absent: not heard from. */
    private final Map<Long, Integer> last = new ConcurrentHashMap<>();
    /** Peers that have not answered since a round passed them over. */
    private final Set<Long> slow = ConcurrentHashMap.newKeySet();
    /** Smoothed duration of a completed round, in nanoseconds (0 before the first). */
    private volatile long typicalNanos;

    /** {@code peers} in the order to ask them, for a reader holding fragment {@code ownId} of a code with k = {@code k}. */
    List<Long> order(List<Long> peers, int k, int ownId) {
        return order(peers, k, id -> id == ownId);
    }

    /** As above, for a reader that holds the shards {@code held} says it holds. */
    List<Long> order(List<Long> peers, int k, IntPredicate held) {
        List<Long> out = new ArrayList<>(peers);
        out.sort(Comparator.comparingInt(p -> rank(p, k, held))); // stable: ties keep the configured order
        return out;
    }

    private int rank(long peer, int k, IntPredicate held) {
        if (slow.contains(peer)) return 5;
        Integer id = last.get(peer);
        if (id == null) return 1;
        if (id == NONE || (id >= 0 && held.test(id))) return 4; // nothing, or a copy of a shard we hold
        if (id == WHOLE) return 3;
        return id < k ? 0 : 2;
    }

    /** The peer among {@code peers} that last sent fragment {@code id} and was not slow since, or -1. */
    long holderOf(int id, List<Long> peers) {
        for (long p : peers) {
            Integer last = this.last.get(p);
            if (last != null && last == id && !slow.contains(p)) return p;
        }
        return -1;
    }

    void answered(long peer, int what) {
        slow.remove(peer);
        if (what != SAME) last.put(peer, what);
    }

    /** Peers a round hedged past before they answered. */
    void slow(List<Long> peers) {
        slow.addAll(peers);
    }

    void took(Duration d) {
        long t = typicalNanos;
        typicalNanos = t == 0 ? d.toNanos() : (7 * t + d.toNanos()) / 8;
    }

    /**
     * How long a round waits for the holders it asked before asking all the others: three times a
     * typical round, within [50 ms, 1 s] (a 1 MiB value at k = 3 takes about 60 ms behind 100 Mbit/s).
     */
    Duration hedgeDelay() {
        Duration d = Duration.ofNanos(3 * typicalNanos);
        return d.compareTo(MIN_HEDGE) < 0 ? MIN_HEDGE : d.compareTo(MAX_HEDGE) > 0 ? MAX_HEDGE : d;
    }
}
