package io.leifdb.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leifdb.client.LeifClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code leifdb coding get|set}: CRaft's coding parameters, which the cluster keeps in its log (issue 14). */
public final class CodingCommands {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CodingCommands() {
    }

    @Command(name = "coding", mixinStandardHelpOptions = true,
            description = "Show or change the cluster's erasure-coding parameters (CRaft).",
            subcommands = {Get.class, Set.class})
    public static final class Coding implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "missing command: give get or set");
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {"Print the coding parameters the cluster recorded in its log (GET /cluster/coding):",
                    "on or off, the largest k, the threshold, and the k the leader codes with now."})
    static final class Get extends ClientCommand {
        @Option(names = "--json", description = "Print the /cluster/coding document instead.")
        boolean json;

        @Override
        int run(LeifClient client, PrintWriter out) {
            JsonNode doc = client.admin().coding();
            if (json) {
                out.println(doc.toPrettyString());
                return 0;
            }
            print(doc, out);
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Change the coding parameters through the log (PUT /cluster/coding, sent to the leader);",
                    "options left out keep their value. New entries use the new values; entries already written",
                    "keep their code. Refused (exit 1) for a k outside 1..N-F and while another change is in flight."})
    static final class Set extends ClientCommand {
        @Option(names = "--on", arity = "1", paramLabel = "true|false", description = "Code at all.")
        Boolean on;

        @Option(names = "--k", paramLabel = "K", description = "The largest k the leader may pick (1 to N - F).")
        Integer k;

        @Option(names = "--threshold", paramLabel = "BYTES", description = "Values with fewer bytes to code stay whole.")
        Long threshold;

        @Spec
        CommandSpec spec;

        @Override
        int run(LeifClient client, PrintWriter out) {
            ObjectNode body = MAPPER.createObjectNode();
            if (on != null) body.put("on", on);
            if (k != null) body.put("k", k);
            if (threshold != null) body.put("threshold", threshold);
            if (body.isEmpty()) throw new ParameterException(spec.commandLine(), "give at least one of --on, --k, --threshold");
            print(client.admin().setCoding(body), out);
            return 0;
        }
    }

    private static void print(JsonNode doc, PrintWriter out) {
        int k = doc.path("k").asInt();
        int configured = doc.path("configuredK").asInt(k);
        out.printf("coding %s, k=%d m=%d of %d voters%s, threshold %d bytes%s%n", doc.path("on").asBoolean() ? "on" : "off",
                k, doc.path("m").asInt(), doc.path("voters").asInt(),
                configured > k ? " (k=" + configured + " chosen; these voters allow at most " + k + ")" : "",
                doc.path("threshold").asLong(),
                doc.path("recorded").asBoolean() ? "" : " (not yet recorded in the log: this member's variables)");
        out.printf("now coding new entries with k=%d%s%n", doc.path("currentK").asInt(),
                doc.path("currentK").asInt() <= 1 ? " (full copies)" : "");
        int storedK = doc.path("storedK").asInt(1);
        int n = doc.path("voters").asInt();
        out.printf("stored values may need %d distinct shares: %s%n", storedK, storedK <= 1 ? "voter changes are plain Raft's"
                : "a voter change is allowed while " + storedK + " + added voters <= the new majority (from " + n
                + " voters: " + (storedK <= n - (n - 2) / 2 - 1 ? "removal" : "no removal")
                + (storedK + 1 <= (n + 1) - n / 2 ? ", addition" : ", no addition") + ")");
        if (doc.has("belowFullRedundancy")) {
            out.printf("values below full redundancy: %d (last scrub found %d at %s; %d re-encoded)%n",
                    doc.path("belowFullRedundancy").asLong(), doc.path("lastScrubFound").asLong(),
                    doc.path("lastScrubAt").asText(), doc.path("repaired").asLong());
        }
    }
}
