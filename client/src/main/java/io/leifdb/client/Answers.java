package io.leifdb.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reading the server's answers: JSON bodies, and errors as typed exceptions. */
final class Answers {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Answers() {
    }

    /** The answer's JSON body when it is 2xx; otherwise the server's error as an exception. */
    static JsonNode ok(Transport.Answer a) {
        if (a.status() / 100 != 2) throw error(a);
        JsonNode body = parse(a.body() instanceof byte[] b ? b : a.body().toString().getBytes(StandardCharsets.UTF_8));
        if (body == null) {
            throw new LeifException(a.status(), "bad_response", "the server answered with something that is not JSON");
        }
        return body;
    }

    /** The body of a non-2xx answer as JSON, or null. */
    static JsonNode json(Transport.Answer a) {
        return a.body() instanceof byte[] b ? parse(b) : null;
    }

    /** A non-2xx answer as the exception that names it: its status, JSON {@code code} and {@code error}. */
    static LeifException error(Transport.Answer a) {
        JsonNode body = json(a);
        String code = body != null && body.hasNonNull("code") ? body.get("code").asText() : "http_" + a.status();
        String message = body != null && body.hasNonNull("error") ? body.get("error").asText() : "HTTP " + a.status();
        message = message.replace('\n', ' ');
        if (a.status() == 410) {
            return new HistoryCompactedException(410, message, body == null ? 0 : body.path("oldestRevision").asLong());
        }
        return new LeifException(a.status(), code, message);
    }

    static JsonNode parse(byte[] bytes) {
        try {
            return bytes.length == 0 ? null : MAPPER.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    static byte[] json(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new LeifException(0, "bad_value", "cannot encode the request: " + e.getMessage());
        }
    }
}
