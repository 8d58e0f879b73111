package io.leifdb.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leifdb.server.kv.KeyPage;
import io.leifdb.server.kv.KeyValue;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * GET /db: a page of the keys under a prefix, with their values or ({@code keysOnly}) without, folded into
 * common prefixes by a {@code delimiter}, and ({@code count}) how many entries the whole listing holds.
 */
final class ListHandler {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final KvBackend backend;
    private final HttpSettings settings;

    ListHandler(KvBackend backend, HttpSettings settings) {
        this.backend = backend;
        this.settings = settings;
    }

    void list(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        String prefix = q.getOrDefault("prefix", "");
        String after = q.getOrDefault("after", "");
        String delimiter = q.getOrDefault("delimiter", "");
        Keys.checkLength(prefix, settings.maxKeyBytes(), "prefix");
        Keys.checkLength(after, settings.maxKeyBytes(), "after cursor");
        Keys.checkLength(delimiter, settings.maxKeyBytes(), "delimiter");
        int limit = limit(q.get("limit"));
        boolean keysOnly = flag(q, "keysOnly");
        boolean linearizable = KvHandlers.linearizable(q);
        // Keys only fetch no values, so the page's value budget does not apply to them.
        long budget = keysOnly ? Long.MAX_VALUE : settings.limits().pageBytes();
        KeyPage page = Outcomes.awaitRead(backend.list(prefix, delimiter, after, limit, budget, linearizable),
                settings.requestTimeout());
        Long count = flag(q, "count")
                ? Outcomes.awaitRead(backend.count(prefix, delimiter, false), settings.requestTimeout()) // the page's barrier serves
                : null;
        Listing listing = new Listing(page, !delimiter.isEmpty(), keysOnly, count);
        res.status(Status.OK_200);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        if (Head.isHead()) {
            // The GET's length, counted as the page streams past; no body (RFC 9110 §9.3.2).
            CountingSink counted = new CountingSink();
            write(counted, listing);
            res.header(HeaderNames.CONTENT_LENGTH, Long.toString(counted.count));
            res.send();
            return;
        }
        // Streamed: one value in memory at a time, so a page of large values never sits in the heap whole.
        try (OutputStream out = res.outputStream()) {
            write(out, listing);
        }
    }

    /** What one answer holds; {@code count} null when not asked for. */
    private record Listing(KeyPage page, boolean folded, boolean keysOnly, Long count) {
    }

    private void write(OutputStream out, Listing listing) throws IOException {
        KeyPage page = listing.page();
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("items");
            for (String key : page.keys()) {
                if (listing.keysOnly()) {
                    g.writeStartObject();
                    g.writeStringField("key", key);
                    g.writeEndObject();
                    continue;
                }
                Optional<KeyValue> kv = Outcomes.awaitRead(backend.listedValue(key), settings.requestTimeout());
                if (kv.isEmpty()) {
                    continue; // deleted since the keys were listed
                }
                g.writeStartObject();
                g.writeStringField("key", key);
                Values.write(g, kv.get().value());
                KvHandlers.writeRevisions(g, kv.get());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (listing.folded()) {
                g.writeArrayFieldStart("prefixes");
                for (String p : page.prefixes()) {
                    g.writeString(p);
                }
                g.writeEndArray();
            }
            g.writeFieldName("next");
            if (page.next().isPresent()) {
                g.writeString(page.next().get());
            } else {
                g.writeNull();
            }
            if (listing.count() != null) {
                g.writeNumberField("count", listing.count());
            }
            g.writeEndObject();
        }
    }

    /** Counts bytes and keeps none. */
    private static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    private static boolean flag(QueryParams q, String name) {
        String v = q.get(name);
        if (v == null || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        throw ApiError.badRequest("bad_" + name, name + "=\"" + v + "\" is not valid: expected true or false");
    }

    private static int limit(String raw) {
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        int n;
        try {
            n = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > MAX_LIMIT) {
            throw ApiError.badRequest("bad_limit", "limit=\"" + raw + "\" is not valid: expected an integer 1-" + MAX_LIMIT);
        }
        return n;
    }
}
