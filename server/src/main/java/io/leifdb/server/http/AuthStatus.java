package io.leifdb.server.http;

import io.helidon.http.Status;
import io.leifdb.server.auth.AuthRefusedException;

/** The HTTP status of a refused auth change: something exists already 409, something missing 404, else 400. */
final class AuthStatus {
    private AuthStatus() {
    }

    static Status of(AuthRefusedException r) {
        return switch (r.code) {
            case "conflict" -> Status.CONFLICT_409;
            case "not_found" -> Status.NOT_FOUND_404;
            default -> Status.BAD_REQUEST_400;
        };
    }
}
