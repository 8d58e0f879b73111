package io.leifdb.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The cluster's administration: node status (from the seed the client was given, since each node answers
 * for itself), membership and leadership changes (sent to the leader), CRaft coding, backup and metrics.
 * README's "Change the cluster" says when each change is safe. Every change returns once it committed.
 */
public final class Admin {
    private final LeifClient client;

    Admin(LeifClient client) {
        this.client = client;
    }

    /** The node's {@code /health}: role, leader, term, indexes. */
    public JsonNode health() {
        return client.json("GET", "/health", null, Transport.Target.SEED);
    }

    /** The node's {@code /readyz}, whether ready (200) or not (503 with a {@code reason}). */
    public JsonNode readiness() {
        Transport.Answer a = client.send(new Transport.Call("GET", "/readyz", null, null, Map.of(),
                RetryRule.Kind.PROBE, Transport.Target.SEED));
        JsonNode body = Answers.json(a);
        if (a.status() == 503 && body != null && "not_ready".equals(body.path("code").asText())) return body;
        return Answers.ok(a);
    }

    /** The node's {@code /cluster}: every member's state as this node sees it. */
    public JsonNode cluster() {
        return client.json("GET", "/cluster", null, Transport.Target.SEED);
    }

    /**
     * {@code GET /cluster/members}, from the leader when the seed is not it (only the leader knows match
     * indexes, lag and contact times); the seed's own view when the leader cannot be asked.
     */
    public JsonNode members() {
        JsonNode here = client.json("GET", "/cluster/members", null, Transport.Target.SEED);
        JsonNode leader = here.path("leaderAddress");
        if (!"follower".equals(here.path("view").asText()) || !leader.isTextual()) return here;
        Transport transport = client.transport();
        try { // the seed's scheme: every member serves the same one
            String scheme = URI.create(transport.base(Transport.Target.SEED)).getScheme();
            return Answers.ok(transport.sendTo(scheme + "://" + leader.asText(), Transport.Call.get("/cluster/members",
                    Transport.Target.SEED), HttpResponse.BodyHandlers.ofByteArray()));
        } catch (LeifException | IllegalArgumentException unreachable) {
            return here;
        }
    }

    /** Adds a learner at these addresses ({@code id} 0: the leader draws one). */
    public JsonNode addMember(String raftAddress, String httpAddress, long id) {
        ObjectNode body = Answers.MAPPER.createObjectNode().put("raftAddress", raftAddress).put("httpAddress", httpAddress);
        if (id != 0) body.put("id", String.valueOf(id));
        return client.json("POST", "/cluster/members", body, Transport.Target.LEADER);
    }

    /** Makes a caught-up learner a voter. */
    public JsonNode promoteMember(long id) {
        return client.json("POST", "/cluster/members/" + id + "/promote", null, Transport.Target.LEADER);
    }

    /** Removes a member; {@code force} skips the check that the rest can still commit without it. */
    public JsonNode removeMember(long id, boolean force) {
        return client.json("DELETE", "/cluster/members/" + id + (force ? "?force=true" : ""), null,
                Transport.Target.LEADER);
    }

    /** Hands leadership to {@code to}, or with 0 to the most up-to-date voter. */
    public JsonNode transferLeadership(long to) {
        ObjectNode body = Answers.MAPPER.createObjectNode();
        if (to != 0) body.put("to", String.valueOf(to));
        return client.json("POST", "/cluster/leader", body, Transport.Target.LEADER);
    }

    /** {@code GET /cluster/coding} from the seed: the CRaft code in force, as that member knows it. */
    public JsonNode coding() {
        return client.json("GET", "/cluster/coding", null, Transport.Target.SEED);
    }

    /** {@code PUT /cluster/coding} with the settings as the API takes them. */
    public JsonNode setCoding(JsonNode settings) {
        return client.json("PUT", "/cluster/coding", settings, Transport.Target.LEADER);
    }

    /** The node's {@code /metrics}, in the Prometheus text format. */
    public String metrics() {
        Transport.Answer a = client.send(Transport.Call.get("/metrics", Transport.Target.SEED));
        if (a.status() != 200) throw Answers.error(a);
        return new String((byte[]) a.body(), StandardCharsets.UTF_8);
    }

    /**
     * Streams the seed's {@code GET /backup} into {@code target}, created readable by its owner alone (a backup
     * holds every value) or replaced; the timeout bounds the wait until the node starts sending.
     */
    public void backup(Path target) {
        try {
            if (!Files.exists(target) && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
        } catch (IOException e) {
            throw new LeifException(0, "file", "cannot write " + target + ": " + e.getMessage());
        }
        Transport.Answer a = client.transport().send(Transport.Call.get("/backup", Transport.Target.SEED),
                HttpResponse.BodyHandlers.ofFile(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING));
        if (a.status() != 200) throw Answers.error(a);
    }
}
