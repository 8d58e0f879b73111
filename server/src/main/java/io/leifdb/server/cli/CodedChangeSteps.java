package io.leifdb.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leifdb.client.LeifClient;
import io.leifdb.client.LeifException;
import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * {@code --coding-off-first} of {@code leifdb member remove|promote} (issue 14): the steps docs/craft.md
 * names when a voter change is refused as {@code coded}. Turn coding off, wait until the leader's repair
 * scrub has stored every value whole and recorded storedK 1, make the change, turn coding on again. Done by
 * the client, one API call at a time, so a leader change in between only moves where the calls go, and
 * every step is printed as it happens.
 */
final class CodedChangeSteps {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long POLL_MS = 500;
    private static final long REPORT_MS = 5_000;

    private CodedChangeSteps() {
    }

    /** Runs {@code change}; when refused as coded, through coding off and storedK 1, within {@code waitSeconds}. */
    static JsonNode run(LeifClient client, PrintWriter out, Supplier<JsonNode> change, long waitSeconds) {
        try {
            return change.get();
        } catch (LeifException e) {
            if (!"coded".equals(e.code())) throw e;
            out.println("refused: " + e.getMessage());
        }
        boolean wasOn = client.admin().coding().path("on").asBoolean();
        if (wasOn) {
            client.admin().setCoding(MAPPER.createObjectNode().put("on", false));
            out.println("coding turned off; waiting until every value is whole on every voter (storedK 1)");
        }
        out.flush();
        try {
            awaitWhole(client, out, waitSeconds);
            JsonNode done = change.get();
            out.println("changed: " + done);
            return done;
        } finally {
            if (wasOn) {
                client.admin().setCoding(MAPPER.createObjectNode().put("on", true));
                out.println("coding turned on again");
            }
        }
    }

    private static void awaitWhole(LeifClient client, PrintWriter out, long waitSeconds) {
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        long reported = System.nanoTime();
        while (true) {
            JsonNode c = client.admin().coding();
            if (c.path("storedK").asInt(1) <= 1) return;
            if (System.nanoTime() > deadline) {
                throw new LeifException(0, "timeout", "storedK is still " + c.path("storedK").asInt() + " after "
                        + waitSeconds + " s (a voter that is down stops the scrub); nothing was changed, see"
                        + " leifdb coding get");
            }
            if (System.nanoTime() - reported > REPORT_MS * 1_000_000L) {
                out.printf("  storedK %d, %s values below full redundancy%n", c.path("storedK").asInt(),
                        c.has("belowFullRedundancy") ? c.path("belowFullRedundancy").asText() : "?");
                out.flush();
                reported = System.nanoTime();
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
                throw new LeifException(0, "interrupted", "interrupted while waiting for storedK 1");
            }
        }
    }
}
