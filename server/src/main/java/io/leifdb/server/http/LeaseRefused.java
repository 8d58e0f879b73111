package io.leifdb.server.http;

/**
 * A lease call the node refuses and why; nothing changed. The API answers with the status and a JSON error
 * carrying {@code code} ({@code lease_not_found}, {@code lease_limit}). Cheap: no stack trace.
 */
public final class LeaseRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** 404: no such lease (never granted, revoked or expired); 409: past a limit; 503: not available here. */
    public enum Kind {
        NOT_FOUND, CONFLICT, UNAVAILABLE
    }

    private final Kind kind;
    private final String code;

    public LeaseRefused(Kind kind, String code, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
