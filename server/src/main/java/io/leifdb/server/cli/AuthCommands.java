package io.leifdb.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leifdb.client.LeifClient;
import io.leifdb.client.LeifException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code leifdb user add|list|delete|passwd|grant}, {@code leifdb role add|list} and {@code leifdb auth
 * enable|token}: the /auth API from the shell. New passwords are read from standard input (or typed at
 * the terminal without echo), never from the command line, where ps would show them.
 */
public final class AuthCommands {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AuthCommands() {
    }

    /** The three command groups, for {@code CommandLine.addSubcommand}. */
    public static List<Object> all(InputStream stdin) {
        return List.of(new UserCommands(stdin), new RoleCommands(), new AuthGroup());
    }

    @Command(name = "user", mixinStandardHelpOptions = true, description = "Manage users (root only once auth is on).")
    static final class UserCommands {
        @Spec
        CommandSpec spec;
        private final InputStream stdin;

        UserCommands(InputStream stdin) {
            this.stdin = stdin;
        }

        @Command(name = "add", mixinStandardHelpOptions = true,
                description = "Add a user; its password is read from standard input (or typed, hidden).")
        int add(@Parameters(paramLabel = "NAME") String name,
                @Option(names = "--roles", split = ",", paramLabel = "ROLE,...", description = "Roles to grant.")
                List<String> roles,
                @Mixin ClientOptions options) {
            return run(options, spec, (client, out) -> {
                client.auth().addUser(name, new Secrets(stdin).read("new password"), roles == null ? List.of() : roles);
                out.println("user " + name + " added");
            });
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List users and their roles.")
        int list(@Mixin ClientOptions options) {
            return run(options, spec, (client, out) -> {
                for (JsonNode u : client.auth().users().path("users")) {
                    List<String> roles = new ArrayList<>();
                    u.path("roles").forEach(x -> roles.add(x.asText()));
                    out.println(u.path("name").asText() + "\t" + String.join(",", roles));
                }
            });
        }

        @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a user; its tokens stop working.")
        int delete(@Parameters(paramLabel = "NAME") String name, @Mixin ClientOptions options) {
            return run(options, spec, (client, out) -> {
                client.auth().deleteUser(name);
                out.println("user " + name + " deleted");
            });
        }

        @Command(name = "passwd", mixinStandardHelpOptions = true,
                description = {"Set a user's password, read from standard input (or typed, hidden).",
                        "With --own (a user without root changing their own), the current password comes first."})
        int passwd(@Parameters(paramLabel = "NAME") String name,
                   @Option(names = "--own", description = "Also send the current password (required unless you are root).")
                   boolean own,
                   @Mixin ClientOptions options) {
            return run(options, spec, (client, out) -> {
                Secrets in = new Secrets(stdin);
                String old = own ? in.read("current password") : null;
                client.auth().setPassword(name, old, in.read("new password"));
                out.println("password of " + name + " changed");
            });
        }

        @Command(name = "grant", mixinStandardHelpOptions = true, description = "Set a user's roles (replaces the ones it had).")
        int grant(@Parameters(index = "0", paramLabel = "NAME") String name,
                  @Parameters(index = "1..*", paramLabel = "ROLE") List<String> roles,
                  @Mixin ClientOptions options) {
            return run(options, spec, (client, out) -> {
                client.auth().setRoles(name, roles);
                out.println(name + " now has " + String.join(", ", roles));
            });
        }
    }

    @Command(name = "role", mixinStandardHelpOptions = true, description = "Manage roles (root only once auth is on).")
    static final class RoleCommands {
        @Spec
        CommandSpec spec;

        @Command(name = "add", mixinStandardHelpOptions = true,
                description = "Add a role granting read or read-write on key prefixes (\"\" for every key).")
        int add(@Parameters(paramLabel = "NAME") String name, @Mixin Grants grants, @Mixin ClientOptions options) {
            return run(options, spec, (client, out) -> {
                client.auth().addRole(name, grants.body());
                out.println("role " + name + " added");
            });
        }

        @Command(name = "update", mixinStandardHelpOptions = true,
                description = "Replace a role's grants; its holders get the new ones at once.")
        int update(@Parameters(paramLabel = "NAME") String name, @Mixin Grants grants, @Mixin ClientOptions options) {
            return run(options, spec, (client, out) -> {
                client.auth().updateRole(name, grants.body());
                out.println("role " + name + " updated");
            });
        }

        @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a role and take it from its holders.")
        int delete(@Parameters(paramLabel = "NAME") String name, @Mixin ClientOptions options) {
            return run(options, spec, (client, out) -> {
                client.auth().deleteRole(name);
                out.println("role " + name + " deleted");
            });
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List roles and their grants.")
        int list(@Mixin ClientOptions options) {
            return run(options, spec, (client, out) -> {
                for (JsonNode r : client.auth().roles().path("roles")) {
                    List<String> grants = new ArrayList<>();
                    r.path("permissions").forEach(p -> grants.add(p.path("access").asText() + ":" + p.path("prefix").asText()));
                    out.println(r.path("name").asText() + "\t" + String.join(" ", grants));
                }
            });
        }
    }

    @Command(name = "auth", mixinStandardHelpOptions = true, description = "Turn auth on, or get a token.")
    static final class AuthGroup {
        @Spec
        CommandSpec spec;

        @Command(name = "enable", mixinStandardHelpOptions = true,
                description = "Require authentication on every member (a user with the root role must exist).")
        int enable(@Mixin ClientOptions options) {
            return run(options, spec, (client, out) -> {
                client.auth().enable();
                out.println("auth enabled");
            });
        }

        @Command(name = "token", mixinStandardHelpOptions = true,
                description = "Print a bearer token for --user/--password, for LEIFDB_TOKEN or --token.")
        int token(@Option(names = "--ttl", paramLabel = "SECONDS", defaultValue = "900") long ttl,
                  @Mixin ClientOptions options) {
            return run(options, spec, (client, out) -> out.println(client.auth().token(ttl)
                    .path("token").asText()));
        }
    }

    private interface Action {
        void run(LeifClient client, PrintWriter out);
    }

    /** As {@link ClientCommand}: one error line and status 1 on failure. */
    private static int run(ClientOptions options, CommandSpec spec, Action action) {
        PrintWriter out = spec.commandLine().getOut();
        try {
            action.run(options.client(), out);
            return 0;
        } catch (LeifException e) {
            return ClientCommand.failed(spec, e);
        } finally {
            out.flush();
        }
    }

    /** The --read and --readwrite options of a role, as the body's "permissions". */
    static final class Grants {
        @Option(names = "--read", paramLabel = "PREFIX", description = "May read keys with this prefix.")
        List<String> read;
        @Option(names = "--readwrite", paramLabel = "PREFIX", description = "May read and write them.")
        List<String> readwrite;

        ObjectNode body() {
            ObjectNode body = MAPPER.createObjectNode();
            ArrayNode perms = body.putArray("permissions");
            if (read != null) read.forEach(p -> perms.addObject().put("prefix", p).put("access", "read"));
            if (readwrite != null) readwrite.forEach(p -> perms.addObject().put("prefix", p).put("access", "readwrite"));
            return body;
        }
    }

    /** Passwords typed hidden at a terminal, else one per line of standard input (one reader, so lines are not lost). */
    private static final class Secrets {
        private final InputStream stdin;
        private BufferedReader lines;

        Secrets(InputStream stdin) {
            this.stdin = stdin;
        }

        String read(String what) {
            java.io.Console console = System.console();
            if (console != null && stdin == System.in) {
                char[] typed = console.readPassword(what + ": ");
                if (typed == null) throw new LeifException(0, "no_password", "no " + what + " was typed");
                return new String(typed);
            }
            try {
                if (lines == null) lines = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
                String line = lines.readLine();
                if (line == null) throw new LeifException(0, "no_password", "give the " + what + " on standard input");
                return line;
            } catch (IOException e) {
                throw new LeifException(0, "no_password", "cannot read the " + what + ": " + e.getMessage());
            }
        }
    }
}
