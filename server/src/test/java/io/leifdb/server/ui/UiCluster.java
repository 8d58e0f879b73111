package io.leifdb.server.ui;

import io.leifdb.server.it.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The cluster the browser tests drive: only the HTTP base URLs of its members matter to them.
 * By default three real node processes on loopback; {@code -Dleifdb.ui.baseUrls=http://127.0.0.1:8080,...}
 * points the tests at a cluster that is already running instead, which is handy while working on the UI.
 */
interface UiCluster extends AutoCloseable {
    int SIZE = 3;

    /** One "http://host:port" per member, in member order. */
    List<String> baseUrls();

    /** Stops member i at once (SIGKILL). */
    default void kill(int i) {
        throw new UnsupportedOperationException("this cluster was started elsewhere");
    }

    /** Starts member i again on its old data; returns once it serves HTTP. */
    default void restart(int i) {
        throw new UnsupportedOperationException("this cluster was started elsewhere");
    }

    /** Waits (bounded) until the running members agree on one leader. */
    default void awaitLeader() {
        throw new UnsupportedOperationException("this cluster was started elsewhere");
    }

    /**
     * Starts one more node that joins the cluster as a learner (LEIFDB_JOIN, issue 13); returns its base
     * URL once it serves. {@link #stopLearner} stops it.
     */
    default String joinLearner() {
        throw new UnsupportedOperationException("this cluster was started elsewhere");
    }

    default void stopLearner() {
        throw new UnsupportedOperationException("this cluster was started elsewhere");
    }

    /** Whether {@link #kill} and {@link #restart} work here. */
    default boolean controllable() {
        return false;
    }

    /** Node logs for a failure message; empty for a cluster started elsewhere. */
    default String logs() {
        return "";
    }

    @Override
    void close();

    static UiCluster start() throws IOException {
        String given = System.getProperty("leifdb.ui.baseUrls", "").trim();
        return given.isEmpty() ? startProcesses() : external(given);
    }

    private static UiCluster startProcesses() throws IOException {
        Path dir = Files.createTempDirectory("leifdb-ui-it");
        TestCluster cluster;
        try {
            cluster = TestCluster.prepare(SIZE + 1, dir); // the last one joins later, when a test asks
            cluster.startFirst(SIZE);
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
        List<String> urls = IntStream.range(0, SIZE).mapToObj(cluster::url).toList();
        return new UiCluster() {
            @Override
            public List<String> baseUrls() {
                return urls;
            }

            @Override
            public boolean controllable() {
                return true;
            }

            @Override
            public void kill(int i) {
                try {
                    cluster.kill9(i);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while stopping node " + i, e);
                }
            }

            @Override
            public void restart(int i) {
                try {
                    cluster.startNode(i);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not start node " + i, e);
                }
            }

            @Override
            public String joinLearner() {
                java.util.Map<String, String> env = new java.util.HashMap<>();
                env.put("LEIFDB_MEMBER_NODES", null);
                env.put("LEIFDB_JOIN", cluster.httpAddress(0));
                cluster.nodeEnv(SIZE, env);
                try {
                    cluster.wipe(SIZE); // a learner removed by an earlier test stays out with its old data
                    cluster.startNode(SIZE);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not start the joining node", e);
                }
                return cluster.url(SIZE);
            }

            @Override
            public void stopLearner() {
                kill(SIZE);
            }

            @Override
            public void awaitLeader() {
                cluster.awaitLeader();
            }

            @Override
            public String logs() {
                StringBuilder out = new StringBuilder();
                for (int i = 0; i < SIZE; i++) {
                    out.append("--- node ").append(i).append(" log tail ---\n").append(cluster.tail(i)).append('\n');
                }
                return out.toString();
            }

            @Override
            public void close() {
                try {
                    cluster.close();
                } finally {
                    deleteTree(dir);
                }
            }
        };
    }

    private static UiCluster external(String given) {
        List<String> urls = Arrays.stream(given.split(",")).map(String::trim)
                .map(u -> u.replaceAll("/+$", "")).toList();
        return new UiCluster() {
            @Override
            public List<String> baseUrls() {
                return urls;
            }

            @Override
            public void close() {
                // Started by someone else; left running for them.
            }
        };
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + dir, e);
        }
    }
}
