package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leifdb.server.Cli;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Leases on a running node: watchers see expiries, and the CLI's lease commands and put --ttl/--lease. */
class LeaseNodeTest extends NodeTestBase {

    @Test
    void aWatcherSeesAnExpiryAsAnExpireEventAndARevocationAsDeletes() {
        try (SseStream s = new SseStream(node.client, "/watch?prefix=l%2F")) {
            s.await("ready", 1);
            JsonNode put = ok(node.client.put("/db/l%2Fshort?ttl=1s", "{\"value\":\"x\"}"));
            assertThat(put.path("lease").asLong()).isEqualTo(put.path("revision").asLong());
            long id = ok(node.client.post("/leases", "{\"ttl\": 60}")).path("id").asLong();
            ok(node.client.put("/db/l%2Flong?lease=" + id, "{\"value\":\"y\"}"));
            SseStream.Event expired = s.await("expire", 1).getFirst();
            assertThat(expired.data().path("key").asText()).isEqualTo("l/short");
            assertThat(expired.data().path("type").asText()).isEqualTo("expire");
            ApiTestBase.assertError(node.client.get("/db/l%2Fshort"), 404, "not_found");

            ok(node.client.delete("/leases/" + id));
            SseStream.Event deleted = s.await("delete", 1).getFirst();
            assertThat(deleted.data().path("key").asText()).isEqualTo("l/long");
            assertThat(s.events).filteredOn(e -> e.name().equals("expire")).hasSize(1);
        }
    }

    @Test
    void theCliGrantsAttachesKeepsAliveReadsListsAndRevokes() throws Exception {
        String url = node.client.base;
        JsonNode granted = ApiClient.MAPPER.readTree(run("lease", "grant", "45s", "--url", url));
        long id = granted.path("id").asLong();
        assertThat(granted.path("ttl").asLong()).isEqualTo(45);

        assertThat(run("put", "cli-lease/a", "v", "--lease", Long.toString(id), "--url", url)).contains("\"lease\":" + id);
        JsonNode ttlPut = ApiClient.MAPPER.readTree(run("put", "cli-lease/b", "v", "--ttl", "30s", "--url", url));
        assertThat(ttlPut.path("lease").asLong()).isEqualTo(ttlPut.path("revision").asLong());

        assertThat(ApiClient.MAPPER.readTree(run("lease", "keepalive", Long.toString(id), "--url", url))
                .path("remaining").asLong()).isEqualTo(45);
        JsonNode got = ApiClient.MAPPER.readTree(run("lease", "get", Long.toString(id), "--url", url));
        assertThat(got.path("keys")).extracting(JsonNode::asText).containsExactly("cli-lease/a");
        JsonNode all = ApiClient.MAPPER.readTree(run("lease", "list", "--url", url));
        assertThat(all.path("leases")).extracting(l -> l.path("id").asLong()).contains(id, ttlPut.path("lease").asLong());

        assertThat(run("lease", "revoke", Long.toString(id), "--url", url)).contains("cli-lease/a");
        ApiTestBase.assertError(node.client.get("/db/cli-lease%2Fa"), 404, "not_found");

        CommandLine gone = Cli.commandLine(new ByteArrayInputStream(new byte[0]));
        StringWriter err = new StringWriter();
        gone.setOut(new PrintWriter(new StringWriter(), true));
        gone.setErr(new PrintWriter(err, true));
        assertThat(gone.execute("lease", "keepalive", Long.toString(id), "--url", url)).isEqualTo(1);
        assertThat(err.toString()).contains("does not exist");
        assertThat(Cli.commandLine(new ByteArrayInputStream(new byte[0]))
                .execute("put", "k", "v", "--ttl", "5s", "--lease", "3", "--url", url)).isNotZero();
    }

    @Test
    void garbageIdsAndBodiesAre400AndATxnPutCannotCarryALease() {
        ApiTestBase.assertError(node.client.post("/leases/x/keepalive", ""), 400, "bad_lease");
        ApiTestBase.assertError(node.client.post("/leases", "{\"ttl\": [30]}"), 400, "bad_ttl");
        ApiTestBase.assertError(node.client.post("/leases", "{}"), 400, "malformed_body");
        ApiTestBase.assertError(node.client.post("/txn", "{\"success\": [{\"put\": {\"key\": \"a\", \"value\": \"1\","
                + " \"lease\": 7}}]}"), 400, "malformed_txn");
    }

    private static String run(String... args) {
        CommandLine cl = Cli.commandLine(new ByteArrayInputStream(new byte[0]));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        assertThat(code).as(List.of(args) + ": " + err).isZero();
        return out.toString().strip();
    }
}
