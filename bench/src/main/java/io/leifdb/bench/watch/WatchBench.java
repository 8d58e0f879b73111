package io.leifdb.bench.watch;

import io.leifdb.server.config.Config;
import io.leifdb.server.node.Node;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Recorder;

/**
 * The cost of watches: one node (in this process, single mode, a fresh data directory) takes closed-loop
 * writes from W writers, first with no watcher, then with N watchers open over HTTP, then with none again,
 * all in one run. Each watcher watches one of N / fanout prefixes, so every write reaches {@code fanout}
 * watchers. Each value carries its send time; a watcher records how long after it the event arrived.
 * Prints write throughput per phase, the cost of the watched phase against the mean of the two
 * unwatched ones, and delivery latency percentiles. A command that prints figures, not a test.
 *
 * <pre>java -cp 'bench/target/leifdb-bench.jar:bench/target/lib/*' io.leifdb.bench.watch.WatchBench
 *     [--watchers 1000] [--fanout 10] [--writers 16] [--seconds 10] [--value-bytes 64]</pre>
 */
public final class WatchBench {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final int groups;
    private final int valueBytes;

    private WatchBench(String base, int groups, int valueBytes) {
        this.base = base;
        this.groups = groups;
        this.valueBytes = valueBytes;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>(Map.of("--watchers", "1000", "--fanout", "10", "--writers", "16",
                "--seconds", "10", "--value-bytes", "64"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!o.containsKey(args[i])) {
                System.err.println("unknown option " + args[i] + "; known: " + o.keySet());
                System.exit(2);
            }
            o.put(args[i], args[i + 1]);
        }
        int watchers = Integer.parseInt(o.get("--watchers"));
        int fanout = Integer.parseInt(o.get("--fanout"));
        int writers = Integer.parseInt(o.get("--writers"));
        int seconds = Integer.parseInt(o.get("--seconds"));
        int valueBytes = Integer.parseInt(o.get("--value-bytes"));
        if (watchers < 1 || fanout < 1 || fanout > watchers || writers < 1 || seconds < 1 || valueBytes < 20) {
            System.err.println("need watchers >= 1, 1 <= fanout <= watchers, writers >= 1, seconds >= 1, value-bytes >= 20");
            System.exit(2);
        }
        Path dir = Files.createTempDirectory("leifdb-watch-bench");
        int port = freePort();
        Config config = Config.fromEnv(Map.of(Config.DATA_DIR, dir.resolve("node").toString(),
                Config.HTTP_PORT, String.valueOf(port), Config.RAFT_PORT, String.valueOf(freePort()),
                Config.HOST, "127.0.0.1", Config.LOG_LEVEL, "warn"));
        try (Node node = new Node(config)) {
            node.start();
            WatchBench bench = new WatchBench("http://127.0.0.1:" + port, watchers / fanout, valueBytes);
            bench.awaitLeader();
            System.out.printf(Locale.ROOT, "watch bench: %d watchers, each write reaches %d, %d writers, %d s per phase,"
                    + " %d-byte values%n", watchers, fanout, writers, seconds, valueBytes);
            bench.writes(writers, 8); // warm-up (JIT, RocksDB), not counted
            double before = bench.writes(writers, seconds);
            Recorder latency = new Recorder(3);
            AtomicLong delivered = new AtomicLong();
            AtomicLong ended = new AtomicLong();
            List<Stream<String>> streams = bench.openWatchers(watchers, latency, delivered, ended);
            latency.getIntervalHistogram(); // drop anything recorded before the phase
            delivered.set(0);
            double during = bench.writes(writers, seconds);
            long got = delivered.get();
            var h = latency.getIntervalHistogram();
            streams.forEach(Stream::close);
            double after = bench.writes(writers, seconds);
            double baseline = (before + after) / 2;
            System.out.printf(Locale.ROOT, "%-28s %12s%n", "phase", "writes/s");
            System.out.printf(Locale.ROOT, "%-28s %12.0f%n", "no watchers (before)", before);
            System.out.printf(Locale.ROOT, "%-28s %12.0f%n", watchers + " watchers", during);
            System.out.printf(Locale.ROOT, "%-28s %12.0f%n", "no watchers (after)", after);
            System.out.printf(Locale.ROOT, "write throughput cost of the watchers: %.1f%%%n", 100 * (1 - during / baseline));
            System.out.printf(Locale.ROOT, "events delivered: %d (%.0f/s), expected about %d; watchers ended early: %d%n",
                    got, got / (double) seconds, (long) (during * seconds * fanout), ended.get());
            System.out.printf(Locale.ROOT, "delivery latency (write sent -> event read): p50 %.2f ms, p99 %.2f ms,"
                    + " p99.9 %.2f ms, max %.2f ms%n", h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                    h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6);
        } finally {
            deleteTree(dir);
        }
    }

    private void awaitLeader() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (put("w/ready", "x") == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the node did not accept writes within 30 s");
    }

    private int put(String key, String value) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/db/" + key.replace("/", "%2F")))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"" + value + "\"}")).build();
        return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Closed-loop writes from {@code writers} threads for {@code seconds}; returns acknowledged writes per second. */
    private double writes(int writers, int seconds) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        String pad = "0".repeat(valueBytes - 19);
        for (int i = 0; i < writers; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    int g = ThreadLocalRandom.current().nextInt(groups);
                    String value = String.format(Locale.ROOT, "%019d", System.nanoTime()) + pad;
                    try {
                        if (put("w/" + g + "/" + ThreadLocalRandom.current().nextInt(100), value) == 200) done.incrementAndGet();
                    } catch (IOException e) {
                        // counted as not done
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : threads) t.join();
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** Opens the watchers and returns once every one has its ready event; each records its events' latency. */
    private List<Stream<String>> openWatchers(int n, Recorder latency, AtomicLong delivered, AtomicLong ended)
            throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(n);
        List<Stream<String>> streams = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            String prefix = "w%2F" + (i % groups) + "%2F";
            HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/watch?prefix=" + prefix)).GET().build();
            http.sendAsync(r, HttpResponse.BodyHandlers.ofLines()).thenAccept(res -> {
                streams.add(res.body());
                Thread.ofVirtual().start(() -> read(res.body(), ready, latency, delivered, ended));
            });
        }
        if (!ready.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(ready.getCount() + " watchers did not open within 60 s");
        }
        return streams;
    }

    private static void read(Stream<String> lines, CountDownLatch ready, Recorder latency, AtomicLong delivered,
                             AtomicLong ended) {
        String[] event = {""};
        try {
            lines.forEach(line -> {
                if (line.startsWith("event: ")) {
                    event[0] = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    switch (event[0]) {
                        case "ready" -> ready.countDown();
                        case "put" -> {
                            long now = System.nanoTime();
                            int at = line.indexOf("\"value\":\"") + 9;
                            latency.recordValue(Math.max(0, now - Long.parseLong(line.substring(at, at + 19))));
                            delivered.incrementAndGet();
                        }
                        case "end" -> ended.incrementAndGet();
                        default -> {
                        }
                    }
                }
            });
        } catch (RuntimeException closed) {
            // the stream was closed at the end of the phase
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
