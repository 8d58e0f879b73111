package io.leifdb.server.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Errors Helidon answers before routing (oversized body or headers, malformed request line, too-long
 * URI, unsupported version) get the same JSON shape as ours instead of plain text.
 */
final class JsonDirectHandler implements DirectHandler {
    /** RFC 6585 §5; Helidon 4.5 has no constant for it. */
    static final Status HEADERS_TOO_LARGE = Status.create(431, "Request Header Fields Too Large");
    /** What Helidon's header parser says when the block passes maxHeadersSize; it answers that 400. */
    private static final String HEADER_SIZE_EXCEEDED = "Header size exceeded";

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
        if (status.code() == 400 && message != null && message.contains(HEADER_SIZE_EXCEEDED)) {
            status = HEADERS_TOO_LARGE;
        }
        String code = switch (status.code()) {
            case 413 -> "payload_too_large";
            case 431 -> "headers_too_large";
            case 505 -> "http_version_not_supported";
            default -> status.code() >= 500 ? "internal" : "bad_request";
        };
        String text = switch (status.code()) {
            case 413 -> "the request body is too large";
            case 431 -> "the request headers are larger than " + HttpApi.MAX_HEADERS_BYTES + " bytes";
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
