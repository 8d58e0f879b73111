package io.leifdb.server.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * HEAD requests: Helidon would write a HEAD answer's body like a GET's, which corrupts a kept-alive
 * connection, so every body we send goes through {@link #isHead()} first.
 */
final class Head {
    /** Set for the request's own (virtual) thread while a HEAD request is routed. */
    private static final ThreadLocal<Boolean> HEAD = new ThreadLocal<>();

    private Head() {
    }

    static void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (req.prologue().method() != Method.HEAD) {
            chain.proceed();
            return;
        }
        HEAD.set(Boolean.TRUE);
        try {
            chain.proceed();
        } finally {
            HEAD.remove();
        }
    }

    static boolean isHead() {
        return HEAD.get() != null;
    }
}
