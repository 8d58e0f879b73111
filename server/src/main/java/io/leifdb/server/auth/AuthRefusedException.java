package io.leifdb.server.auth;

/**
 * An auth command that cannot apply to the current state (a duplicate user, an unknown role): every
 * replica refuses it alike, and the client gets a 4xx naming {@link #getMessage()}.
 */
public final class AuthRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** {@code conflict}: the state already holds something (409); otherwise something is missing or wrong (400/404). */
    public final String code;

    public AuthRefusedException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }
}
