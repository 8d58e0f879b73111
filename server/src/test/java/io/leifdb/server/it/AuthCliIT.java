package io.leifdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.server.Cli;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Turning auth on a running node as README tells: {@code user add root --roles root}, then {@code auth
 * enable}; then roles, users, tokens, passwords and grants from the command line, against a real node.
 */
class AuthCliIT {
    @TempDir
    static Path dir;
    static TestCluster node;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        node = TestCluster.start(1, Files.createDirectories(dir.resolve("node")));
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    @Test
    void authIsTurnedOnAndManagedFromTheCommandLine() {
        String[] root = {"--user", "root", "--password", "root-pass-99"};
        assertThat(cli("", "auth", "enable").err()).as("no root user yet").contains("root role");
        assertThat(cli("root-pass-99\n", "user", "add", "root", "--roles", "root").exit()).isZero();
        assertThat(cli("", "auth", "enable").out()).contains("auth enabled");

        Run anonymous = cli("", "get", "k");
        assertThat(anonymous.exit()).isEqualTo(1);
        assertThat(anonymous.err()).contains("credentials required");
        assertThat(cli("", with(root, "put", "k", "v")).exit()).isZero();
        assertThat(cli("", with(root, "put", "pub/a", "hello")).exit()).isZero();
        assertThat(cli("", with(root, "role", "add", "reader", "--read", "pub/")).exit()).isZero();
        assertThat(cli("bob-pass-123\n", with(root, "user", "add", "bob", "--roles", "reader")).exit()).isZero();
        assertThat(cli("", with(root, "user", "list")).out()).contains("bob\treader").contains("root\troot");
        assertThat(cli("", with(root, "role", "list")).out()).contains("reader\tread:pub/");

        String token = cli("", "auth", "token", "--user", "bob", "--password", "bob-pass-123").out().strip();
        assertThat(cli("", "get", "pub/a", "--token", token).out().strip()).isEqualTo("hello");
        Run forbidden = cli("", "get", "k", "--token", token);
        assertThat(forbidden.exit()).isEqualTo(1);
        assertThat(forbidden.err()).contains("may not read \"k\"");
        assertThat(cli("", "put", "pub/a", "x", "--token", token).err()).contains("may not write");

        assertThat(cli("bob-pass-456\n", with(root, "user", "passwd", "bob")).exit()).isZero();
        assertThat(cli("", "get", "pub/a", "--user", "bob", "--password", "bob-pass-123").exit()).isEqualTo(1);
        assertThat(cli("", "get", "pub/a", "--user", "bob", "--password", "bob-pass-456").out().strip()).isEqualTo("hello");
        String[] bob = {"--user", "bob", "--password", "bob-pass-456"};
        assertThat(cli("bob-pass-789\n", with(bob, "user", "passwd", "bob")).err()).as("the old password is required")
                .contains("oldPassword");
        assertThat(cli("bob-pass-456\nbob-pass-789\n", with(bob, "user", "passwd", "bob", "--own")).exit()).isZero();
        bob = new String[] {"--user", "bob", "--password", "bob-pass-789"};
        assertThat(cli("", with(bob, "get", "pub/a")).out().strip()).isEqualTo("hello");

        assertThat(cli("", with(root, "role", "update", "reader", "--read", "")).exit()).isZero();
        assertThat(cli("", with(bob, "get", "k")).out().strip()).as("the updated role covers every key").isEqualTo("v");
        assertThat(cli("", with(root, "role", "delete", "reader")).exit()).isZero();
        assertThat(cli("", with(bob, "get", "pub/a")).err()).as("the deleted role grants nothing").contains("may not read");
        assertThat(cli("", with(root, "role", "delete", "root")).err()).contains("cannot be changed or deleted");

        Run ghost = cli("", with(root, "user", "grant", "bob", "ghost"));
        assertThat(ghost.exit()).isEqualTo(1);
        assertThat(ghost.err()).contains("role \"ghost\" does not exist");
        assertThat(cli("short\n", with(root, "user", "add", "eve")).err()).contains("at least 8");
        assertThat(cli("", with(root, "user", "delete", "bob")).exit()).isZero();
        assertThat(cli("", "get", "pub/a", "--token", token).err()).as("a deleted user's token ends").contains("token is invalid");
    }

    private static String[] with(String[] creds, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(creds));
        return all.toArray(String[]::new);
    }

    private static Run cli(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", node.url(0)));
        CommandLine cl = Cli.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }
}
