package io.leifdb.server.http;

import io.helidon.http.Status;

/** A request the API refuses; the handler wrapper turns it into a JSON error body. Cheap: no stack trace. */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final transient Status status;
    final String code;

    ApiError(Status status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static ApiError badRequest(String code, String message) {
        return new ApiError(Status.BAD_REQUEST_400, code, message);
    }

    static ApiError unavailable(String message) {
        return new ApiError(Status.SERVICE_UNAVAILABLE_503, "unavailable", message);
    }
}
