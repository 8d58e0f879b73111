package io.leifdb.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A stored value in a JSON answer. Text (valid UTF-8) is a plain string, as always; anything else,
 * which only an application/octet-stream PUT can store, is base64 with {@code "encoding": "base64"},
 * because turning invalid bytes into U+FFFD would hand the client a value it never wrote.
 */
final class Values {
    static final String OCTET_STREAM = "application/octet-stream";

    private Values() {
    }

    /** Writes the fields {@code value} and, for bytes that are not UTF-8, {@code encoding}. */
    static void write(JsonGenerator g, byte[] value) throws IOException {
        Optional<String> text = text(value);
        if (text.isPresent()) {
            g.writeStringField("value", text.get());
        } else {
            g.writeStringField("value", Base64.getEncoder().encodeToString(value));
            g.writeStringField("encoding", "base64");
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

    /** The value as text, if its bytes are valid UTF-8. */
    static Optional<String> text(byte[] value) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
