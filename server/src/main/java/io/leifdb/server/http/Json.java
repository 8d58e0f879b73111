package io.leifdb.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON in and out. Responses are written with the streaming generator straight into bytes: no
 * reflection and no intermediate tree on the request path.
 */
final class Json {
    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();
    /** For the few documents that are read once (the OpenAPI file), never per request. */
    static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private Json() {
    }

    /** Builds one JSON body: {@code try (Body b = Json.body()) { b.g.writeStartObject(); ... send(b) }}. */
    static Body body() {
        return new Body();
    }

    static final class Body implements AutoCloseable {
        private final ByteArrayBuilder out = new ByteArrayBuilder(256);
        final JsonGenerator g;

        private Body() {
            try {
                g = FACTORY.createGenerator(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        byte[] bytes() {
            try {
                g.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }

        @Override
        public void close() {
            try {
                g.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static void send(ServerResponse res, Status status, byte[] body) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        sendBody(res, body);
    }

    /** Sends {@code body} with the headers set so far; a HEAD request gets its length and no body. */
    static void sendBody(ServerResponse res, byte[] body) {
        if (Head.isHead()) {
            // The length the GET's body has, and no body (RFC 9110 §9.3.2).
            res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
            res.send();
            return;
        }
        res.send(body);
    }

    static void send(ServerResponse res, Status status, Body body) {
        send(res, status, body.bytes());
    }

    /** {"error": message, "code": code}; the shape every failure has. */
    static byte[] error(String message, String code) {
        try (Body b = body()) {
            b.g.writeStartObject();
            b.g.writeStringField("error", message);
            b.g.writeStringField("code", code);
            b.g.writeEndObject();
            return b.bytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sendError(ServerResponse res, Status status, String code, String message) {
        send(res, status, error(message, code));
    }
}
