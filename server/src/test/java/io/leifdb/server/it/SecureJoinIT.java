package io.leifdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leifdb.server.tls.CertificateSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 on a cluster secured as issue 15 describes (HTTPS with client certificates required,
 * mutual TLS between members, auth on): a fourth node joins by {@code LEIFDB_JOIN=https://...}
 * through a follower, is promoted by the leader and serves a linearizable read of a key written
 * before it came. The attacks: a join with the wrong password and a join that does not trust the
 * cluster's CA are refused, and neither node becomes a member.
 */
class SecureJoinIT {
    private static final String ROOT_PASSWORD = "root-secret-42";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aSecuredClusterGrowsByJoinOverHttps_andRefusesAWrongPasswordAndAnUntrustedCertificate() throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        TestCertificates otherCa = TestCertificates.create(dir.resolve("other-certs"));
        Path rootPassword = Files.writeString(dir.resolve("root-password"), ROOT_PASSWORD + "\n");
        Map<String, String> env = new HashMap<>(certs.nodeEnv());
        env.put("LEIFDB_TLS_CLIENT_CA", certs.file(CertificateSet.CA).toString());
        env.put("LEIFDB_AUTH", "on");
        env.put("LEIFDB_ROOT_PASSWORD_FILE", rootPassword.toString());
        SSLContext tls = certs.certifiedClient();
        HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        try (TestCluster c = TestCluster.prepare(5, Files.createDirectories(dir.resolve("nodes")), env, tls)) {
            for (int i = 0; i < 3; i++) c.nodeEnv(i, Map.of("LEIFDB_AUTO_PROMOTE", "true"));
            c.startFirst(3);
            int leader = c.awaitLeader();
            await("root can log in").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> send(http, "GET", c.url(leader) + "/cluster/members", null).statusCode() == 200);
            assertThat(send(http, "PUT", c.url(leader) + "/db/before", "{\"value\":\"secured\"}").statusCode()).isEqualTo(200);

            // Through a follower: its 307 names the leader's https:// address, which the join follows.
            int follower = (leader + 1) % 3;
            c.nodeEnv(3, JoinIT.joining("https://" + c.httpAddress(follower)));
            long started = System.nanoTime();
            c.launch(3);
            c.awaitServing(3);
            long id3 = JSON.readTree(c.health(3).orElseThrow()).path("id").asLong(); // /health stays open with auth on
            await("the joined node promoted by the leader").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> member(http, c.url(c.awaitLeader()), id3).map(m -> m.path("voter").asBoolean()).orElse(false));
            System.out.printf("secured join: node start to promoted voter in %d ms%n", (System.nanoTime() - started) / 1_000_000);
            HttpResponse<String> read = send(http, "GET", c.url(3) + "/db/before", null);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(JSON.readTree(read.body()).path("value").asText()).isEqualTo("secured");
            assertThat(members(http, c.url(c.awaitLeader()))).isEqualTo(4);

            // A wrong password: every attempt is refused with the reason, and the node never becomes a member.
            Map<String, String> wrong = JoinIT.joining("https://" + c.httpAddress(leader));
            wrong.put("LEIFDB_JOIN_PASSWORD_FILE", Files.writeString(dir.resolve("wrong"), "not-the-password\n").toString());
            c.nodeEnv(4, wrong);
            c.launch(4);
            await("the join refused for its credentials").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> log(c, 4).contains("refused the join as root (401"));
            assertThat(c.isRunning(4)).as("a refused join retries").isTrue();
            assertThat(c.health(4)).as("a node that has not joined serves nothing").isEmpty();
            assertThat(members(http, c.url(c.awaitLeader()))).isEqualTo(4);
            c.kill9(4);
            c.wipe(4);

            // A join that does not trust the cluster's CA fails at the handshake, and never tries plain HTTP.
            Map<String, String> untrusting = JoinIT.joining("https://" + c.httpAddress(leader));
            untrusting.put("LEIFDB_JOIN_CA", otherCa.file(CertificateSet.CA).toString());
            c.nodeEnv(4, untrusting);
            Files.writeString(c.logFile(4), "");
            c.launch(4);
            await("the join fails at the TLS handshake").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> log(c, 4).contains("the TLS handshake with " + c.httpAddress(leader) + " failed"));
            assertThat(log(c, 4)).doesNotContain("http://" + c.httpAddress(leader));
            assertThat(c.health(4)).isEmpty();
            assertThat(members(http, c.url(c.awaitLeader()))).isEqualTo(4);
        }
    }

    private static String log(TestCluster c, int i) throws IOException {
        return Files.exists(c.logFile(i)) ? Files.readString(c.logFile(i)) : "";
    }

    private static int members(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = send(http, "GET", url + "/cluster/members", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("members").size();
    }

    private static Optional<JsonNode> member(HttpClient http, String url, long id) throws Exception {
        HttpResponse<String> r = send(http, "GET", url + "/cluster/members", null);
        if (r.statusCode() != 200) return Optional.empty();
        for (JsonNode m : JSON.readTree(r.body()).path("members")) {
            if (m.path("id").asLong() == id) return Optional.of(m);
        }
        return Optional.empty();
    }

    /** As root, with the client certificate the cluster requires. */
    private static HttpResponse<String> send(HttpClient http, String method, String url, String body) throws Exception {
        String basic = Base64.getEncoder().encodeToString(("root:" + ROOT_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
