package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leifdb.server.Cli;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** GET /watch on a real node: live events, resuming from a revision without gaps, and bad input as 4xx JSON. */
class WatchNodeTest extends NodeTestBase {

    @Test
    void putsDeletesAndTransactionsStreamAsEventsWithTheirRevisions() {
        try (SseStream s = new SseStream(node.client, "/watch?prefix=w%2F")) {
            assertThat(s.status).isEqualTo(200);
            s.await("ready", 1);
            long put = ok(node.client.putJson("/db/w%2Fa", "1")).path("revision").asLong();
            ok(node.client.putJson("/db/elsewhere", "not watched"));
            ok(node.client.delete("/db/w%2Fa"));
            long txn = ok(node.client.post("/txn", "{\"success\": [{\"put\": {\"key\": \"w/b\", \"value\": \"2\"}},"
                    + " {\"put\": {\"key\": \"w/c\", \"value\": \"3\"}}]}")).path("revision").asLong();
            List<SseStream.Event> puts = s.await("put", 3);
            assertThat(puts.getFirst().id()).isEqualTo(Long.toString(put));
            assertThat(puts.getFirst().data().path("key").asText()).isEqualTo("w/a");
            assertThat(puts.getFirst().data().path("value").asText()).isEqualTo("1");
            assertThat(puts.getFirst().data().path("version").asLong()).isEqualTo(1);
            assertThat(puts.subList(1, 3)).allSatisfy(e -> assertThat(e.id()).isEqualTo(Long.toString(txn)));
            SseStream.Event del = s.await("delete", 1).getFirst();
            assertThat(del.data().path("key").asText()).isEqualTo("w/a");
            assertThat(s.events).noneMatch(e -> e.data().path("key").asText().equals("elsewhere"));
        }
    }

    @Test
    void aWatchFromARevisionGetsEverythingAfterItThenLiveChanges() {
        long first = ok(node.client.putJson("/db/r", "1")).path("revision").asLong();
        ok(node.client.putJson("/db/r", "2"));
        ok(node.client.putJson("/db/r", "3"));
        int before = node.watchers(); // other tests of this class may leave watches of their own open
        try (SseStream s = new SseStream(node.client, "/watch?key=r&fromRevision=" + first)) {
            assertThat(s.await("put", 2)).extracting(e -> e.data().path("value").asText()).containsExactly("2", "3");
            ok(node.client.putJson("/db/r", "4"));
            assertThat(s.await("put", 3)).extracting(e -> e.data().path("value").asText()).containsExactly("2", "3", "4");
        }
        // A watcher whose client hung up is freed.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ok(node.client.putJson("/db/r", "nudge"));
            return node.watchers() == before;
        });
    }

    @Test
    void theCliRunsTransactionsAndPrintsWatchedChangesAsJsonLines() throws Exception {
        StringWriter txnOut = new StringWriter();
        CommandLine txn = Cli.commandLine(new ByteArrayInputStream(
                "{\"success\": [{\"put\": {\"key\": \"cli/a\", \"value\": \"1\"}}]}".getBytes(StandardCharsets.UTF_8)));
        txn.setOut(new PrintWriter(txnOut, true));
        assertThat(txn.execute("txn", "--url", node.client.base, "-")).isZero();
        long rev = ApiClient.MAPPER.readTree(txnOut.toString()).path("revision").asLong();
        assertThat(txnOut.toString()).contains("\"succeeded\":true");

        StringWriter watchOut = new StringWriter();
        CommandLine watch = Cli.commandLine(new ByteArrayInputStream(new byte[0]));
        watch.setOut(new PrintWriter(watchOut, true));
        watch.setErr(new PrintWriter(new StringWriter(), true));
        // Runs until the node ends the stream (when this class stops it); the test reads what it printed.
        Thread.ofVirtual().start(() -> watch.execute("watch", "--url", node.client.base, "cli/", "--from-revision",
                Long.toString(rev - 1)));
        ok(node.client.putJson("/db/cli%2Fb", "2"));
        await().atMost(Duration.ofSeconds(20)).until(() -> watchOut.toString().lines().count() >= 2);
        List<String> lines = watchOut.toString().lines().toList();
        assertThat(lines.get(0)).contains("\"key\":\"cli/a\"").contains("\"revision\":" + rev);
        assertThat(lines.get(1)).contains("\"key\":\"cli/b\"").contains("\"value\":\"2\"");
    }

    @Test
    void badWatchesAre400() {
        ApiTestBase.assertError(node.client.get("/watch?key=a&fromRevision=-1"), 400, "bad_revision");
        ApiTestBase.assertError(node.client.get("/watch?key=a&fromRevision=x"), 400, "bad_revision");
        ApiTestBase.assertError(node.client.get("/watch?key=a&prefix=b"), 400, "bad_watch");
        ApiTestBase.assertError(node.client.get("/watch?key="), 400, "empty_key");
        ApiTestBase.assertError(node.client.get("/watch?since=3"), 400, "unknown_parameter");
    }
}
