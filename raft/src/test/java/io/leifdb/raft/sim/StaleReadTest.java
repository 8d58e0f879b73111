package io.leifdb.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * End to end, the history check must catch stale reads: with reads served from local state
 * (no ReadIndex), a frozen old leader that resumes answers from its stale state, and some seed
 * within the bound must fail linearizability, while the same seed passes with ReadIndex.
 */
class StaleReadTest {
    private static final int MAX_SEEDS = 100;

    @Test
    void readsWithoutReadIndexAreCaughtAsStale() {
        Scenario local = Scenario.pausedLeader().withLocalReads();
        List<Long> seeds = LongStream.rangeClosed(1, MAX_SEEDS).boxed().toList();
        Simulation.Result caught = null;
        for (int from = 0; from < seeds.size() && caught == null; from += 10) {
            caught = SimulationRunner.runAll(local, seeds.subList(from, Math.min(seeds.size(), from + 10))).stream()
                    .filter(r -> !r.passed()).findFirst().orElse(null);
        }
        assertThat(caught).as("stale local reads survived %d seeds", MAX_SEEDS).isNotNull();
        assertThat(caught.failure()).startsWith("linearizability: NOT_LINEARIZABLE");
        if (SimulationRunner.verbose()) SimulationRunner.CONSOLE.println(SimulationRunner.report(caught));
        Simulation.Result readIndex = Simulation.run(Scenario.pausedLeader(), caught.seed());
        assertThat(readIndex.passed()).as(() -> SimulationRunner.report(readIndex)).isTrue();
    }
}
