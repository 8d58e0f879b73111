package io.leifdb.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leifdb.client.LeifClient;
import io.leifdb.client.Paths;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code leifdb lease grant|keepalive|revoke|list|get}: leases from the command line. Thin on purpose: each
 * command is one {@link LeifClient#call} of the /leases API, whose answer it prints as JSON.
 */
public final class LeaseCommands {
    private static final ObjectMapper JSON = new ObjectMapper();
    private LeaseCommands() {
    }

    @Command(name = "lease", mixinStandardHelpOptions = true,
            description = "Grant, keep alive, revoke, list or read leases (keys that expire with their owner).",
            subcommands = {Grant.class, KeepAlive.class, Revoke.class, ListLeases.class, GetLease.class})
    public static final class Lease implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "missing command: give grant, keepalive, revoke, list or get");
        }
    }

    @Command(name = "grant", mixinStandardHelpOptions = true,
            description = "Grant a lease of TTL (30, 30s, 5m, 2h; 1 s to 24 h) and print it: {\"id\",\"ttl\",...}.")
    static final class Grant extends ClientCommand {
        @Parameters(index = "0", paramLabel = "TTL")
        String ttl;

        @Override
        int run(LeifClient client, PrintWriter out) {
            out.println(client.call("POST", "/leases", JSON.createObjectNode().put("ttl", ttl).toString()));
            return 0;
        }
    }

    @Command(name = "keepalive", mixinStandardHelpOptions = true,
            description = {"Reset lease ID to its full TTL and print it.",
                    "With --forever, renew at a third of the TTL until interrupted (exit 1 once the lease is gone)."})
    static final class KeepAlive extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID")
        long id;

        @Option(names = "--forever", description = "Keep renewing until interrupted.")
        boolean forever;

        @Override
        int run(LeifClient client, PrintWriter out) {
            do {
                JsonNode lease = client.call("POST", "/leases/" + id + "/keepalive", null);
                out.println(lease);
                out.flush();
                if (!forever) return 0;
                try {
                    Thread.sleep(Math.max(100, (long) (lease.path("ttl").asDouble() * 1000 / 3)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 0;
                }
            } while (true);
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "End lease ID now, deleting its keys.")
    static final class Revoke extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID")
        long id;

        @Override
        int run(LeifClient client, PrintWriter out) {
            out.println(client.call("DELETE", "/leases/" + id, null));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print every lease as JSON (root's, under auth).")
    static final class ListLeases extends ClientCommand {
        @Override
        int run(LeifClient client, PrintWriter out) {
            out.println(client.call("GET", "/leases", null));
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print lease ID: TTL, time left and keys.")
    static final class GetLease extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID")
        long id;

        @Override
        int run(LeifClient client, PrintWriter out) {
            out.println(client.call("GET", "/leases/" + id, null));
            return 0;
        }
    }

    /** {@code put KEY VALUE --ttl T | --lease ID}: the write through /db/{key}?ttl= or ?lease=; prints the answer. */
    static JsonNode put(LeifClient client, String key, String value, String ttl, Long lease) {
        String query = ttl != null ? "?ttl=" + Paths.encode(ttl) : "?lease=" + lease;
        return client.call("PUT", "/db/" + Paths.encode(key) + query,
                JSON.createObjectNode().put("value", value).toString());
    }
}
