package io.leifdb.client;

/**
 * A failed call. {@link #status()} is the HTTP status the server answered with (0 when none answered) and
 * {@link #code()} its JSON {@code code} ({@code "http_<status>"} when the body had none); the message is
 * the server's {@code error}, or says which address failed and how.
 */
public class LeifException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public LeifException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public final int status() {
        return status;
    }

    public final String code() {
        return code;
    }

    /** Whether the server answered 404 {@code not_found}. */
    public final boolean isNotFound() {
        return status == 404 && "not_found".equals(code);
    }

    /** Whether a conditional write found its precondition false (412). */
    public final boolean isPreconditionFailed() {
        return status == 412;
    }
}
