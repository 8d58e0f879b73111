package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.server.Cli;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/** leifdb member list|remove and leader transfer against a live HttpApi: output, exit codes, one-line errors. */
class MemberCliTest extends ApiTestBase {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Cli.commandLine(new ByteArrayInputStream(new byte[0]));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

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
        backend.failNext(() -> new MemberChangeRefused(MemberChangeRefused.Kind.CONFLICT, "last_voter", "member 1 is the last voter"));
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
}
