package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leifdb.client.LeifClient;
import io.leifdb.server.config.Config;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node started from nothing keeps its data to its owner: the data dir 0700, what our code writes 0600. */
class NodeDataDirTest {
    @TempDir
    Path tmp;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void dataDirIsOwnerOnlyAndSoAreTheWalAndSnapshotFiles() throws Exception {
        Path data = tmp.resolve("home/.leifdb/node");
        int http = freePort();
        Config config = Config.fromEnv(Map.of(
                Config.DATA_DIR, data.toString(),
                Config.HTTP_PORT, String.valueOf(http),
                Config.RAFT_PORT, String.valueOf(freePort()),
                Config.HOST, "127.0.0.1",
                Config.SNAPSHOT_THRESHOLD, "1"));   // every write triggers a snapshot
        try (Node node = new Node(config)) {
            node.start();
            LeifClient client = LeifClient.builder("http://127.0.0.1:" + http).build();
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> client.put("k", "v") > 0);
            client.put("k2", "v2");
            await().atMost(Duration.ofSeconds(20)).until(() -> snapshotMetas(data).size() > 0);
        }
        assertThat(mode(tmp.resolve("home"))).isEqualTo("rwx------");
        assertThat(mode(data)).isEqualTo("rwx------");
        for (String sub : List.of("wal", "snapshots", "kv")) {
            assertThat(mode(data.resolve(sub))).as(sub).isEqualTo("rwx------");
        }
        try (Stream<Path> wal = Files.list(data.resolve("wal"))) {
            List<Path> files = wal.toList();
            assertThat(files).isNotEmpty();
            for (Path f : files) assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
        }
        for (Path meta : snapshotMetas(data)) assertThat(mode(meta)).as(meta.toString()).isEqualTo("rw-------");
        assertThat(mode(data.resolve("kv/CURRENT"))).isEqualTo("rw-------");
    }

    private static List<Path> snapshotMetas(Path data) throws IOException {
        try (Stream<Path> s = Files.walk(data.resolve("snapshots"))) {
            return s.filter(p -> p.getFileName().toString().equals("snapshot.meta")).toList();
        }
    }
}
