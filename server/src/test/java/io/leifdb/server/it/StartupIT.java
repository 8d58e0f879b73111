package io.leifdb.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Configuration errors end the process with one clear line and a non-zero status. */
class StartupIT {
    @TempDir
    Path dir;

    private record Outcome(int exit, String output) {
    }

    private Outcome run(Map<String, String> env) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-jar",
                Path.of("target", "leifdb-server.jar").toAbsolutePath().toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("LEIFDB_"));
        pb.environment().put("LEIFDB_DATA_DIR", dir.resolve("data").toString());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the process exits by itself").isTrue();
            return new Outcome(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void everyInvalidVariableExitsNonZeroWithOneLineNamingIt() throws Exception {
        Map<String, String> bad = Map.of(
                "LEIFDB_HTTP_PORT", "abc",
                "LEIFDB_RAFT_PORT", "70000",
                "LEIFDB_MODE", "cluster",
                "LEIFDB_SNAPSHOT_THRESHOLD", "-5",
                "LEIFDB_RETAIN_N_SNAPSHOTS", "0",
                "LEIFDB_LOG_LEVEL", "loud");
        for (var e : bad.entrySet()) {
            Outcome o = run(Map.of(e.getKey(), e.getValue()));
            assertThat(o.exit()).as(e.getKey()).isNotZero();
            assertThat(o.output().lines().count()).as("one line for %s: %s", e.getKey(), o.output()).isEqualTo(1);
            assertThat(o.output()).contains(e.getKey()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void tlsAndExposureSettingsThatCannotBeUsedExitWithOneLineNamingTheVariable() throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        String server = certs.file("server.pem").toString();
        String ca = certs.file("ca.pem").toString();
        Map<String, Map<String, String>> bad = Map.of(
                "LEIFDB_TLS_KEY", Map.of("LEIFDB_TLS_CERT", server, "LEIFDB_TLS_KEY", certs.file("peer-key.pem").toString()),
                "LEIFDB_TLS_CERT", Map.of("LEIFDB_TLS_CERT", certs.file("missing.pem").toString(),
                        "LEIFDB_TLS_KEY", certs.file("server-key.pem").toString()),
                "LEIFDB_TLS_CLIENT_CA", Map.of("LEIFDB_TLS_CLIENT_CA", ca),
                "LEIFDB_PEER_TLS_CA", Map.of("LEIFDB_PEER_TLS_CERT", certs.file("peer.pem").toString(),
                        "LEIFDB_PEER_TLS_KEY", certs.file("peer-key.pem").toString()),
                "LEIFDB_BIND_ADDRESS", Map.of("LEIFDB_BIND_ADDRESS", "192.0.2.1"),
                "LEIFDB_CORS_ORIGINS", Map.of("LEIFDB_CORS_ORIGINS", "https://app.example/path"));
        for (var e : bad.entrySet()) {
            Outcome o = run(e.getValue());
            assertThat(o.exit()).as(e.getKey()).isEqualTo(2);
            assertThat(o.output().lines().count()).as("one line for %s: %s", e.getKey(), o.output()).isEqualTo(1);
            assertThat(o.output()).as(e.getKey()).startsWith("leifdb: " + e.getKey()).doesNotContain("Exception");
        }
    }

    @Test
    void authSettingsThatCannotBeUsedExitWithOneLineNamingTheVariable() throws Exception {
        java.nio.file.Path weak = java.nio.file.Files.writeString(dir.resolve("weak-password"), "abc\n");
        java.nio.file.Path good = java.nio.file.Files.writeString(dir.resolve("good-password"), "good-root-pw\n");
        Map<String, Map<String, String>> bad = Map.of(
                "LEIFDB_AUTH", Map.of("LEIFDB_AUTH", "yes"),
                "LEIFDB_ROOT_PASSWORD_FILE", Map.of("LEIFDB_AUTH", "on"),
                "LEIFDB_ROOT_PASSWORD_FILE=", Map.of("LEIFDB_AUTH", "on", "LEIFDB_ROOT_PASSWORD_FILE", weak.toString()),
                "LEIFDB_ROOT_PASSWORD_FILE=\"", Map.of("LEIFDB_AUTH", "on",
                        "LEIFDB_ROOT_PASSWORD_FILE", dir.resolve("missing").toString()),
                "LEIFDB_CORS_ORIGINS", Map.of("LEIFDB_AUTH", "on", "LEIFDB_ROOT_PASSWORD_FILE", good.toString(),
                        "LEIFDB_CORS_ORIGINS", "*"));
        for (var e : bad.entrySet()) {
            Outcome o = run(e.getValue());
            assertThat(o.exit()).as(e.getKey()).isEqualTo(2);
            assertThat(o.output().lines().count()).as("one line for %s: %s", e.getKey(), o.output()).isEqualTo(1);
            assertThat(o.output()).as(e.getKey()).startsWith("leifdb: " + e.getKey()).doesNotContain("Exception");
        }
    }

    @Test
    void multiModeWithoutMembersIsRefused() throws Exception {
        Outcome o = run(Map.of("LEIFDB_MODE", "multi"));
        assertThat(o.exit()).isNotZero();
        assertThat(o.output()).contains("LEIFDB_MEMBER_NODES");
    }

    @Test
    void aDataDirOfAnotherClusterIsRefusedWithOneLineNamingBothIds() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("cluster-id"), "00000000000000ab\n");
        // The check refuses before the node binds a port or opens its log.
        Outcome o = run(Map.of("LEIFDB_MODE", "multi", "LEIFDB_HOST", "localhost", "LEIFDB_HTTP_PORT", "1",
                "LEIFDB_RAFT_PORT", "2", "LEIFDB_MEMBER_NODES", "localhost:2,localhost:3,localhost:4"));
        assertThat(o.exit()).isNotZero();
        assertThat(o.output().lines().count()).as("one line: %s", o.output()).isEqualTo(1);
        assertThat(o.output()).contains("belongs to cluster 00000000000000ab").contains("LEIFDB_MEMBER_NODES")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aDataDirThatIsAFileIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        Outcome o = run(Map.of("LEIFDB_DATA_DIR", file.toString()));
        assertThat(o.exit()).isNotZero();
        assertThat(o.output()).contains("LEIFDB_DATA_DIR");
    }
}
