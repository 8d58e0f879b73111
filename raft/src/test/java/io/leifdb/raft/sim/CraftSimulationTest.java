package io.leifdb.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Deterministic simulation under CRaft: the Raft invariants, decodability of every committed entry
 * from every majority after every step, and linearizability of the history. Seeds as in
 * {@link SimulationTest}: {@code -Dsimulation.seeds=N}, or {@code -Dsimulation.seed=S} to replay
 * one, or {@code -Dsimulation.seedList=S1,S2,...} to replay several.
 */
class CraftSimulationTest {
    private static final int TRACES_SHOWN = 3;

    @Test
    void codedCalmAcrossClusterSizes() {
        run(CraftScenarios.calm());
    }

    @Test
    void leaderChangesAlsoDuringRecovery() {
        run(CraftScenarios.leaderChurn());
    }

    @Test
    void flappingBetweenCodedAndFullMode() {
        run(CraftScenarios.flapping());
    }

    @Test
    void aLaggingButLiveFollowerStallsNoCommit() {
        run(CraftScenarios.laggingFollower());
    }

    @Test
    void disagreeingVariablesAndCodingChangesThroughTheLog() {
        run(CraftScenarios.reconfigured());
    }

    @Test
    void voterChangesKeepEveryCommittedEntryDecodable() {
        run(CraftScenarios.voterChanges());
    }

    @Test
    void snapshotsOfCodedStateAndRepairLoseNoValueToFLosses() {
        run(CraftScenarios.snapshots());
    }

    @Test
    void everythingAtOnce() {
        run(CraftScenarios.everything());
    }

    @Test
    void plantedBugCommittingAtFPlusOneFragmentsIsCaught() {
        List<Long> seeds = SimulationRunner.seeds().stream().limit(20).toList();
        List<Simulation.Result> results = SimulationRunner.runAll(CraftScenarios.commitAtFPlusOne(), seeds);
        List<Simulation.Result> failed = results.stream().filter(r -> !r.passed()).toList();
        assertThat(failed).as("the F + 1 commit rule must be caught").isNotEmpty();
        assertThat(failed).allSatisfy(r -> assertThat(r.failure()).contains("decodability"));
        if (SimulationRunner.verbose()) {
            SimulationRunner.CONSOLE.printf("  craft-planted-F+1: caught on %d of %d seeds%n", failed.size(), seeds.size());
        }
    }

    private static List<Long> seeds() {
        String list = System.getProperty("simulation.seedList", "").trim();
        if (list.isEmpty()) return SimulationRunner.seeds();
        return java.util.Arrays.stream(list.split(",")).map(String::trim).map(Long::parseLong).toList();
    }

    private static void run(Scenario scenario) {
        List<Long> seeds = seeds();
        List<Simulation.Result> results = SimulationRunner.runAll(scenario, seeds);
        List<Simulation.Result> failures = results.stream().filter(r -> !r.passed()).toList();
        SimulationRunner.CONSOLE.printf("craft simulation %s: %d seeds, %d failures, %.1f s cpu, %d writes and %d reads"
                        + " acknowledged%n", scenario.name(), results.size(), failures.size(),
                results.stream().mapToLong(Simulation.Result::cpuNanos).sum() / 1e9,
                results.stream().mapToLong(Simulation.Result::okWrites).sum(),
                results.stream().mapToLong(Simulation.Result::okReads).sum());
        if (SimulationRunner.verbose()) SimulationRunner.CONSOLE.println("  " + CraftSim.figures(scenario.name()));
        failures.forEach(r -> SimulationRunner.CONSOLE.println("  seed " + r.seed() + " (" + r.settings() + "): "
                + r.failure().lines().findFirst().orElse("")));
        failures.stream().limit(TRACES_SHOWN).forEach(r -> SimulationRunner.CONSOLE.println(SimulationRunner.report(r)));
        assertThat(failures.stream().map(Simulation.Result::seed).toList())
                .as(scenario.name() + " failed on seeds (replay with -Dsimulation.seed=S -Dtest=CraftSimulationTest)", 0L)
                .isEmpty();
    }
}
