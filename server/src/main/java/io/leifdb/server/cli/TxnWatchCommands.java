package io.leifdb.server.cli;

import io.leifdb.client.LeifClient;
import io.leifdb.client.LeifException;
import io.leifdb.client.WatchListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code leifdb txn} and {@code leifdb watch}: transactions and change streams from the command line. */
final class TxnWatchCommands {
    private TxnWatchCommands() {
    }

    @Command(name = "txn", mixinStandardHelpOptions = true,
            description = {"Run a transaction (POST /txn) and print the answer as JSON.",
                    "FILE holds the transaction as README.md shows it; - reads it from standard input.",
                    "Exit 0 whichever branch ran: \"succeeded\" in the answer says which."})
    public static final class Txn extends ClientCommand {
        @Parameters(index = "0", paramLabel = "FILE")
        String file;

        private final InputStream stdin;

        Txn(InputStream stdin) {
            this.stdin = stdin;
        }

        @Override
        int run(LeifClient client, PrintWriter out) {
            String body;
            try {
                body = file.equals("-") ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(file));
            } catch (IOException e) {
                throw new LeifException(0, "usage", "cannot read the transaction from " + file + ": " + e.getMessage());
            }
            out.println(client.txn(body).toString());
            return 0;
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = {"Print changes to the keys starting with PREFIX (every key without one), or with --exact to that one key,",
                    "one JSON object per line ({\"type\",\"key\",\"value\",\"revision\",...}), until interrupted.",
                    "A broken stream, or one a member ends, is resumed (on any member) from the last change printed.",
                    "Exit 1 when it cannot be (its reason goes to stderr; after compaction, re-read, then --from-revision)."})
    public static final class Watch extends ClientCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX", defaultValue = "")
        String prefix;

        @Option(names = "--exact", description = "PREFIX is one key: watch only it.")
        boolean exact;

        @Option(names = "--from-revision", paramLabel = "R", description = "Start with every change after revision R.")
        Long fromRevision;

        @Override
        int run(LeifClient client, PrintWriter out) {
            if (exact && prefix.isEmpty()) throw new LeifException(0, "usage", "--exact needs the KEY to watch");
            if (fromRevision != null && fromRevision < 0) {
                throw new LeifException(0, "usage", "--from-revision \"" + fromRevision + "\" is not valid: expected >= 0");
            }
            long from = fromRevision == null ? -1 : fromRevision;
            WatchListener print = event -> {
                out.println(event.json());
                out.flush();
            };
            try (io.leifdb.client.Watch watch = exact ? client.watchKey(prefix, from, print) : client.watchPrefix(prefix, from, print)) {
                LeifException why = watch.awaitEnd();
                throw why != null ? why : new LeifException(0, "watch_ended", "the watch ended");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LeifException(0, "interrupted", "interrupted");
            }
        }
    }
}
