package io.leifdb.server.it;

import io.leifdb.raft.lin.CheckResult;
import io.leifdb.raft.lin.LinearizabilityChecker;
import io.leifdb.raft.lin.Operation;
import io.leifdb.raft.lin.Outcome;
import io.leifdb.server.it.history.HistoryReport;
import io.leifdb.server.it.history.KvClient;
import io.leifdb.server.it.history.Recorder;
import io.leifdb.server.it.history.Request;
import io.leifdb.server.it.history.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Clients that read (linearizable reads, the default), write, delete and compare-and-set a few keys
 * through every node of a {@link TestCluster}, started or not yet (a node that does not answer sees
 * the request retried elsewhere), recording a history for {@link LinearizabilityChecker}: the
 * LinearizabilityIT workload, run while a test changes the membership. Close stops the clients.
 */
final class LinearizableClients implements AutoCloseable {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(4);
    private static final int MAX_ATTEMPTS = 6;
    private static final long STEPS_PER_KEY = 50_000_000L;
    private static final int CHECKER_CLIENT = 99;
    private static final int SHOWN = 60;

    private final TestCluster cluster;
    private final List<String> keys;
    private final long seed;
    private final long t0 = System.nanoTime();
    private final Recorder recorder = new Recorder(() -> System.nanoTime() - t0);
    private final Workload workload;
    private final CountDownLatch abort = new CountDownLatch(1);
    private final KvClient.Pause pause = ms -> abort.await(ms, TimeUnit.MILLISECONDS);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService pool;
    private final List<Future<?>> clients = new ArrayList<>();

    LinearizableClients(TestCluster cluster, List<String> keys, int clientCount, long seed) {
        this.cluster = cluster;
        this.keys = List.copyOf(keys);
        this.seed = seed;
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) urls.add(cluster.url(i));
        this.workload = new Workload(new KvClient(urls, CLIENT_TIMEOUT, MAX_ATTEMPTS), recorder, keys, cluster.size(), seed);
        this.pool = Executors.newFixedThreadPool(clientCount);
        for (int id = 0; id < clientCount; id++) {
            int client = id;
            clients.add(pool.submit(() -> {
                workload.run(client, running::get, pause);
                return null;
            }));
        }
    }

    /**
     * Stops the clients (each finishes its operation), reads every key through each of {@code readers},
     * and checks the whole history; the history is written next to the node logs.
     */
    CheckResult stopAndCheck(int... readers) throws Exception {
        running.set(false);
        for (Future<?> f : clients) f.get(60, TimeUnit.SECONDS);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (String key : keys) {
            for (int node : readers) workload.runAt(CHECKER_CLIENT, Request.read(key), node, rnd, pause);
        }
        List<Operation> ops = recorder.operations();
        CheckResult result = LinearizabilityChecker.check(ops, STEPS_PER_KEY);
        System.out.printf("%s; %s%n", HistoryReport.figures(ops), result.verdict());
        write(cluster.keptLogsDir(), ops, result);
        return result;
    }

    /** What a failure shows: the violating key's operations, with the nodes that answered each. */
    String failure(CheckResult result) {
        return HistoryReport.failure(seed, result, HistoryReport.keyHistory(result.key(), recorder.operations(), recorder,
                result.focus(), SHOWN), List.of()) + "\nfull history: " + cluster.keptLogsDir().resolve("history.txt");
    }

    /** Reads answered 200 by node {@code node} itself (the last attempt of the operation). */
    long okReadsServedBy(int node) {
        return recorder.operations().stream().filter(o -> o.kind() == Operation.Kind.READ && o.outcome() == Outcome.OK)
                .filter(o -> recorder.note(o.id()).endsWith(" n" + node + ":200")).count();
    }

    /** Operations acknowledged so far: a test waits on this to see the clients make progress. */
    long ok() {
        return recorder.operations().stream().filter(o -> o.outcome() == Outcome.OK).count();
    }

    private void write(Path out, List<Operation> ops, CheckResult result) throws IOException {
        StringBuilder sb = new StringBuilder("seed ").append(seed).append('\n').append(result.describe()).append('\n');
        for (String key : keys) {
            sb.append("\nkey ").append(key).append(":\n").append(HistoryReport.keyHistory(key, ops, recorder, result.focus()));
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("history.txt"), sb);
    }

    @Override
    public void close() {
        abort.countDown();
        running.set(false);
        pool.shutdownNow();
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
