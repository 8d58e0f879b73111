package io.leifdb.raft.sim;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import io.leifdb.raft.PlantedBug;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

/**
 * Runs a scenario over many seeds, on a few threads (each run is single-threaded and depends on
 * its seed alone, so the thread count never changes a result), and formats failures.
 */
final class SimulationRunner {
    static final String REPLAY = "mvn -q -pl raft test -Dsimulation.seed=%d -Dtest=SimulationTest";

    /** Surefire relays a forked test's System.out even under {@code mvn -q}. */
    static final PrintStream CONSOLE = System.out;

    private SimulationRunner() {
    }

    /** {@code -Dsimulation.seed=S} replays S alone; otherwise seeds 1..{@code simulation.seeds}. */
    static List<Long> seeds() {
        String one = System.getProperty("simulation.seed", "").trim();
        if (!one.isEmpty()) return List.of(Long.parseLong(one));
        String count = System.getProperty("simulation.seeds", "").trim();
        int n = count.isEmpty() ? 200 : Integer.parseInt(count);
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    /** {@code -Dsimulation.verbose=true} prints one line of figures per scenario. */
    static boolean verbose() {
        return Boolean.getBoolean("simulation.verbose");
    }

    static int threads() {
        String t = System.getProperty("simulation.threads", "").trim();
        return t.isEmpty() ? Math.max(1, Runtime.getRuntime().availableProcessors()) : Integer.parseInt(t);
    }

    /** Results in seed order. */
    static List<Simulation.Result> runAll(Scenario scenario, List<Long> seeds) {
        return runAll(scenario, seeds, Set.of());
    }

    /** Results in seed order, with {@code bugs} planted. */
    static List<Simulation.Result> runAll(Scenario scenario, List<Long> seeds, Set<PlantedBug> bugs) {
        int threads = Math.min(threads(), seeds.size());
        if (threads <= 1) return seeds.stream().map(s -> Simulation.run(scenario, s, bugs)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Simulation.Result>> futures = new ArrayList<>();
            for (long s : seeds) futures.add(pool.submit(() -> Simulation.run(scenario, s, bugs)));
            List<Simulation.Result> out = new ArrayList<>();
            for (Future<Simulation.Result> f : futures) out.add(f.get());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** One line of totals over a scenario's runs. */
    static String figures(Scenario scenario, List<Simulation.Result> results) {
        Map<String, Long> counts = new TreeMap<>();
        results.forEach(r -> r.counts().forEach((k, v) -> counts.merge(k, v, k.startsWith("ticks") ? Math::max : Long::sum)));
        return String.format("  %s: %d runs, %.1f s cpu, %d writes and %d reads acknowledged, %s", scenario.name(),
                results.size(), results.stream().mapToLong(Simulation.Result::cpuNanos).sum() / 1e9,
                results.stream().mapToLong(Simulation.Result::okWrites).sum(),
                results.stream().mapToLong(Simulation.Result::okReads).sum(), counts);
    }

    static String report(Simulation.Result r) {
        return "simulation FAILED: scenario " + r.scenario().name() + ", seed " + r.seed() + ", " + r.settings()
                + "\n  " + r.failure().replace("\n", "\n  ") + "\nreplay: " + String.format(REPLAY, r.seed())
                + "\n" + r.trace();
    }
}
