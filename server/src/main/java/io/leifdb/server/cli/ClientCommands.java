package io.leifdb.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leifdb.client.KeyValue;
import io.leifdb.client.LeifClient;
import io.leifdb.client.LeifException;
import io.leifdb.client.ListQuery;
import io.leifdb.client.Page;
import io.leifdb.client.Precondition;
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
 * The command-line client: {@code leifdb get|put|delete|list|status --url http://host:port ...}.
 * The top-level {@code Cli} adds {@link #all} as its subcommands.
 */
public final class ClientCommands {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ClientCommands() {
    }

    /** Fresh instances of every client command, for {@code CommandLine.addSubcommand}; {@code put -} reads {@code stdin}. */
    public static List<Object> all(InputStream stdin) {
        return List.of(new Get(), new Put(stdin), new Delete(), new ListKeys(), new TxnWatchCommands.Txn(stdin),
                new TxnWatchCommands.Watch(), new Status(), new MemberCommands.Member(), new MemberCommands.Leader(),
                new CodingCommands.Coding(), new LeaseCommands.Lease());
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
            Optional<KeyValue> read = client.get(key, stale);
            if (read.isEmpty()) {
                throw new LeifException(404, "not_found", "key \"" + key + "\" not found");
            }
            if (json) {
                out.println(jsonItem(key, read.get().text(), read.get().modRevision()));
            } else {
                out.println(read.get().text());
            }
            return 0;
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Set a key; prints {\"status\":\"OK\",\"revision\":N} once committed and applied.")
    public static final class Put extends ClientCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE",
                description = "The value (\"\" for an empty one); - reads it from standard input.")
        String value;

        @Option(names = "--if-match", paramLabel = "REVISION", description = "Write only if the key is at this revision.")
        Long ifMatch;

        @Option(names = "--if-absent", description = "Write only if the key does not exist yet.")
        boolean ifAbsent;

        @Option(names = "--ttl", paramLabel = "TTL", description = "Attach the key to a new lease of TTL (30s, 5m, 2h).")
        String ttl;

        @Option(names = "--lease", paramLabel = "ID", description = "Attach the key to lease ID (leifdb lease grant).")
        Long lease;

        private final InputStream stdin;

        Put(InputStream stdin) {
            this.stdin = stdin;
        }

        @Override
        int run(LeifClient client, PrintWriter out) {
            String v = value;
            if (v.equals("-")) {
                try {
                    v = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new LeifException(0, "stdin", "cannot read the value from standard input: " + e.getMessage());
                }
            }
            if (ttl != null || lease != null) {
                if (ttl != null && lease != null) throw new LeifException(0, "usage", "give --ttl or --lease, not both");
                if (ifMatch != null || ifAbsent) {
                    throw new LeifException(0, "usage", "--if-match and --if-absent do not combine with --ttl or --lease");
                }
                out.println(LeaseCommands.put(client, key, v, ttl, lease));
                return 0;
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

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Print the keys that start with PREFIX (every key without one), one per line in key order.",
                    "Pages of up to " + ListKeys.PAGE + " keys are fetched in turn; each page is its own read."})
    public static final class ListKeys extends ClientCommand {
        static final int PAGE = 1000;

        @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX", defaultValue = "")
        String prefix;

        @Option(names = "--limit", paramLabel = "N", description = "Stop after N keys (default: all of them).")
        Integer limit;

        @Option(names = "--stale", description = "Read this node's local state instead of linearizable reads.")
        boolean stale;

        @Option(names = "--json", description = "Print one JSON object per line: {\"key\",\"value\",\"revision\"}.")
        boolean json;

        @Override
        int run(LeifClient client, PrintWriter out) {
            if (limit != null && limit < 1) {
                throw new LeifException(0, "usage", "--limit \"" + limit + "\" is not valid: expected a positive integer");
            }
            long left = limit == null ? Long.MAX_VALUE : limit;
            ListQuery q = ListQuery.prefix(prefix);
            if (!json) q = q.withKeysOnly(); // only keys are printed: the node need not read the values
            if (stale) q = q.withStale();
            while (left > 0) {
                Page page = client.list(q.withLimit((int) Math.min(PAGE, left)));
                for (KeyValue kv : page.items()) {
                    out.println(json ? jsonItem(kv.key(), kv.text(), kv.modRevision()) : kv.key());
                }
                left -= page.items().size();
                if (page.next().isEmpty()) break;
                q = q.withAfter(page.next().get());
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Print the node's health (role, leader, term, indexes) as JSON.")
    public static final class Status extends ClientCommand {
        @Option(names = "--cluster", description = "Print every member's state instead.")
        boolean cluster;

        @Option(names = "--ready", description = "Print /readyz instead; exit 1 when the member is not ready.")
        boolean ready;

        @Override
        int run(LeifClient client, PrintWriter out) {
            if (cluster && ready) throw new LeifException(0, "usage", "give --cluster or --ready, not both");
            JsonNode doc = cluster ? client.admin().cluster() : ready ? client.admin().readiness() : client.admin().health();
            try {
                out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
            } catch (IOException e) {
                throw new LeifException(0, "bad_response", "cannot print the answer: " + e.getMessage());
            }
            return ready && doc.has("reason") ? FAILED : 0;
        }
    }

    private static Precondition precondition(Long ifMatch, boolean ifAbsent) {
        if (ifMatch != null && ifAbsent) {
            throw new LeifException(0, "usage", "give --if-match or --if-absent, not both");
        }
        if (ifMatch != null) {
            if (ifMatch < 1) {
                throw new LeifException(0, "usage", "--if-match \"" + ifMatch + "\" is not valid: expected a revision >= 1");
            }
            return Precondition.ifRevision(ifMatch);
        }
        return ifAbsent ? Precondition.IF_ABSENT : Precondition.NONE;
    }

    /** The --json form of one key, shared by get and list. */
    private static String jsonItem(String key, String value, long revision) {
        return MAPPER.createObjectNode().put("key", key).put("value", value).put("revision", revision).toString();
    }

    private static String ok(long revision) {
        return MAPPER.createObjectNode().put("status", "OK").put("revision", revision).toString();
    }
}
