package io.leifdb.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.leifdb.server.Cli;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;

/** What the membership tests ask a node (issue 13): its id, the members it lists, and the CLI. */
final class MemberApi {
    private MemberApi() {
    }

    record CliRun(int exit, String out, String err) {
    }

    static CliRun cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.commandLine(new ByteArrayInputStream(new byte[0]));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new CliRun(cl.execute(args), out.toString(), err.toString());
    }

    static JsonNode health(TestCluster c, int i) {
        return get(c.url(i) + "/health").json();
    }

    static long id(TestCluster c, int i) {
        return health(c, i).path("id").asLong();
    }

    static Set<Long> memberIds(TestCluster c, int i) {
        Set<Long> ids = new TreeSet<>();
        for (JsonNode m : get(c.url(i) + "/cluster/members").json().path("members")) ids.add(m.path("id").asLong());
        return ids;
    }

    /** Member {@code id} as node {@code asked} lists it. */
    static Optional<JsonNode> member(TestCluster c, int asked, long id) {
        for (JsonNode m : get(c.url(asked) + "/cluster/members").json().path("members")) {
            if (m.path("id").asLong() == id) return Optional.of(m);
        }
        return Optional.empty();
    }

    static boolean memberUp(TestCluster c, int asked, long id) {
        return member(c, asked, id).map(m -> m.path("up").asBoolean()).orElse(false);
    }

    /** GET that turns checked failures into unchecked ones, for use inside Awaitility conditions. */
    static Http.Response get(String url) {
        try {
            return Http.get(url);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
