package io.leifdb.server.it;

import static io.leifdb.server.it.MemberApi.health;
import static io.leifdb.server.it.MemberApi.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leifdb.client.LeifClient;
import io.leifdb.client.Watch;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member removed from a 3-node cluster keeps running; what needs the cluster (a read, a stale read, a
 * write, the coding parameters) answers at once with 421 removed naming the members left, and so does
 * the CLI pointed at it. Before, a linearizable read waited 5 s and answered with a write's wording. A watch
 * open on it when it is removed ends with watch_removed naming the members left, rather than going silent,
 * and the Java client's watch resumes on another member.
 */
class RemovedMemberIT {
    /** An answer that does not wait for the cluster comes well within the old 5 s request timeout. */
    private static final long AT_ONCE_MS = 1_000;

    @TempDir
    Path dir;

    @Test
    void aRemovedMemberAnswersAtOnceWithRemovedAndTheCliNamesAnotherMember() throws Exception {
        try (TestCluster c = TestCluster.start(3, dir)) {
            int leader = c.awaitLeader();
            int removed = (leader + 1) % 3;
            int other = (leader + 2) % 3;
            assertThat(Http.put(c.url(leader) + "/db/k", Http.valueJson("v")).status()).isEqualTo(200);
            List<String> watched = new CopyOnWriteArrayList<>();
            HttpResponse<Stream<String>> watch = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(c.url(removed) + "/watch?prefix=")).build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(watch.statusCode()).isEqualTo(200);
            Thread reader = Thread.ofVirtual().start(() -> {
                try (Stream<String> lines = watch.body()) {
                    lines.forEach(watched::add);
                } catch (UncheckedIOException hungUp) {
                    // the test ends
                }
            });
            // The Java client, given the member first and another second, watches on the first one.
            List<String> clientSaw = new CopyOnWriteArrayList<>();
            try (LeifClient seeds = LeifClient.builder(c.url(removed), c.url(other)).build();
                 Watch resuming = seeds.watchPrefix("", 0, e -> clientSaw.add(e.key()))) {
                assertThat(Http.put(c.url(leader) + "/db/w", Http.valueJson("seen")).status()).isEqualTo(200);
                await("the watch on member " + removed + " streams").atMost(Duration.ofSeconds(20))
                        .until(() -> watched.stream().anyMatch(l -> l.contains("\"key\":\"w\""))
                                && clientSaw.contains("w"));
                Http.Response rm = Http.delete(c.url(leader) + "/cluster/members/" + id(c, removed));
                assertThat(rm.status()).as(rm.body()).isEqualTo(200);
                await("member " + removed + " knows it was removed").atMost(Duration.ofSeconds(20)).until(() ->
                        "REMOVED".equals(health(c, removed).path("role").asText()));
                // Its watch ends, saying why and whom to ask, within one 5 s keep-alive period, and the stream closes.
                reader.join(Duration.ofSeconds(15));
                assertThat(reader.isAlive()).as("the stream closed: " + watched).isFalse();
                int end = watched.indexOf("event: end");
                assertThat(end).as(watched.toString()).isPositive();
                JsonNode last = new ObjectMapper().readTree(watched.get(end + 1).substring("data: ".length()));
                assertThat(last.path("code").asText()).isEqualTo("watch_removed");
                assertThat(last.path("error").asText()).contains("was removed from the cluster", "fromRevision=");
                assertThat(last.path("lastRevision").asLong()).isPositive();
                assertThat(last.path("members").toString()).contains(c.httpAddress(leader), c.httpAddress(other));
                // The client resumed after the end on the next seed, the removed one answering 421: it misses nothing.
                assertThat(Http.put(c.url(leader) + "/db/after", Http.valueJson("x")).status()).isEqualTo(200);
                await("the client's watch resumed on member " + other).atMost(Duration.ofSeconds(20))
                        .until(() -> clientSaw.contains("after"));
                assertThat(clientSaw).containsOnlyOnce("w");
                assertThat(resuming.lastRevision()).isGreaterThan(last.path("lastRevision").asLong());
            } finally {
                reader.interrupt();
            }

            String base = c.url(removed);
            for (String[] call : new String[][] {{"GET", "/db/k"}, {"GET", "/db/k?consistency=stale"}, {"GET", "/db"},
                    {"PUT", "/db/k"}, {"DELETE", "/db/k"}, {"GET", "/cluster/coding"}}) {
                long start = System.nanoTime();
                Http.Response r = Http.send(call[0], base + call[1], call[0].equals("PUT") ? Http.valueJson("w") : null,
                        false);
                long ms = (System.nanoTime() - start) / 1_000_000;
                String what = call[0] + " " + call[1];
                assertThat(r.status()).as(what + ": " + r.body()).isEqualTo(421);
                JsonNode body = r.json();
                assertThat(body.path("code").asText()).as(what).isEqualTo("removed");
                assertThat(body.path("error").asText()).as(what).contains("was removed from the cluster",
                        c.httpAddress(leader), c.httpAddress(other)).doesNotContain("may still take effect");
                assertThat(ms).as(what + " answers at once").isLessThan(AT_ONCE_MS);
            }
            assertThat(health(c, removed).path("role").asText()).isEqualTo("REMOVED");
            Http.Response ready = Http.get(base + "/readyz");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().path("reason").asText()).isEqualTo("removed");

            for (String[] args : new String[][] {{"get", "k"}, {"coding", "get"}}) {
                String[] full = Stream.concat(Arrays.stream(args), Stream.of("--url", base)).toArray(String[]::new);
                LeifdbCommand.Outcome out = LeifdbCommand.run(dir.resolve(String.join("-", args) + ".log"), full);
                assertThat(out.exit()).as(out.output()).isEqualTo(1);
                assertThat(out.output()).contains("was removed from the cluster", "ask another member: ");
            }
            // The members left serve as before.
            assertThat(Http.get(c.url(other) + "/db/k").json().path("value").asText()).isEqualTo("v");
        }
    }
}
