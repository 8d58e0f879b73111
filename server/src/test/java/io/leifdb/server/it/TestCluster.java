package io.leifdb.server.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

import static org.awaitility.Awaitility.await;

/**
 * Real LeifDB node processes on loopback, started from the packaged jar, for integration tests.
 * Every process it starts is stopped by {@link #close()}, which tests call in a finally block or
 * an {@code @AfterAll}; a JVM shutdown hook is the last resort.
 */
public final class TestCluster implements AutoCloseable {
    private final HttpClient http;
    /** Non-null when the nodes serve HTTPS: what the cluster's own probes trust. */
    private final SSLContext tls;

    private final Path dir;
    private final int size;
    private final int[] httpPorts;
    private final int[] raftPorts;
    private final Process[] processes;
    private final Map<String, String> extraEnv;
    /** Per-node settings over {@link #extraEnv}; a null value unsets the variable (issue 13: joiners, moved members). */
    private final Map<Integer, Map<String, String>> nodeEnv = new HashMap<>();
    private final Thread reaper = new Thread(this::killAll, "test-cluster-reaper");

    private TestCluster(Path dir, int size, Map<String, String> extraEnv, SSLContext tls) throws IOException {
        this.tls = tls;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) b.sslContext(tls);
        this.http = b.build();
        this.dir = Files.createDirectories(dir);
        this.size = size;
        this.extraEnv = extraEnv;
        this.httpPorts = new int[size];
        this.raftPorts = new int[size];
        this.processes = new Process[size];
        int[] ports = freePorts(2 * size);
        for (int i = 0; i < size; i++) {
            httpPorts[i] = ports[2 * i];
            raftPorts[i] = ports[2 * i + 1];
        }
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts {@code size} nodes at once (one is single mode, more is multi mode) and waits for a
     * leader. At once, because a member with an empty data directory serves nothing until enough
     * others have answered (node/FreshStart).
     */
    public static TestCluster start(int size, Path dir) throws IOException {
        return start(size, dir, Map.of());
    }

    public static TestCluster start(int size, Path dir, Map<String, String> extraEnv) throws IOException {
        return start(size, dir, extraEnv, null);
    }

    /** As above, for nodes that serve HTTPS ({@code extraEnv} sets LEIFDB_TLS_*): {@code tls} is what the probes trust. */
    public static TestCluster start(int size, Path dir, Map<String, String> extraEnv, SSLContext tls) throws IOException {
        TestCluster c = new TestCluster(dir, size, extraEnv, tls);
        c.startAll();
        return c;
    }

    /** Picks free ports and nothing more, so a test can prepare the data directories (restore) first. */
    public static TestCluster prepare(int size, Path dir, Map<String, String> extraEnv) throws IOException {
        return new TestCluster(dir, size, extraEnv, null);
    }

    /** As above, for nodes that serve HTTPS: {@code tls} is what the probes trust and present. */
    public static TestCluster prepare(int size, Path dir, Map<String, String> extraEnv, SSLContext tls) throws IOException {
        return new TestCluster(dir, size, extraEnv, tls);
    }

    /** Starts every node and waits for a leader and for every member to vote; on failure stops what it started. */
    public void startAll() throws IOException {
        try {
            for (int i = 0; i < size; i++) {
                launch(i);
                awaitListening(i); // one JVM warming up at a time: all at once starve a small machine
            }
            for (int i = 0; i < size; i++) awaitServing(i);
            awaitLeader();
            awaitEveryoneVotes();
        } catch (RuntimeException | IOException | Error e) {
            close();
            throw e;
        }
    }

    /** A cluster whose nodes are not started yet: start each with {@link #launch} or {@link #startNode}. */
    public static TestCluster prepare(int size, Path dir) throws IOException {
        return new TestCluster(dir, size, Map.of(), null);
    }

    public int size() {
        return size;
    }

    public String url(int i) {
        return (tls == null ? "http://" : "https://") + "127.0.0.1:" + httpPorts[i];
    }

    public String httpAddress(int i) {
        return "127.0.0.1:" + httpPorts[i];
    }

    public Path dataDir(int i) {
        return dir.resolve("node-" + i);
    }

    public Path logFile(int i) {
        return dir.resolve("node-" + i + ".log");
    }

    /** How far node {@code i}'s log file reaches now: it is appended to across restarts. */
    public long logMark(int i) throws IOException {
        return Files.exists(logFile(i)) ? Files.size(logFile(i)) : 0;
    }

    /** What node {@code i} logged after {@code mark}, so an earlier start's lines do not count. */
    public String logSince(int i, long mark) throws IOException {
        byte[] all = Files.readAllBytes(logFile(i));
        int from = (int) Math.min(mark, all.length);
        return new String(all, from, all.length - from, java.nio.charset.StandardCharsets.UTF_8);
    }

    public boolean isRunning(int i) {
        return processes[i] != null && processes[i].isAlive();
    }

    public long pid(int i) {
        return processes[i].pid();
    }

    /** Node {@code i}'s raft (gRPC) address, as it appears in LEIFDB_MEMBER_NODES. */
    public String raftAddress(int i) {
        return "127.0.0.1:" + raftPorts[i];
    }

    public String memberNodes() {
        List<String> m = new ArrayList<>();
        for (int p : raftPorts) m.add("127.0.0.1:" + p);
        return String.join(",", m);
    }

    /** Starts (or restarts) node {@code i} with its data directory as it is, and waits until it serves HTTP. */
    public void startNode(int i) throws IOException {
        launch(i);
        awaitServing(i);
    }

    /** Node {@code i} starts with these settings over the cluster's; a null value unsets the variable. */
    public void nodeEnv(int i, Map<String, String> env) {
        nodeEnv.put(i, new HashMap<>(env));
    }

    /** The raft addresses of nodes 0 to {@code n} - 1, as LEIFDB_MEMBER_NODES lists them. */
    public String memberNodes(int n) {
        List<String> m = new ArrayList<>();
        for (int i = 0; i < n; i++) m.add("127.0.0.1:" + raftPorts[i]);
        return String.join(",", m);
    }

    /**
     * Starts nodes 0 to {@code n} - 1 as a cluster of their own (the others join later, issue 13) and
     * waits for a leader; on failure stops what it started.
     */
    public void startFirst(int n) throws IOException {
        try {
            for (int i = 0; i < n; i++) {
                Map<String, String> env = new HashMap<>(nodeEnv.getOrDefault(i, Map.of()));
                env.put("LEIFDB_MEMBER_NODES", memberNodes(n));
                nodeEnv.put(i, env);
                launch(i);
                awaitListening(i);
            }
            for (int i = 0; i < n; i++) awaitServing(i);
            awaitLeader();
        } catch (RuntimeException | IOException | Error e) {
            close();
            throw e;
        }
    }

    /** Node {@code i} (stopped) gets new free HTTP and raft ports: a member moved to other ports. */
    public void movePorts(int i) throws IOException {
        if (isRunning(i)) throw new IllegalStateException("stop node " + i + " before moving it");
        int[] p = freePorts(2);
        httpPorts[i] = p[0];
        raftPorts[i] = p[1];
    }

    /** Restarts node {@code i} with {@code override} on top of the cluster's variables, and waits until it serves HTTP. */
    public void startNode(int i, Map<String, String> override) throws IOException {
        launch(i, override);
        awaitServing(i);
    }

    /** Starts node {@code i}'s process and returns at once. */
    public void launch(int i) throws IOException {
        launch(i, Map.of());
    }

    private void launch(int i, Map<String, String> override) throws IOException {
        if (isRunning(i)) throw new IllegalStateException("node " + i + " is already running");
        Path jar = Path.of("target", "leifdb-server.jar").toAbsolutePath();
        if (!Files.exists(jar)) throw new IllegalStateException(jar + " is missing: run the tests with 'mvn verify'");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-jar", jar.toString());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("LEIFDB_"));
        env.put("LEIFDB_HTTP_PORT", String.valueOf(httpPorts[i]));
        env.put("LEIFDB_RAFT_PORT", String.valueOf(raftPorts[i]));
        env.put("LEIFDB_HOST", "127.0.0.1");
        env.put("LEIFDB_DATA_DIR", dataDir(i).toString());
        env.put("LEIFDB_MODE", size > 1 ? "multi" : "single");
        if (size > 1) env.put("LEIFDB_MEMBER_NODES", memberNodes());
        // Tests add and promote learners by hand unless they ask for the leader's own promotion.
        env.put("LEIFDB_AUTO_PROMOTE", "false");
        env.putAll(extraEnv);
        nodeEnv.getOrDefault(i, Map.of()).forEach((k, v) -> {
            if (v == null) env.remove(k);
            else env.put(k, v);
        });
        env.putAll(override);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(i).toFile()));
        processes[i] = pb.start();
    }

    /** Waits (bounded) until node {@code i} answers /health; fails at once if its process exits. */
    public void awaitServing(int i) {
        awaitAlive(i, "serving HTTP", () -> health(i).isPresent());
    }

    /** Waits (bounded) until node {@code i}'s Raft port is bound, which comes before it asks the others anything. */
    public void awaitListening(int i) {
        awaitAlive(i, "listening for Raft", () -> Files.exists(logFile(i))
                && Files.readString(logFile(i)).contains("raft transport of node"));
    }

    /** 60 s: a busy two-core machine has taken over 30 s to start a node, asking its peers included. */
    private void awaitAlive(int i, String what, java.util.concurrent.Callable<Boolean> done) {
        await("node " + i + " " + what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!processes[i].isAlive()) {
                        throw new IllegalStateException("node " + i + " exited with " + processes[i].exitValue()
                                + ": " + tail(i));
                    }
                    return done.call();
                });
    }

    /** SIGKILL: no shutdown hooks, no flushes. */
    public void kill9(int i) throws InterruptedException {
        Process p = processes[i];
        if (p == null) return;
        p.destroyForcibly();
        p.waitFor();
    }

    /** SIGSTOP / SIGCONT: a paused process keeps its sockets but answers nothing. */
    public void pause(int i) throws IOException, InterruptedException {
        signal(i, "STOP");
    }

    public void resume(int i) throws IOException, InterruptedException {
        signal(i, "CONT");
    }

    private void signal(int i, String sig) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + sig, String.valueOf(processes[i].pid())).inheritIO().start().waitFor();
    }

    /** Deletes node {@code i}'s data directory; the node must be stopped. */
    public void wipe(int i) throws IOException {
        if (isRunning(i)) throw new IllegalStateException("stop node " + i + " before wiping it");
        Path d = dataDir(i);
        if (!Files.exists(d)) return;
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** The /health body of node {@code i}, if it answers. */
    public Optional<String> health(int i) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(i) + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Waits until exactly one running node reports itself leader and the others agree; returns it. */
    public int awaitLeader() {
        return awaitLeader(Duration.ofSeconds(30));
    }

    /**
     * Waits until no running member is catching up. Started one after another, the last member of a
     * fresh cluster may find the first two already holding data and catch up like a wiped member
     * (FreshStart); until a leader has caught it up it grants no vote, so a test that stops the leader
     * at once would find no quorum.
     */
    public void awaitEveryoneVotes() {
        await("every member caught up").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (int i = 0; i < size; i++) {
                if (!isRunning(i)) continue;
                Optional<String> h = health(i);
                if (h.isEmpty() || h.get().contains("\"catchingUp\":true") || h.get().contains("\"term\":0,")) return false;
            }
            return true;
        });
    }

    public int awaitLeader(Duration within) {
        int[] leader = {-1};
        await("a single agreed leader").atMost(within).pollInterval(Duration.ofMillis(50)).until(() -> {
            int found = -1;
            for (int i = 0; i < size; i++) {
                if (!isRunning(i)) continue;
                Optional<String> h = health(i);
                if (h.isPresent() && h.get().contains("\"role\":\"LEADER\"")) {
                    if (found != -1) return false;
                    found = i;
                }
            }
            leader[0] = found;
            return found != -1;
        });
        return leader[0];
    }

    /** The last lines of node {@code i}'s log, for failure messages. */
    public String tail(int i) {
        try {
            List<String> lines = Files.readAllLines(logFile(i));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void killAll() {
        for (Process p : processes) {
            if (p == null) continue;
            p.destroyForcibly();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        killAll();
        keepLogs();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running
        }
    }

    /** Where {@link #close()} keeps the node logs; tests may write their own reports there too. */
    public Path keptLogsDir() {
        return Path.of("target", "it-logs", String.valueOf(ProcessHandle.current().pid()) + "-" + dir.getFileName());
    }

    /** Copies the node logs under target/it-logs/ so a failed run can be read after the temp dir is gone. */
    private void keepLogs() {
        try {
            Path out = keptLogsDir();
            Files.createDirectories(out);
            for (int i = 0; i < size; i++) {
                if (Files.exists(logFile(i))) {
                    Files.copy(logFile(i), out.resolve("node-" + i + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            System.err.println("could not keep node logs: " + e);
        }
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) s.close();
        }
        return ports;
    }

    static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }
}
