package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.server.cli.ClientCommands;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The leifdb get|put|delete|status commands against a live HttpApi, including a follower's redirect. */
class CliClientTest extends ApiTestBase {
    private final HttpApi follower = new HttpApi();
    private final InMemoryBackend followerBackend = new InMemoryBackend();
    private StringWriter out;
    private StringWriter err;

    @Command(name = "leifdb")
    static final class Root {
    }

    @AfterEach
    void stopFollower() {
        follower.stop();
    }

    private int runWithStdin(String stdin, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = new CommandLine(new Root());
        for (Object sub : ClientCommands.all()) {
            cl.addSubcommand(sub instanceof ClientCommands.Put && stdin != null
                    ? new ClientCommands.Put(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))
                    : sub);
        }
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private int run(String... args) {
        return runWithStdin(null, args);
    }

    @Test
    void putGetDeleteRoundTrip() {
        assertThat(run("put", "--url", client.base, "dir/ключ", "hello world")).isZero();
        assertThat(out.toString()).isEqualTo("{\"status\":\"OK\",\"revision\":1}" + System.lineSeparator());
        assertThat(run("get", "--url", client.base, "dir/ключ")).isZero();
        assertThat(out.toString()).isEqualTo("hello world" + System.lineSeparator());
        assertThat(run("get", "--url", client.base, "--json", "--stale", "dir/ключ")).isZero();
        assertThat(out.toString()).contains("\"value\":\"hello world\"").contains("\"revision\":1");
        assertThat(backend.lastLinearizable).isFalse();
        assertThat(run("delete", "--url", client.base, "dir/ключ")).isZero();
        assertThat(run("get", "--url", client.base, "dir/ключ")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("leifdb: key \"dir/ключ\" not found" + System.lineSeparator());
    }

    @Test
    void putReadsTheValueFromStandardInputWhenLeftOut() {
        assertThat(runWithStdin("line one\nline two\n", "put", "--url", client.base, "k")).isZero();
        assertThat(run("get", "--url", client.base, "k")).isZero();
        assertThat(out.toString()).startsWith("line one\nline two\n");
    }

    @Test
    void conditionalWritesReportPreconditionFailures() {
        run("put", "--url", client.base, "k", "v1");
        assertThat(run("put", "--url", client.base, "--if-match", "99", "k", "v2")).isEqualTo(1);
        assertThat(err.toString()).startsWith("leifdb: precondition failed").doesNotContain("\n\n");
        assertThat(run("put", "--url", client.base, "--if-absent", "k", "v2")).isEqualTo(1);
        assertThat(run("delete", "--url", client.base, "--if-match", "1", "k")).isZero();
    }

    @Test
    void statusPrintsHealthOrCluster() {
        assertThat(run("status", "--url", client.base)).isZero();
        assertThat(out.toString()).contains("\"role\" : \"LEADER\"").contains("\"commitIndex\" : 42");
        assertThat(run("status", "--url", client.base, "--cluster")).isZero();
        assertThat(out.toString()).contains("\"members\"").contains("127.0.0.1:16992");
    }

    @Test
    void writesThroughAFollowerFollowTheRedirectToTheLeader() {
        followerBackend.failNext(() -> new NotLeaderException(Optional.of("127.0.0.1:" + api.port())));
        int followerPort = follower.start(HttpSettings.loopback(0), followerBackend);
        String url = "http://127.0.0.1:" + followerPort;
        assertThat(run("put", "--url", url, "a/b", "via follower")).as(err.toString()).isZero();
        assertThat(run("get", "--url", url, "a/b")).isZero();
        assertThat(out.toString()).isEqualTo("via follower" + System.lineSeparator());
        assertThat(run("get", "--url", client.base, "a/b")).isZero();
        assertThat(out.toString()).isEqualTo("via follower" + System.lineSeparator());
    }

    @Test
    void noLeaderIsOneClearLine() {
        backend.failNext(() -> new NotLeaderException(Optional.empty()));
        assertThat(run("put", "--url", client.base, "k", "v")).isEqualTo(1);
        assertThat(err.toString()).startsWith("leifdb: no leader is known").endsWith(System.lineSeparator());
        assertThat(err.toString().strip()).doesNotContain("\n");
    }

    @Test
    void unreachableNodeAndBadUrlAreOneClearLine() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThat(run("get", "--url", "http://127.0.0.1:" + closed, "k")).isEqualTo(1);
        assertThat(err.toString()).startsWith("leifdb: cannot connect to http://127.0.0.1:" + closed);
        assertThat(run("get", "--url", "localhost:8080", "k")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("leifdb: --url \"localhost:8080\" is not valid: expected http://host:port"
                + System.lineSeparator());
    }

    @Test
    void missingKeyArgumentIsAUsageError() {
        assertThat(run("get", "--url", client.base)).isEqualTo(2);
        assertThat(err.toString()).contains("KEY");
    }
}
