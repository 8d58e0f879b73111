package io.leifdb.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.PlantedBug;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12: each bug planted in the node's driver, the core or the disk is caught by the simulation
 * within the seed count the suite runs, in the scenario whose faults expose it, and the same seed
 * passes without the bug (the failure is the bug's, not the harness's).
 */
class PlantedBugsTest {
    private static final int MAX_SEEDS = 200;

    @ParameterizedTest
    @EnumSource(PlantedBug.class)
    void theSimulationCatchesThePlantedBug(PlantedBug bug) {
        Scenario scenario = exposing(bug);
        List<Long> seeds = LongStream.rangeClosed(1, MAX_SEEDS).boxed().toList();
        Simulation.Result caught = null;
        for (int from = 0; from < seeds.size() && caught == null; from += 10) {
            caught = SimulationRunner.runAll(scenario, seeds.subList(from, Math.min(seeds.size(), from + 10)), Set.of(bug))
                    .stream().filter(r -> !r.passed()).findFirst().orElse(null);
        }
        assertThat(caught).as("%s survived %d seeds of %s", bug, MAX_SEEDS, scenario.name()).isNotNull();
        SimulationRunner.CONSOLE.println("planted " + bug + ": caught in " + scenario.name() + " at seed " + caught.seed()
                + ": " + caught.failure().lines().findFirst().orElse(""));
        Simulation.Result clean = Simulation.run(scenario, caught.seed());
        assertThat(clean.passed()).as(() -> SimulationRunner.report(clean)).isTrue();
    }

    /** The scenario whose faults reach the rule the bug breaks. */
    private static Scenario exposing(PlantedBug bug) {
        return switch (bug) {
            case FOLLOWER_SENDS_BEFORE_FSYNC, RECOVERY_DROPS_SYNCED_RECORD -> Scenario.crashes();
            case READ_WITHOUT_READ_INDEX -> Scenario.pausedLeader();
            case READ_BEFORE_TERM_COMMIT -> Scenario.readRaces();
            case APPLY_UNCOMMITTED -> Scenario.everything();
            case CODED_QUORUM_FROM_OWN_K -> CraftScenarios.reconfigured();
            case CODE_FROM_HEARTBEATS -> CraftScenarios.laggingFollower();
            case VOTER_CHANGE_IGNORES_STORED_K -> CraftScenarios.voterChanges();
            case SNAPSHOT_FALLBACK_WITHOUT_REPAIR -> CraftScenarios.snapshots();
            case SECOND_UNCOMMITTED_CHANGE -> Scenario.membershipChurn();
            case CHANGE_BEFORE_TERM_COMMIT -> Scenario.membershipRaces();
        };
    }
}
