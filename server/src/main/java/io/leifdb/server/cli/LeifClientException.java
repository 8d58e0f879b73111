package io.leifdb.server.cli;

/** A failed call: the server's status and JSON error code (0 and "connection" when none answered). */
public final class LeifClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public LeifClientException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
