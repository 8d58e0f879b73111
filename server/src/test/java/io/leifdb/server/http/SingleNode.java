package io.leifdb.server.http;

import static org.awaitility.Awaitility.await;

import io.leifdb.server.config.Config;
import io.leifdb.server.node.Node;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One real node in this process (single mode, its own data dir), for tests of the API over the real
 * state machine and Raft log rather than {@link InMemoryBackend}. Closing it stops the node.
 */
final class SingleNode implements AutoCloseable {
    final ApiClient client;
    private final Node node;

    SingleNode(Path dataDir, Map<String, String> extraEnv) throws IOException {
        int port = freePort();
        Map<String, String> env = new HashMap<>(Map.of(
                Config.DATA_DIR, dataDir.toString(),
                Config.HTTP_PORT, String.valueOf(port),
                Config.RAFT_PORT, String.valueOf(freePort()),
                Config.HOST, "127.0.0.1"));
        env.putAll(extraEnv);
        node = new Node(Config.fromEnv(env));
        client = new ApiClient(port);
        try {
            node.start();
            // Up once this single voter has elected itself and applies writes.
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> client.putJson("/db/-ready", "").statusCode() == 200);
            client.delete("/db/-ready");
        } catch (RuntimeException | IOException e) {
            node.close();
            throw e;
        }
    }

    /** Open watches on this node, from its /metrics. */
    int watchers() {
        return client.get("/metrics").body().lines().filter(l -> l.startsWith("leifdb_watch_watchers "))
                .mapToInt(l -> (int) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no leifdb_watch_watchers in /metrics"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
