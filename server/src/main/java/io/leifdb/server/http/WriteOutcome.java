package io.leifdb.server.http;

/** The result of an applied write: the store revision it produced. */
public record WriteOutcome(long revision) {
}
