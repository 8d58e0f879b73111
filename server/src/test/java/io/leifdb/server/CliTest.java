package io.leifdb.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.server.node.Version;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/** What a new user types first: --version, help, and a command that does not exist. */
class CliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Cli.commandLine(new ByteArrayInputStream(new byte[0]));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void versionPrintsTheVersionAndExitsZero() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).isEqualTo("leifdb " + Version.get() + System.lineSeparator());
        assertThat(Version.get()).isNotBlank();
        out.getBuffer().setLength(0);
        assertThat(run("list", "--version")).isZero();
        assertThat(out.toString()).isEqualTo("leifdb " + Version.get() + System.lineSeparator());
    }

    @Test
    void helpListsEveryCommandAndExitsZero() {
        for (String help : new String[] {"help", "--help", "-h"}) {
            out.getBuffer().setLength(0);
            assertThat(run(help)).as(help).isZero();
            String text = out.toString();
            for (String command : new String[] {"node", "cluster", "bench", "test", "simulate",
                    "get", "put", "delete", "list", "status", "help"}) {
                assertThat(text).as("%s lists %s", help, command).containsPattern("(?m)^\\s+" + command + "\\s");
            }
            assertThat(err.toString()).isEmpty();
        }
    }

    @Test
    void helpForOneCommandShowsItsUsage() {
        assertThat(run("help", "put")).isZero();
        assertThat(out.toString()).contains("Usage: leifdb put").contains("KEY").contains("VALUE");
    }

    @Test
    void anUnknownCommandIsOneLineAndANonZeroExit() {
        assertThat(run("frobnicate", "x")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("leifdb: unknown command \"frobnicate\" (see ./leifdb help)"
                + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
        err.getBuffer().setLength(0);
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("leifdb: Unknown option: '--frobnicate'").doesNotContain("\n");
    }
}
