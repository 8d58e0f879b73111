package io.leifdb.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leifdb.server.http.Precondition;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command-line client: {@code leifdb get|put|delete|status --url http://host:port KEY [VALUE]}.
 * Main adds {@link #all()} as subcommands of its own top-level command.
 */
public final class ClientCommands {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ClientCommands() {
    }

    /** Fresh instances of every client command, for {@code CommandLine.addSubcommand}. */
    public static List<Object> all() {
        return List.of(new Get(), new Put(), new Delete(), new Status());
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Print a key's value (exit 1 when the key does not exist).")
    public static final class Get extends ClientCommand {
        @Parameters(index = "0", paramLabel = "KEY", description = "Any UTF-8 string, '/' included.")
        String key;

        @Option(names = "--stale", description = "Read this node's local state instead of a linearizable read.")
        boolean stale;

        @Option(names = "--json", description = "Print the value with its revision as JSON.")
        boolean json;

        @Override
        int run(LeifClient client, PrintWriter out) {
            Optional<LeifClient.Read> read = client.get(key, stale);
            if (read.isEmpty()) {
                throw new LeifClientException(404, "not_found", "key \"" + key + "\" not found");
            }
            if (json) {
                out.println(MAPPER.createObjectNode().put("key", key).put("value", read.get().value())
                        .put("revision", read.get().revision()).toString());
            } else {
                out.println(read.get().value());
            }
            return 0;
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Set a key; prints {\"status\":\"OK\",\"revision\":N} once committed and applied.")
    public static final class Put extends ClientCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE", arity = "0..1",
                description = "The value; read from standard input when left out.")
        String value;

        @Option(names = "--if-match", paramLabel = "REVISION", description = "Write only if the key is at this revision.")
        Long ifMatch;

        @Option(names = "--if-absent", description = "Write only if the key does not exist yet.")
        boolean ifAbsent;

        private final InputStream stdin;

        public Put() {
            this(System.in);
        }

        /** Reads a left-out VALUE from {@code stdin} instead of the process's standard input. */
        public Put(InputStream stdin) {
            this.stdin = stdin;
        }

        @Override
        int run(LeifClient client, PrintWriter out) {
            String v = value;
            if (v == null) {
                try {
                    v = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new LeifClientException(0, "stdin", "cannot read the value from standard input: " + e.getMessage());
                }
            }
            long revision = client.put(key, v, precondition(ifMatch, ifAbsent));
            out.println(ok(revision));
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a key (a missing key also succeeds).")
    public static final class Delete extends ClientCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Option(names = "--if-match", paramLabel = "REVISION", description = "Delete only if the key is at this revision.")
        Long ifMatch;

        @Override
        int run(LeifClient client, PrintWriter out) {
            out.println(ok(client.delete(key, precondition(ifMatch, false))));
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Print the node's health (role, leader, term, indexes) as JSON.")
    public static final class Status extends ClientCommand {
        @Option(names = "--cluster", description = "Print every member's state instead.")
        boolean cluster;

        @Override
        int run(LeifClient client, PrintWriter out) {
            JsonNode doc = cluster ? client.cluster() : client.health();
            try {
                out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
            } catch (IOException e) {
                throw new LeifClientException(0, "bad_response", "cannot print the answer: " + e.getMessage());
            }
            return 0;
        }
    }

    private static Precondition precondition(Long ifMatch, boolean ifAbsent) {
        if (ifMatch != null && ifAbsent) {
            throw new LeifClientException(0, "usage", "give --if-match or --if-absent, not both");
        }
        if (ifMatch != null) {
            if (ifMatch < 1) {
                throw new LeifClientException(0, "usage", "--if-match \"" + ifMatch + "\" is not valid: expected a revision >= 1");
            }
            return new Precondition.IfRevision(ifMatch);
        }
        return ifAbsent ? Precondition.ABSENT : Precondition.NONE;
    }

    private static String ok(long revision) {
        return MAPPER.createObjectNode().put("status", "OK").put("revision", revision).toString();
    }
}
