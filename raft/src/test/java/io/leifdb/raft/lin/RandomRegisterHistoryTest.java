package io.leifdb.raft.lin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Histories produced by a real atomic register must always pass; a planted stale read must not. */
class RandomRegisterHistoryTest {
    /** An operation as generated, with the instant it really took effect. */
    private record Planned(long id, int client, String key, Operation.Kind kind, String value, long call,
                           long at, long ret, boolean lost) {
    }

    @Test
    void acceptsLargeConcurrentHistoryOfLinearRegister() {
        for (long seed = 1; seed <= 20; seed++) {
            List<Operation> history = generate(seed, 6, 3, 150);
            CheckResult r = LinearizabilityChecker.check(history);
            assertThat(r.isLinearizable()).as("seed %d: %s", seed, r.describe()).isTrue();
        }
    }

    @Test
    void historyRecorderTurnsOpenWritesIntoUnknownOnes() {
        History h = new History();
        long w1 = h.callWrite("k", "1", 0);
        h.ok(w1, 1, null);
        long w2 = h.callWrite("k", "2", 2);
        long r = h.callRead("k", 5);
        h.ok(r, 6, "2");
        assertThat(h.isOpen(w2)).isTrue();
        List<Operation> ops = h.operations();
        assertThat(ops).filteredOn(o -> o.id() == w2).singleElement()
                .satisfies(o -> assertThat(o.ret()).isEqualTo(Operation.INFINITY));
        assertThat(LinearizabilityChecker.check(ops).isLinearizable()).isTrue();
        long stale = h.callRead("k", 10);
        h.ok(stale, 11, "1");
        assertThat(LinearizabilityChecker.check(h.operations()).isLinearizable()).isFalse();
    }

    /**
     * Clients issue operations one at a time; each takes effect on a real register at a random
     * instant inside its interval. Some writes are reported unknown, and some of those never happened.
     */
    private static List<Operation> generate(long seed, int clients, int keys, int perClient) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Planned> planned = new ArrayList<>();
        long id = 1;
        for (int c = 0; c < clients; c++) {
            long t = rnd.nextLong(5);
            for (int i = 0; i < perClient; i++) {
                long call = t + 1 + rnd.nextLong(3);
                long at = call + rnd.nextLong(6);
                long ret = at + rnd.nextLong(6);
                String key = "k" + rnd.nextInt(keys);
                int pick = rnd.nextInt(10);
                Operation.Kind kind = pick < 5 ? Operation.Kind.READ : pick < 9 ? Operation.Kind.WRITE
                        : Operation.Kind.DELETE;
                boolean unknown = kind != Operation.Kind.READ && rnd.nextInt(8) == 0;
                boolean lost = unknown && rnd.nextBoolean();
                String value = kind == Operation.Kind.WRITE ? "v" + id : null;
                planned.add(new Planned(id++, c, key, kind, value, call, at, unknown ? Operation.INFINITY : ret, lost));
                t = ret;
            }
        }
        planned.sort(Comparator.comparingLong(Planned::at).thenComparingLong(Planned::id));
        Map<String, String> register = new HashMap<>();
        List<Operation> history = new ArrayList<>();
        for (Planned p : planned) {
            Outcome outcome = p.ret() == Operation.INFINITY ? Outcome.UNKNOWN : Outcome.OK;
            switch (p.kind()) {
                case READ -> history.add(Operation.read(p.id(), p.key(), register.get(p.key()), p.call(), p.ret()));
                case WRITE -> {
                    if (!p.lost()) register.put(p.key(), p.value());
                    history.add(Operation.write(p.id(), p.key(), p.value(), p.call(), p.ret(), outcome));
                }
                default -> {
                    if (!p.lost()) register.remove(p.key());
                    history.add(Operation.delete(p.id(), p.key(), p.call(), p.ret(), outcome));
                }
            }
        }
        return history;
    }
}
