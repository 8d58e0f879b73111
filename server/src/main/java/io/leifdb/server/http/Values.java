package io.leifdb.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.leifdb.server.kv.Utf8;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Base64;

/**
 * A stored value in a JSON answer. Text (valid UTF-8) is a plain string, as always; anything else,
 * which only an application/octet-stream PUT can store, is base64 with {@code "encoding": "base64"},
 * because turning invalid bytes into U+FFFD would hand the client a value it never wrote.
 */
final class Values {
    static final String OCTET_STREAM = "application/octet-stream";

    private Values() {
    }

    /**
     * Writes the fields {@code value} and, for bytes that are not UTF-8, {@code encoding}. Text goes
     * out as its own bytes, escaped only where JSON needs it: no String is built, which made a 1 MiB
     * read cost a decode, an inflate to UTF-16 and a per-char escape (issue 18's large-value reads).
     */
    static void write(JsonGenerator g, byte[] value) throws IOException {
        write(g, value, Utf8.scan(value));
    }

    /** As {@link #write(JsonGenerator, byte[])}, for a value of {@code kind} (an empty value frames a streamed one). */
    static void write(JsonGenerator g, byte[] value, Utf8.Kind kind) throws IOException {
        g.writeFieldName("value");
        switch (kind) {
            case PLAIN -> g.writeRawUTF8String(value, 0, value.length);
            case NEEDS_ESCAPES -> g.writeUTF8String(value, 0, value.length);
            case NOT_UTF8 -> {
                g.writeString(Base64.getEncoder().encodeToString(value));
                g.writeStringField("encoding", "base64");
            }
        }
    }

    /** Whether the request body is raw bytes (Content-Type: application/octet-stream) rather than JSON. */
    static boolean isRaw(Headers headers) {
        return headers.first(HeaderNames.CONTENT_TYPE).map(Values::mediaType).filter(OCTET_STREAM::equals).isPresent();
    }

    /**
     * Whether a read should answer with the raw bytes: the Accept header names application/octet-stream and
     * not application/json (a client that takes either keeps the JSON it always had).
     */
    static boolean wantsRaw(Headers headers) {
        List<String> ranges = headers.all(HeaderNames.ACCEPT, List::of).stream()
                .flatMap(h -> Arrays.stream(h.split(","))).map(Values::mediaType).toList();
        return ranges.contains(OCTET_STREAM) && !ranges.contains("application/json");
    }

    /** A raw body of at most {@code max} bytes; more is 413, found out after reading at most one byte past it. */
    static byte[] readRaw(InputStream in, int max) throws IOException {
        byte[] bytes = in.readNBytes(max + 1);
        if (bytes.length > max) {
            throw Keys.tooLarge(bytes.length, max);
        }
        return bytes;
    }

    private static String mediaType(String value) {
        int semi = value.indexOf(';');
        return (semi < 0 ? value : value.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }
}
