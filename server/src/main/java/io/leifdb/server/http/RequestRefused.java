package io.leifdb.server.http;

/**
 * A membership or lease request the node refuses and why; nothing changed. The API answers with the
 * status and a JSON error carrying {@code code} (e.g. {@code not_a_member}, {@code change_in_flight},
 * {@code last_voter}, {@code quorum}, {@code lease_not_found}, {@code lease_limit}). Cheap: no stack trace.
 */
public final class RequestRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** 404: no such member or lease; 409: refused in the cluster's present state; 503: try again shortly. */
    public enum Kind {
        NOT_FOUND, CONFLICT, UNAVAILABLE
    }

    private final Kind kind;
    private final String code;

    public RequestRefused(Kind kind, String code, String message) {
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
