package io.leifdb.bench.craft;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CRaft against full replication on the same workload: N nodes, k data fragments, W writes of
 * V-byte values to the leader, one after another. Prints, per mode, the bytes each follower
 * holds on disk and the bytes of Raft messages the leader sent, per committed write, and the
 * ratio coded/full. A command that prints figures, not a test.
 *
 * <pre>java -cp bench/target/leifdb-bench.jar io.leifdb.bench.craft.CraftMeasure
 *     [--nodes 5] [--k 3] [--value-bytes 65536] [--writes 200] [--jar server/target/leifdb-server.jar]</pre>
 */
public final class CraftMeasure {
    private static final Pattern SENT = Pattern.compile("(?m)^leifdb_raft_sent_bytes_total(?:\\{[^}]*})? ([0-9.eE+]+)");

    record Figures(String mode, double followerDiskPerWrite, double leaderSentPerWrite) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new java.util.HashMap<>(Map.of("--nodes", "5", "--k", "3", "--value-bytes", "65536",
                "--writes", "200", "--jar", "server/target/leifdb-server.jar"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!o.containsKey(args[i])) {
                System.err.println("unknown option " + args[i] + "; known: " + o.keySet());
                System.exit(2);
            }
            o.put(args[i], args[i + 1]);
        }
        int nodes = Integer.parseInt(o.get("--nodes"));
        int k = Integer.parseInt(o.get("--k"));
        int valueBytes = Integer.parseInt(o.get("--value-bytes"));
        int writes = Integer.parseInt(o.get("--writes"));
        Path jar = Path.of(o.get("--jar")).toAbsolutePath();
        if (!Files.exists(jar)) {
            System.err.println(jar + " is missing: build with 'mvn -pl server -am package -DskipTests'");
            System.exit(2);
        }
        System.out.printf(Locale.ROOT, "CRaft measurement: %d nodes, k=%d, %d writes of %d-byte values%n",
                nodes, k, writes, valueBytes);
        Figures full = run(jar, nodes, "off", k, valueBytes, writes);
        Figures coded = run(jar, nodes, "on", k, valueBytes, writes);
        System.out.printf(Locale.ROOT, "%-6s %28s %30s%n", "mode", "follower disk bytes/write", "leader sent bytes/write");
        for (Figures f : List.of(full, coded)) {
            System.out.printf(Locale.ROOT, "%-6s %28.0f %30.0f%n", f.mode(), f.followerDiskPerWrite(),
                    f.leaderSentPerWrite());
        }
        double disk = coded.followerDiskPerWrite() / full.followerDiskPerWrite();
        double sent = coded.leaderSentPerWrite() / full.leaderSentPerWrite();
        System.out.printf(Locale.ROOT, "coded/full: follower disk %.3f, leader sent %.3f (1/k = %.3f)%n",
                disk, sent, 1.0 / k);
    }

    private static Figures run(Path jar, int nodes, String coding, int k, int valueBytes, int writes)
            throws Exception {
        Path dir = Files.createTempDirectory("craft-measure-" + coding + "-");
        Map<String, String> env = new java.util.HashMap<>(Map.of("LEIFDB_ERASURE_CODING", coding,
                "LEIFDB_LOG_LEVEL", "warn"));
        if (coding.equals("on")) env.put("LEIFDB_ERASURE_K", String.valueOf(k));
        try (LocalCluster c = new LocalCluster(jar, dir, nodes, env)) {
            String mode = coding.equals("on") ? "coded" : "full";
            int leader = c.awaitLeader(Duration.ofSeconds(60), body -> body.contains("\"replication\":\"" + mode + "\""));
            if (leader < 0) throw new IllegalStateException("no leader in " + mode + " mode within 60 s; logs in " + dir);
            // A first write settles the leader's no-op and connections before the baseline.
            put(c.url(leader), "warmup", "w");
            long[] diskBefore = disk(c);
            double sentBefore = sentBytes(c.url(leader));
            Random random = new Random(1);
            for (int i = 0; i < writes; i++) put(c.url(leader), "key" + i, value(random, valueBytes));
            String lastKey = "key" + (writes - 1);
            for (int i = 0; i < nodes; i++) awaitApplied(c.url(i), lastKey);
            double sent = sentBytes(c.url(leader)) - sentBefore;
            long[] diskAfter = disk(c);
            double followerDisk = 0;
            for (int i = 0; i < nodes; i++) {
                if (i != leader) followerDisk += diskAfter[i] - diskBefore[i];
            }
            followerDisk /= nodes - 1;
            return new Figures(mode, followerDisk / writes, sent / writes);
        } finally {
            deleteTree(dir);
        }
    }

    private static String value(Random random, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.append((char) ('a' + random.nextInt(26)));
        return sb.toString();
    }

    private static void put(String base, String key, String value) throws IOException, InterruptedException {
        HttpResponse<String> r = LocalCluster.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/db/" + key))
                .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"" + value + "\"}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException("PUT " + key + ": " + r.statusCode() + " " + r.body());
    }

    /** Every follower applied the last write (a stale read of its key answers). */
    private static void awaitApplied(String base, String key) throws InterruptedException {
        for (int tries = 0; tries < 300; tries++) {
            if (LocalCluster.get(base + "/db/" + key + "?consistency=stale") != null) return;
            Thread.sleep(100); // polling a process we started; not a timed assertion
        }
        throw new IllegalStateException(base + " never applied " + key);
    }

    private static double sentBytes(String base) {
        String metrics = LocalCluster.get(base + "/metrics");
        Matcher m = metrics == null ? null : SENT.matcher(metrics);
        if (m == null || !m.find()) throw new IllegalStateException(base + "/metrics has no leifdb_raft_sent_bytes_total");
        return Double.parseDouble(m.group(1));
    }

    private static long[] disk(LocalCluster c) {
        long[] out = new long[c.size()];
        for (int i = 0; i < c.size(); i++) out[i] = c.diskBytes(i);
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) Files.deleteIfExists(p);
        }
    }
}
