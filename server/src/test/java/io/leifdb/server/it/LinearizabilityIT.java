package io.leifdb.server.it;

import io.leifdb.raft.lin.CheckResult;
import io.leifdb.raft.lin.LinearizabilityChecker;
import io.leifdb.raft.lin.Operation;
import io.leifdb.raft.lin.Outcome;
import io.leifdb.server.it.history.FaultPlan;
import io.leifdb.server.it.history.HistoryReport;
import io.leifdb.server.it.history.KvClient;
import io.leifdb.server.it.history.Nemesis;
import io.leifdb.server.it.history.Recorder;
import io.leifdb.server.it.history.ReplyRules;
import io.leifdb.server.it.history.Request;
import io.leifdb.server.it.history.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A small Jepsen: clients run reads, writes, deletes and compare-and-sets on a few keys of a real
 * 3-node cluster while a nemesis kills nodes and pauses the leader on a schedule drawn from a
 * seed; then the cluster is healed and the whole history must be linearizable. Rerun a failure
 * with {@code -Dlinearizability.seed=<seed>}; the node logs and the history stay under target/it-logs.
 */
class LinearizabilityIT {
    private static final long DEFAULT_SEED = 20_260_611L;
    private static final int NODES = 3;
    private static final int CLIENTS = 8;
    private static final List<String> KEYS = List.of("k0", "k1", "k2", "k3", "k4");
    /** Longer than a leader pause is pointless; shorter would turn most writes near a fault into unknowns. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(4);
    private static final int MAX_ATTEMPTS = 6;
    private static final Duration HEALED_RUN = Duration.ofSeconds(2);
    private static final int OK_AFTER_HEAL = 50;
    private static final long STEPS_PER_KEY = 50_000_000L;
    private static final int CHECKER_CLIENT = 99;
    /** Operations of the violating key shown in the failure message; history.txt has them all. */
    private static final int SHOWN = 60;

    @TempDir
    Path dir;

    @Test
    void historyUnderKilledAndPausedLeadersIsLinearizable() throws Exception {
        long seed = Long.getLong("linearizability.seed", DEFAULT_SEED);
        FaultPlan plan = FaultPlan.generate(seed, NODES);
        System.out.println("LinearizabilityIT seed " + seed + "\n" + plan.describe());
        try (TestCluster c = TestCluster.start(NODES, dir)) {
            long t0 = System.nanoTime();
            Instant wallT0 = Instant.now();
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < NODES; i++) urls.add(c.url(i));
            Recorder recorder = new Recorder(() -> System.nanoTime() - t0);
            Workload workload = new Workload(new KvClient(urls, CLIENT_TIMEOUT, MAX_ATTEMPTS), recorder, KEYS, NODES, seed);
            CountDownLatch abort = new CountDownLatch(1);
            KvClient.Pause pause = ms -> abort.await(ms, TimeUnit.MILLISECONDS);
            AtomicBoolean running = new AtomicBoolean(true);
            Nemesis nemesis = new Nemesis(c, plan, t0, abort);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
            try {
                List<Future<?>> clients = new ArrayList<>();
                for (int id = 0; id < CLIENTS; id++) {
                    int client = id;
                    clients.add(pool.submit(() -> {
                        workload.run(client, running::get, pause);
                        return null;
                    }));
                }
                pool.submit(() -> {
                    nemesis.run();
                    return null;
                }).get(120, TimeUnit.SECONDS);
                nemesis.heal();
                long healedAt = System.nanoTime() - t0;

                // The clients go on in the healed cluster: some time, and enough answers, to see it serve again.
                await("clients served after healing").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                        .until(() -> System.nanoTime() - t0 - healedAt >= HEALED_RUN.toNanos()
                                && okSince(recorder.operations(), healedAt) >= OK_AFTER_HEAL);
                running.set(false);
                for (Future<?> f : clients) f.get(60, TimeUnit.SECONDS);

                long liveFrom = System.nanoTime();
                SplittableRandom rnd = new SplittableRandom(seed);
                AtomicInteger n = new AtomicInteger();
                await("a write succeeds after healing").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                        .until(() -> workload.run(CHECKER_CLIENT, Request.write("k0", "live-" + n.getAndIncrement()), rnd,
                                pause) instanceof ReplyRules.Result.Ok);
                System.out.printf("liveness: a write succeeded %.0f ms after the clients stopped (%d attempts)%n",
                        (System.nanoTime() - liveFrom) / 1e6, n.get());
                for (String key : KEYS) {
                    for (int node = 0; node < NODES; node++) {
                        workload.runAt(CHECKER_CLIENT, Request.read(key), node, rnd, pause);
                    }
                }
            } finally {
                abort.countDown();
                running.set(false);
                pool.shutdownNow();
                pool.awaitTermination(30, TimeUnit.SECONDS);
            }

            List<Operation> ops = recorder.operations();
            HistoryReport.Figures figures = HistoryReport.figures(ops);
            long checkFrom = System.nanoTime();
            CheckResult result = LinearizabilityChecker.check(ops, STEPS_PER_KEY);
            System.out.printf("LinearizabilityIT seed %d: %s; checked in %.0f ms: %s%n", seed, figures,
                    (System.nanoTime() - checkFrom) / 1e6, result.verdict());
            System.out.println("faults (ms since start, start = " + wallT0 + "):\n  " + String.join("\n  ", nemesis.log()));
            Path report = writeHistory(c.keptLogsDir(), seed, wallT0, ops, recorder, nemesis, figures, result);

            assertThat(result.verdict()).as(() -> HistoryReport.failure(seed, result,
                            HistoryReport.keyHistory(result.key(), ops, recorder, result.focus(), SHOWN), nemesis.log())
                            + "\nnode logs and the full history: " + report.toAbsolutePath().getParent())
                    .isEqualTo(CheckResult.Verdict.LINEARIZABLE);
            assertThat(nemesis.executed()).as("faults that ran to their end").isEqualTo(plan.faults().size());
            assertThat(figures.okByKind().getOrDefault(Operation.Kind.READ, 0)).as("reads answered").isGreaterThan(50);
            assertThat(figures.okByKind().getOrDefault(Operation.Kind.WRITE, 0)).as("writes acknowledged").isGreaterThan(50);
        }
    }

    private static long okSince(List<Operation> ops, long since) {
        return ops.stream().filter(o -> o.outcome() == Outcome.OK && o.call() >= since).count();
    }

    /** The whole history, key by key, next to the node logs: for reading a failure, or checking a pass by eye. */
    private static Path writeHistory(Path out, long seed, Instant wallT0, List<Operation> ops, Recorder recorder,
                                     Nemesis nemesis, HistoryReport.Figures figures, CheckResult result)
            throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("seed ").append(seed).append("; times are ms since ").append(wallT0).append(" (node logs use wall time)\n");
        sb.append(figures).append('\n').append(result.describe()).append('\n');
        sb.append("faults:\n  ").append(String.join("\n  ", nemesis.log())).append('\n');
        for (String key : KEYS) {
            sb.append("\nkey ").append(key).append(":\n")
                    .append(HistoryReport.keyHistory(key, ops, recorder, result.focus()));
        }
        Files.createDirectories(out);
        Path file = out.resolve("history.txt");
        Files.writeString(file, sb);
        return file;
    }
}
