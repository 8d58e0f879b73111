package io.leifdb.server.it.history;

/** What one HTTP exchange with one node gave the client. */
public sealed interface Attempt {
    /** The node the request went to (its index in the cluster, or -1 when unknown). */
    int node();

    /** The node answered. {@code code} is the JSON error body's "code", or null. */
    record Answered(int node, int status, String code, String value, String etag, String location)
            implements Attempt {
    }

    /** The request never left: the connection could not be opened, so the node saw nothing. */
    record NotSent(int node, String reason) implements Attempt {
    }

    /** The request may have arrived but no answer came (timeout, reset, broken connection). */
    record Lost(int node, String reason) implements Attempt {
    }

    /** A short form for reports, e.g. {@code n1:307} or {@code n2:lost(timeout)}. */
    default String brief() {
        String n = "n" + node();
        return switch (this) {
            case Answered a -> n + ":" + a.status() + (a.code() == null ? "" : "/" + a.code());
            case NotSent s -> n + ":not-sent";
            case Lost l -> n + ":lost(" + l.reason() + ")";
        };
    }
}
