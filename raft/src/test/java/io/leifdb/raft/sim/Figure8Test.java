package io.leifdb.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The simulation must catch a commit rule that ignores the current-term check (Figure 8,
 * §5.4.2) within a bounded number of seeds, while plain Raft passes the same seeds.
 */
class Figure8Test {
    private static final int MAX_SEEDS = 100;

    @Test
    void countingReplicasWithoutCurrentTermCheckIsCaught() {
        Scenario buggy = Scenario.figure8().withPolicy(new CountingReplicasPolicy());
        List<Long> seeds = LongStream.rangeClosed(1, MAX_SEEDS).boxed().toList();
        Simulation.Result caught = null;
        for (int from = 0; from < seeds.size() && caught == null; from += 20) {
            caught = SimulationRunner.runAll(buggy, seeds.subList(from, Math.min(seeds.size(), from + 20))).stream()
                    .filter(r -> !r.passed()).findFirst().orElse(null);
        }
        assertThat(caught).as("the Figure 8 bug survived %d seeds", MAX_SEEDS).isNotNull();
        assertThat(caught.failure()).containsAnyOf("state machine safety", "leader completeness", "commit safety",
                "linearizability");
        if (SimulationRunner.verbose()) {
            SimulationRunner.CONSOLE.println("figure 8: the counting-replicas rule was caught at seed " + caught.seed()
                    + ":\n" + SimulationRunner.report(caught));
        }
        // The same seed under plain Raft must pass: the failure is the planted rule's, not the harness's.
        Simulation.Result plain = Simulation.run(Scenario.figure8(), caught.seed());
        assertThat(plain.passed()).as(() -> SimulationRunner.report(plain)).isTrue();
    }
}
