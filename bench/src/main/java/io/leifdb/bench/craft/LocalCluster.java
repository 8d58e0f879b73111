package io.leifdb.bench.craft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Node processes of the server jar on loopback, for measurements; {@link #close()} kills them all. */
final class LocalCluster implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dir;
    private final int[] httpPorts;
    private final List<Process> processes = new ArrayList<>();

    LocalCluster(Path jar, Path dir, int size, Map<String, String> env) throws IOException {
        this.dir = dir;
        this.httpPorts = new int[size];
        int[] raftPorts = new int[size];
        for (int i = 0; i < size; i++) {
            httpPorts[i] = freePort();
            raftPorts[i] = freePort();
        }
        List<String> members = new ArrayList<>();
        for (int p : raftPorts) members.add("127.0.0.1:" + p);
        String java = ProcessHandle.current().info().command().orElse("java");
        try {
            for (int i = 0; i < size; i++) {
                ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                        "-jar", jar.toString());
                Map<String, String> e = pb.environment();
                e.keySet().removeIf(k -> k.startsWith("LEIFDB_"));
                e.put("LEIFDB_HTTP_PORT", String.valueOf(httpPorts[i]));
                e.put("LEIFDB_RAFT_PORT", String.valueOf(raftPorts[i]));
                e.put("LEIFDB_HOST", "127.0.0.1");
                e.put("LEIFDB_DATA_DIR", dataDir(i).toString());
                e.put("LEIFDB_MODE", "multi");
                e.put("LEIFDB_MEMBER_NODES", String.join(",", members));
                e.putAll(env);
                Files.createDirectories(dataDir(i));
                pb.redirectErrorStream(true).redirectOutput(dir.resolve("node" + i + ".log").toFile());
                processes.add(pb.start());
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    Path dataDir(int i) {
        return dir.resolve("node" + i);
    }

    String url(int i) {
        return "http://127.0.0.1:" + httpPorts[i];
    }

    int size() {
        return httpPorts.length;
    }

    /** The node that says it leads, once all agree and {@code ready} holds of its /cluster body; -1 if none in time. */
    int awaitLeader(Duration within, java.util.function.Predicate<String> ready) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < size(); i++) {
                String body = get(url(i) + "/cluster");
                String health = get(url(i) + "/health");
                if (health != null && health.contains("\"role\":\"LEADER\"") && body != null && ready.test(body)) {
                    return i;
                }
            }
            Thread.sleep(100); // polling a process we started; not a timed assertion
        }
        return -1;
    }

    static String get(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Bytes node {@code i} holds on disk; WAL segments are preallocated with zeros and count up to their last non-zero byte. */
    long diskBytes(int i) {
        try (Stream<Path> files = Files.walk(dataDir(i))) {
            return files.filter(Files::isRegularFile).mapToLong(LocalCluster::fileBytes).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long fileBytes(Path p) {
        try {
            if (!p.getParent().getFileName().toString().equals("wal")) return Files.size(p);
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate(1 << 16);
                for (long end = ch.size(); end > 0; end -= buf.limit()) {
                    buf.clear().limit((int) Math.min(buf.capacity(), end));
                    ch.read(buf, end - buf.limit());
                    for (int j = buf.limit() - 1; j >= 0; j--) {
                        if (buf.get(j) != 0) return end - buf.limit() + j + 1;
                    }
                }
                return 0;
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : processes) p.destroyForcibly();
        for (Process p : processes) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
