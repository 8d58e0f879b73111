package io.leifdb.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.leifdb.client.LeifClient;
import io.leifdb.server.http.CodedChangeSteps;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code leifdb member list|add|promote|remove} and {@code leifdb leader transfer}: the cluster's membership (issue 13). */
public final class MemberCommands {
    private MemberCommands() {
    }

    @Command(name = "member", mixinStandardHelpOptions = true,
            description = "List, add, promote or remove the cluster's members.",
            subcommands = {ListMembers.class, AddMember.class, PromoteMember.class, RemoveMember.class})
    public static final class Member implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "missing command: give list, add, promote or remove");
        }
    }

    @Command(name = "leader", mixinStandardHelpOptions = true, description = "Move the cluster's leadership.",
            subcommands = {TransferLeader.class})
    public static final class Leader implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "missing command: give transfer");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Print every member of the configuration in force: id, role, voter or learner, up or down,",
                    "lag behind the leader, last contact and addresses (asked of the leader when it can be reached)."})
    static final class ListMembers extends ClientCommand {
        @Option(names = "--json", description = "Print the /cluster/members document instead.")
        boolean json;

        @Override
        int run(LeifClient client, PrintWriter out) {
            JsonNode doc = client.admin().members();
            if (json) {
                out.println(doc.toPrettyString());
                return 0;
            }
            String row = "%-20s %-13s %-7s %-4s %9s %12s  %-21s %s%n";
            out.printf(row, "ID", "ROLE", "KIND", "UP", "LAG", "CONTACT", "HTTP", "RAFT");
            for (JsonNode m : doc.path("members")) {
                out.printf(row, m.path("id").asText(), m.path("role").asText().toLowerCase(java.util.Locale.ROOT),
                        m.path("voter").asBoolean() ? "voter" : "learner", m.path("up").asBoolean() ? "up" : "down",
                        known(m.path("lag").asLong(), ""), known(m.path("msSinceLastContact").asLong(), " ms ago"),
                        m.path("httpAddress").asText(), m.path("raftAddress").asText());
            }
            if (!"leader".equals(doc.path("view").asText())) {
                out.println("(a follower's view: only the leader knows lag and contact, and no leader could be asked)");
            }
            return 0;
        }

        private static String known(long v, String unit) {
            return v < 0 ? "-" : v + unit;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add a learner listening at RAFT_ADDRESS and HTTP_ADDRESS (host:port each); prints",
                    "{\"status\":\"OK\",\"id\":ID,...} once committed. A node started with LEIFDB_JOIN does this itself.",
                    "Refused (exit 1) when a member already listens at one of the addresses or another change is in flight."})
    static final class AddMember extends ClientCommand {
        @Parameters(index = "0", paramLabel = "RAFT_ADDRESS", description = "host:port of the new member's Raft port.")
        String raft;

        @Parameters(index = "1", paramLabel = "HTTP_ADDRESS", description = "host:port of the new member's HTTP API.")
        String http;

        @Option(names = "--id", description = "The new member's id (default: the leader draws one).")
        long id;

        @Override
        int run(LeifClient client, PrintWriter out) {
            out.println(client.admin().addMember(raft, http, id).toString());
            return 0;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = {"Make learner ID a voter; prints {\"status\":\"OK\",\"promoted\":ID,\"index\":N} once committed.",
                    "Refused (exit 1) while it is far behind the leader, already a voter, or another change is in flight,",
                    "and when erasure-coded values could become unreadable (see --coding-off-first)."})
    static final class PromoteMember extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The learner's id (see leifdb member list).")
        long id;

        @Mixin
        CodedChange coded;

        @Override
        int run(LeifClient client, PrintWriter out) {
            out.println(coded.apply(client, out, () -> client.admin().promoteMember(id)).toString());
            return 0;
        }
    }

    /** {@code --coding-off-first} and {@code --wait}, shared by remove and promote. */
    static final class CodedChange {
        @Option(names = "--coding-off-first", description = {"When refused because coded values need it: turn coding off,",
                "wait until every value is whole on every voter (storedK 1), make the change, turn coding on again."})
        boolean codingOffFirst;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "600",
                description = "With --coding-off-first: how long to wait for storedK 1 (default ${DEFAULT-VALUE}).")
        long waitSeconds;

        JsonNode apply(LeifClient client, PrintWriter out, java.util.function.Supplier<JsonNode> change) {
            return codingOffFirst ? CodedChangeSteps.run(new ClientCodedCluster(client, out), change, JsonNode::toString,
                    java.time.Duration.ofSeconds(waitSeconds)) : change.get();
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = {"Remove a member through the log; prints {\"status\":\"OK\",\"removed\":ID,\"index\":N} once committed.",
                    "Removing the leader hands leadership over first. Refused (exit 1) while another change is in flight,",
                    "for the last voter, when fewer live voters than a quorum would remain (unless --force), and when",
                    "erasure-coded values could become unreadable (see --coding-off-first)."})
    static final class RemoveMember extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The member's id (see leifdb member list).")
        long id;

        @Option(names = "--force", description = "Remove even if fewer live voters than a quorum would remain.")
        boolean force;

        @Mixin
        CodedChange coded;

        @Override
        int run(LeifClient client, PrintWriter out) {
            out.println(coded.apply(client, out, () -> client.admin().removeMember(id, force)).toString());
            return 0;
        }
    }

    @Command(name = "transfer", mixinStandardHelpOptions = true,
            description = {"Hand leadership to member ID, or without one to the most up-to-date live voter;",
                    "prints {\"status\":\"OK\",\"leader\":ID,...} once another member leads."})
    static final class TransferLeader extends ClientCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The voter to lead next.")
        Long id;

        @Override
        int run(LeifClient client, PrintWriter out) {
            out.println(client.admin().transferLeadership(id == null ? 0 : id).toString());
            return 0;
        }
    }
}
