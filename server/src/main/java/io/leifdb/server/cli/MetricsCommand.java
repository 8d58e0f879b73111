package io.leifdb.server.cli;

import io.leifdb.client.LeifClient;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code leifdb metrics [NAME...]}: the node's /metrics, whole or only the families whose names start so. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Print the node's Prometheus metrics; with NAME prefixes (e.g. leifdb_wal), only those families.")
public final class MetricsCommand extends ClientCommand {
    @Parameters(paramLabel = "NAME", arity = "0..*", description = "metric name prefixes, e.g. leifdb_raft_term leifdb_wal")
    List<String> prefixes = List.of();

    @Override
    int run(LeifClient client, PrintWriter out) {
        for (String line : client.admin().metrics().split("\n")) {
            if (prefixes.isEmpty() || prefixes.stream().anyMatch(p -> nameOf(line).startsWith(p))) out.println(line);
        }
        return 0;
    }

    /** The metric name of a sample line or of its "# HELP" / "# TYPE" line. */
    static String nameOf(String line) {
        String rest = line.startsWith("# HELP ") || line.startsWith("# TYPE ") ? line.substring(7) : line;
        int end = 0;
        while (end < rest.length() && rest.charAt(end) != ' ' && rest.charAt(end) != '{') end++;
        return rest.substring(0, end);
    }
}
