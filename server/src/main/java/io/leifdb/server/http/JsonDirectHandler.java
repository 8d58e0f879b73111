package io.leifdb.server.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Errors Helidon answers before routing (oversized body or headers (Helidon 4.5 does not tell them apart from other bad requests), malformed request line, too-long
 * URI, unsupported version) get the same JSON shape as ours instead of plain text.
 */
final class JsonDirectHandler implements DirectHandler {

    static DirectHandlers all() {
        JsonDirectHandler json = new JsonDirectHandler();
        DirectHandlers.Builder b = DirectHandlers.builder();
        for (EventType t : EventType.values()) {
            b.addHandler(t, json);
        }
        return b.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        String code = switch (status.code()) {
            case 413 -> "payload_too_large";
            case 505 -> "http_version_not_supported";
            default -> status.code() >= 500 ? "internal" : "bad_request";
        };
        String text = switch (status.code()) {
            case 413 -> "the request body is too large";
            case 505 -> "this server speaks HTTP/1.1; send the request as HTTP/1.1";
            default -> status.code() >= 500 ? "internal error" : "bad request: " + status.reasonPhrase();
        };
        headers.set(HeaderValues.CONTENT_TYPE_JSON);
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(Json.error(text, code))
                .build();
    }
}
