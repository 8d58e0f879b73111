package io.leifdb.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Deterministic simulation of whole clusters under faults (DESIGN.md, testing layer 2). Each
 * scenario runs {@code -Dsimulation.seeds=N} seeds; {@code -Dsimulation.seed=S} replays one.
 * Prints one summary line, {@code simulation: <seeds> seeds, <failures> failures}, where a seed
 * fails if any scenario failed on it.
 */
class SimulationTest {
    private static final List<Long> SEEDS = SimulationRunner.seeds();
    private static final Set<Long> FAILED = new TreeSet<>();
    private static final int TRACES_SHOWN = 3;

    @Test
    void calm() {
        run(Scenario.calm());
    }

    @Test
    void lossyNetwork() {
        run(Scenario.lossyNetwork());
    }

    @Test
    void partitions() {
        run(Scenario.partitions());
    }

    @Test
    void crashesWithUnsyncedLoss() {
        run(Scenario.crashes());
    }

    @Test
    void pausedLeader() {
        run(Scenario.pausedLeader());
    }

    @Test
    void membershipChanges() {
        run(Scenario.membership());
    }

    @Test
    void everythingAtOnceAcrossClusterSizes() {
        run(Scenario.everything());
    }

    @Test
    void figure8Setting() {
        run(Scenario.figure8());
    }

    @Test
    void hostileMessagesFromStrangersOutOfRangeAndReplayed() {
        run(Scenario.hostile());
    }

    @AfterAll
    static void summary() {
        SimulationRunner.CONSOLE.println("simulation: " + SEEDS.size() + " seeds, " + FAILED.size() + " failures");
    }

    private static void run(Scenario scenario) {
        List<Simulation.Result> results = SimulationRunner.runAll(scenario, SEEDS);
        List<Simulation.Result> failures = results.stream().filter(r -> !r.passed()).toList();
        if (SimulationRunner.verbose()) SimulationRunner.CONSOLE.println(SimulationRunner.figures(scenario, results));
        synchronized (FAILED) {
            failures.forEach(r -> FAILED.add(r.seed()));
        }
        failures.stream().limit(TRACES_SHOWN).forEach(r -> SimulationRunner.CONSOLE.println(SimulationRunner.report(r)));
        assertThat(failures.stream().map(Simulation.Result::seed).toList())
                .as(scenario.name() + " failed on these seeds; replay each with "
                        + SimulationRunner.REPLAY.replace("%d", "<seed>"))
                .isEmpty();
    }
}
