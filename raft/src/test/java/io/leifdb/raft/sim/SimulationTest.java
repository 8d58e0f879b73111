package io.leifdb.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deterministic simulation of whole clusters under faults (DESIGN.md, testing layer 2). Each
 * scenario runs {@code -Dsimulation.seeds=N} seeds; {@code -Dsimulation.seed=S} replays one;
 * {@code -Dsimulation.scenario=NAME} runs that scenario alone.
 * Prints one summary line, {@code simulation: <seeds> seeds, <failures> failures}, where a seed
 * fails if any scenario failed on it.
 */
class SimulationTest {
    private static final List<Long> SEEDS = SimulationRunner.seeds();
    private static final Set<Long> FAILED = new TreeSet<>();
    private static final int TRACES_SHOWN = 3;
    private static final Map<String, Supplier<Scenario>> SCENARIOS = new LinkedHashMap<>();
    private static final String ONLY = System.getProperty("simulation.scenario", "").trim();

    static {
        for (Supplier<Scenario> s : List.<Supplier<Scenario>>of(Scenario::calm, Scenario::lossyNetwork,
                Scenario::partitions, Scenario::crashes, Scenario::pausedLeader, Scenario::membership,
                Scenario::membershipChurn, Scenario::membershipRaces, Scenario::everything, Scenario::figure8, Scenario::hostile, Scenario::wipedMember)) {
            SCENARIOS.put(s.get().name(), s);
        }
    }

    @BeforeAll
    static void knownScenario() {
        assertThat(ONLY.isEmpty() || SCENARIOS.containsKey(ONLY))
                .as("simulation.scenario \"%s\" is not a scenario; one of %s", ONLY, SCENARIOS.keySet())
                .isTrue();
    }

    @Test
    void calm() {
        run("calm");
    }

    @Test
    void lossyNetwork() {
        run("lossy-network");
    }

    @Test
    void partitions() {
        run("partitions");
    }

    @Test
    void crashesWithUnsyncedLoss() {
        run("crashes");
    }

    @Test
    void pausedLeader() {
        run("paused-leader");
    }

    @Test
    void membershipChanges() {
        run("membership");
    }

    @Test
    void membershipGrowsShrinksAndReplacesUnderEveryFault() {
        run("membership-churn");
    }

    @Test
    void membershipChangesWhileLeadersDieBeforeTheirFirstCommit() {
        run("membership-races");
    }

    @Test
    void everythingAtOnceAcrossClusterSizes() {
        run("everything");
    }

    @Test
    void figure8Setting() {
        run("figure8");
    }

    @Test
    void hostileMessagesFromStrangersOutOfRangeAndReplayed() {
        run("hostile");
    }

    @Test
    void wipedMemberDoesNotVoteUntilCaughtUp() {
        run("wiped-member");
    }

    @AfterAll
    static void summary() {
        if (!ONLY.isEmpty() && !SCENARIOS.containsKey(ONLY)) return; // no seed ran: a summary would mislead
        SimulationRunner.CONSOLE.println("simulation: " + SEEDS.size() + " seeds, " + FAILED.size() + " failures");
    }

    private static void run(String name) {
        Assumptions.assumeTrue(ONLY.isEmpty() || ONLY.equals(name), "only " + ONLY);
        run(SCENARIOS.get(name).get());
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
