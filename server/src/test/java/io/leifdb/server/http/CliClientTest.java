package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.server.Cli;
import io.leifdb.server.kv.Precondition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The leifdb get|put|delete|list|status|member|leader commands against a live HttpApi, including a follower's redirect. */
class CliClientTest extends ApiTestBase {
    private final HttpApi follower = new HttpApi();
    private final InMemoryBackend followerBackend = new InMemoryBackend();
    private StringWriter out;
    private StringWriter err;

    @AfterEach
    void stopFollower() {
        follower.stop();
    }

    private int runWithStdin(String stdin, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = Cli.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    /** A loopback port that nothing listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private int run(String... args) {
        return runWithStdin("", args);
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
    void putReadsTheValueFromStandardInputWhenItIsADash() {
        assertThat(runWithStdin("line one\nline two\n", "put", "--url", client.base, "k", "-")).isZero();
        assertThat(run("get", "--url", client.base, "k")).isZero();
        assertThat(out.toString()).startsWith("line one\nline two\n");
    }

    @Test
    void putWithoutAValueIsAUsageErrorAndWritesNothing() {
        assertThat(runWithStdin("", "put", "--url", client.base, "k")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("leifdb: Missing required parameter: 'VALUE' (see ./leifdb put --help)"
                + System.lineSeparator());
        assertThat(run("get", "--url", client.base, "k")).as("nothing was written").isEqualTo(1);
        assertThat(run("put", "--url", client.base, "k", "")).as("an empty value is said outright").isZero();
        assertThat(run("get", "--url", client.base, "k")).isZero();
        assertThat(out.toString()).isEqualTo(System.lineSeparator());
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
        assertThat(out.toString()).contains("\"role\" : \"LEADER\"").contains("\"commitIndex\" : 42")
                .contains("\"catchingUp\" : false");
        assertThat(run("status", "--url", client.base, "--cluster")).isZero();
        assertThat(out.toString()).contains("\"members\"").contains("127.0.0.1:16992");
    }

    @Test
    void statusReadyExitsOneWithTheReasonWhenNotReady() {
        assertThat(run("status", "--url", client.base, "--ready")).isZero();
        assertThat(out.toString()).contains("\"status\" : \"ready\"");
        backend.status = new NodeStatus(1, "FOLLOWER", 3, 0, Optional.empty(), 42, 41, "v", java.util.List.of(),
                "full", 1, false);
        assertThat(run("status", "--url", client.base, "--ready")).isEqualTo(1);
        assertThat(out.toString()).contains("\"reason\" : \"no_leader\"");
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
        int closed = closedPort();
        assertThat(run("get", "--url", "http://127.0.0.1:" + closed, "k")).isEqualTo(1);
        assertThat(err.toString()).startsWith("leifdb: cannot connect to http://127.0.0.1:" + closed);
        assertThat(run("get", "--url", "localhost:8080", "k")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("leifdb: --url \"localhost:8080\" is not valid: expected http://host:port or https://host:port"
                + System.lineSeparator());
    }

    @Test
    void listPrintsTheKeysUnderAPrefixOnePerLine() {
        run("put", "--url", client.base, "user/b", "2");
        run("put", "--url", client.base, "user/a", "1");
        run("put", "--url", client.base, "other", "x");
        assertThat(run("list", "--url", client.base, "user/")).as(err.toString()).isZero();
        assertThat(out.toString().lines()).containsExactly("user/a", "user/b");
        assertThat(backend.lastLinearizable).isTrue();
        assertThat(run("list", "--url", client.base, "--json", "--stale", "user/a")).isZero();
        assertThat(out.toString()).isEqualTo("{\"key\":\"user/a\",\"value\":\"1\",\"revision\":2}" + System.lineSeparator());
        assertThat(backend.lastLinearizable).isFalse();
        assertThat(run("list", "--url", client.base)).isZero();
        assertThat(out.toString().lines()).containsExactly("other", "user/a", "user/b");
        assertThat(run("list", "--url", client.base, "nothing-here")).isZero();
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void listFollowsThePagesAndStopsAtTheLimit() {
        int n = ListHandler.MAX_LIMIT * 2 + 5;   // more than any one page can hold
        for (int i = 0; i < n; i++) {
            backend.put(String.format("k%05d", i), new byte[] {'v'}, Precondition.NONE).join();
        }
        assertThat(run("list", "--url", client.base, "k")).as(err.toString()).isZero();
        List<String> keys = out.toString().lines().toList();
        assertThat(keys).hasSize(n).isSorted().doesNotHaveDuplicates();
        assertThat(keys.getLast()).isEqualTo(String.format("k%05d", n - 1));
        assertThat(run("list", "--url", client.base, "--limit", "1002", "k")).isZero();
        assertThat(out.toString().lines().toList()).isEqualTo(keys.subList(0, 1002));
        assertThat(run("list", "--url", client.base, "--limit", "0")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("leifdb: --limit \"0\" is not valid: expected a positive integer"
                + System.lineSeparator());
    }

    @Test
    void aFailedRedirectNamesTheAddressThatFailed() throws IOException {
        int closed = closedPort();
        followerBackend.failNext(() -> new NotLeaderException(Optional.of("127.0.0.1:" + closed)));
        int followerPort = follower.start(HttpSettings.loopback(0), followerBackend);
        assertThat(run("put", "--url", "http://127.0.0.1:" + followerPort, "k", "v")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("leifdb: cannot connect to http://127.0.0.1:" + closed
                + " (redirected there by http://127.0.0.1:" + followerPort + "): connection refused"
                + System.lineSeparator());
    }

    @Test
    void missingKeyArgumentIsAUsageError() {
        assertThat(run("get", "--url", client.base)).isEqualTo(2);
        assertThat(err.toString()).contains("KEY");
    }

    // ---- leifdb member list|remove, leifdb leader transfer (issue 13) ----

    @Test
    void listPrintsOneRowPerMemberWithKindUpAndLag() {
        assertThat(run("member", "list", "--url", client.base)).isZero();
        String[] lines = out.toString().split("\\R");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).startsWith("ID").contains("ROLE", "KIND", "UP", "LAG");
        assertThat(lines[2]).startsWith("2 ").contains("follower", "voter", " up ", "2", "12 ms ago", "127.0.0.1:8081");
        assertThat(lines[3]).startsWith("3 ").contains("down", " - ");
    }

    @Test
    void removeAndTransferPrintTheAnswer() {
        assertThat(run("member", "remove", "--url", client.base, "3", "--force")).isZero();
        assertThat(out.toString()).contains("\"removed\":3");
        assertThat(backend.lastForce).isTrue();
        assertThat(run("leader", "transfer", "--url", client.base, "2")).isZero();
        assertThat(out.toString()).contains("\"leader\":2");
        assertThat(run("leader", "transfer", "--url", client.base)).isZero();
        assertThat(backend.lastTransferTo).isZero();
    }

    @Test
    void refusalsAreOneLineAndExitOne() {
        assertThat(run("member", "remove", "--url", client.base, "99")).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("leifdb: member 99 is unknown");
        backend.failNext(() -> new RequestRefused(RequestRefused.Kind.CONFLICT, "last_voter", "member 1 is the last voter"));
        assertThat(run("member", "remove", "--url", client.base, "1")).isEqualTo(1);
        assertThat(err.toString()).contains("leifdb: member 1 is the last voter");
    }

    @Test
    void badUsageNamesTheNestedCommand() {
        assertThat(run("member")).isEqualTo(2);
        assertThat(err.toString()).contains("(see ./leifdb member --help)");
        assertThat(run("leader", "transfer", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("(see ./leifdb leader transfer --help)");
    }

    @Test
    void aRemovedMemberIsOneLineNamingAnotherMember() {
        backend.removed = true;
        for (String[] args : List.of(new String[] {"get", "--url", client.base, "k"},
                new String[] {"coding", "get", "--url", client.base})) {
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(1);
            assertThat(err.toString()).startsWith("leifdb: this member (id 1) was removed from the cluster")
                    .contains("ask another member: 127.0.0.1:8081, 127.0.0.1:8082");
            assertThat(err.toString().strip()).doesNotContain("\n");
        }
    }

    @Test
    void codingGetShowsTheCodeTheVotersAllow() {
        backend.codingNow = new CodingAdmin.Coding(true, 2, 4096, true, 1, 1, 1, 0);
        assertThat(run("coding", "get", "--url", client.base)).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("coding on, k=1 m=0 of 1 voters (k=2 chosen; these voters allow at most 1)");
    }
}
