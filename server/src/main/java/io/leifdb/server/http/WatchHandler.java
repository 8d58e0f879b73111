package io.leifdb.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leifdb.server.kv.Change;
import io.leifdb.server.kv.HistoryCompactedException;
import io.leifdb.server.kv.Watcher;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * GET /watch: changes to a key or under a prefix as server-sent events, from this member's applied
 * state. Each event's id is its revision, so a client resumes with {@code fromRevision} (or an
 * EventSource's {@code Last-Event-ID}) and misses nothing the member's history still holds. A stream
 * ends with an {@code end} event (overflow, snapshot install, shutdown, or this member's removal, noticed
 * within one keep-alive period), never silently.
 */
final class WatchHandler {
    /** A comment line this often on an idle stream, so a client that went away is noticed and its watcher freed. */
    static final Duration KEEPALIVE = Duration.ofSeconds(5);

    private final KvBackend backend;
    private final HttpSettings settings;

    WatchHandler(KvBackend backend, HttpSettings settings) {
        this.backend = backend;
        this.settings = settings;
    }

    void watch(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        String key = q.get("key");
        String prefix = q.get("prefix");
        if (key != null && prefix != null) {
            throw ApiError.badRequest("bad_watch", "give key or prefix, not both");
        }
        if (key != null) {
            Keys.checkKey(key, settings.maxKeyBytes(), "key");
        } else if (prefix != null) {
            Keys.checkLength(prefix, settings.maxKeyBytes(), "prefix");
        }
        Optional<String> raw = Optional.ofNullable(q.get("fromRevision"))
                .or(() -> req.headers().first(HeaderNames.create("Last-Event-ID")));
        long from = raw.isPresent() ? revision(raw.get()) : -1;
        Watcher watcher;
        try {
            watcher = backend.watch(key, prefix, from);
        } catch (HistoryCompactedException e) {
            compacted(res, e);
            return;
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        try (watcher; OutputStream out = res.outputStream()) {
            event(out, "ready", null, g -> g.writeNumberField("revision", watcher.lastRevision()));
            stream(watcher, out);
        } catch (IOException | UncheckedIOException | ServerConnectionException gone) {
            // The client went away; closing the watcher above freed its buffer.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stream(Watcher watcher, OutputStream out) throws IOException, InterruptedException {
        while (true) {
            List<Change> changes = watcher.next(KEEPALIVE);
            for (Change c : changes) {
                event(out, c.type().name().toLowerCase(Locale.ROOT), c.revision(), g -> writeChange(g, c));
            }
            Optional<Watcher.End> end = watcher.ended();
            if (end.isPresent()) {
                ended(out, end.get(), watcher.lastRevision());
                return;
            }
            // A removed member's state stops advancing: a silent stream would look like a quiet key.
            if (backend.removed()) {
                removed(out, backend.status(), watcher.lastRevision());
                return;
            }
            if (changes.isEmpty()) {
                out.write(": keepalive\n\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        }
    }

    private static void writeChange(JsonGenerator g, Change c) throws IOException {
        g.writeStringField("type", c.type().name().toLowerCase(Locale.ROOT));
        g.writeStringField("key", c.key());
        if (c.type() == Change.Type.PUT) {
            if (c.valueCoded()) {
                g.writeBooleanField("valueCoded", true); // CRaft: this member holds only a fragment; GET the key
            } else {
                Values.write(g, c.value());
            }
        }
        g.writeNumberField("revision", c.revision());
        if (c.type() == Change.Type.PUT) {
            g.writeNumberField("createRevision", c.createRevision());
            g.writeNumberField("version", c.version());
        }
    }

    private static void ended(OutputStream out, Watcher.End why, long lastRevision) throws IOException {
        String message = switch (why) {
            case OVERFLOW -> "the watcher fell too far behind and was ended; watch again with fromRevision=" + lastRevision;
            case RESET -> "this member installed a snapshot; watch again with fromRevision=" + lastRevision;
            case COMPACTED -> "the history was compacted past this watch; re-read the keys and watch again";
            case CLOSED -> "the member is shutting down; watch again (any member serves) with fromRevision=" + lastRevision;
        };
        event(out, "end", null, g -> {
            g.writeStringField("error", message);
            g.writeStringField("code", "watch_" + why.name().toLowerCase(Locale.ROOT));
            g.writeNumberField("lastRevision", lastRevision);
        });
        out.flush();
    }

    /** The end of a stream on a member removed from the cluster: resume elsewhere after {@code lastRevision}. */
    private static void removed(OutputStream out, NodeStatus s, long lastRevision) throws IOException {
        String message = "this member (id " + s.id() + ") was removed from the cluster and its state no longer advances;"
                + " watch again on another member with fromRevision=" + lastRevision + "; " + RemovedMember.ask(s);
        event(out, "end", null, g -> {
            g.writeStringField("error", message);
            g.writeStringField("code", "watch_removed");
            g.writeNumberField("lastRevision", lastRevision);
            g.writeArrayFieldStart("members");
            for (String m : RemovedMember.others(s)) g.writeString(m);
            g.writeEndArray();
        });
        out.flush();
    }

    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** One event: {@code id} (the revision, when it has one), {@code event} and one line of JSON {@code data}. */
    private static void event(OutputStream out, String name, Long id, Fields fields) throws IOException {
        StringBuilder head = new StringBuilder();
        if (id != null) {
            head.append("id: ").append(id).append('\n');
        }
        head.append("event: ").append(name).append("\ndata: ");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        try (Json.Body b = Json.body()) {
            b.g.writeStartObject();
            fields.write(b.g);
            b.g.writeEndObject();
            out.write(b.bytes());
        }
        out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static void compacted(ServerResponse res, HistoryCompactedException e) throws IOException {
        try (Json.Body b = Json.body()) {
            b.g.writeStartObject();
            b.g.writeStringField("error", "this member no longer holds every change after that revision; re-read the keys,"
                    + " then watch from a revision at or after oldestRevision - 1");
            b.g.writeStringField("code", "compacted");
            b.g.writeNumberField("oldestRevision", e.oldestRevision());
            b.g.writeEndObject();
            Json.send(res, Status.GONE_410, b);
        }
    }

    private static long revision(String raw) {
        long r;
        try {
            r = Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            r = -1;
        }
        if (r < 0) {
            throw ApiError.badRequest("bad_revision", "fromRevision=\"" + raw + "\" is not valid: expected a whole"
                    + " number >= 0 (changes after that revision are streamed)");
        }
        return r;
    }
}
