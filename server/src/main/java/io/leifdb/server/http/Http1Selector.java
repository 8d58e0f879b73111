package io.leifdb.server.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.task.InterruptableTask;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.time.Duration;
import java.util.Set;

/**
 * The listener's only connection selector. Helidon reads a connection's first bytes to choose among
 * several selectors, and a client that sends none would hold its slot unseen by the idle sweep; with
 * one selector it builds the HTTP/1 connection at accept, so the sweep and {@link HeaderDeadline} see
 * it from the start. HTTP/1.0 requests reach the same connection, which answers them 505 in our JSON
 * shape (Helidon 4.5 serves 1.1 only) instead of closing without a word.
 */
final class Http1Selector implements ServerConnectionSelector {
    private final Http1ConnectionSelector http1;
    private final HeaderDeadline deadline;

    Http1Selector(Http1Config config, HeaderDeadline deadline) {
        this.http1 = Http1ConnectionSelector.builder().config(config).build();
        this.deadline = deadline;
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData data) {
        return Support.SUPPORTED;
    }

    /** "http/1.1", so an HTTPS client offering ALPN (curl, browsers) agrees on it instead of failing the handshake. */
    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        Tracked c = new Tracked(http1.connection(ctx), ctx, deadline);
        deadline.accepted(ctx, c);
        return c;
    }

    /** Helidon's connection, forgotten by the deadline when it ends. */
    private record Tracked(ServerConnection delegate, ConnectionContext ctx, HeaderDeadline deadline)
            implements ServerConnection, InterruptableTask<Void> {
        @Override
        public void handle(Limit limit) throws InterruptedException {
            try {
                delegate.handle(limit);
            } finally {
                deadline.forget(ctx);
            }
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }

        // Lets a graceful stop interrupt a connection that waits for its next request, as Helidon's own does.
        @Override
        public boolean canInterrupt() {
            return delegate instanceof InterruptableTask<?> t && t.canInterrupt();
        }
    }
}
