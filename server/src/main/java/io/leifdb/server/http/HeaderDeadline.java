package io.leifdb.server.http;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.spi.ServerConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LEIFDB_HTTP_HEADER_TIMEOUT_MS: a connection's first request head must be complete that long after
 * accept, and every later request's headers that long after its request line, or the connection is
 * closed. Helidon bounds neither (its idle sweep only frees a connection waiting for a request line),
 * so a client trickling headers would hold a connection slot forever. The body is not bounded here:
 * a large upload at a low but steady rate is legitimate.
 */
final class HeaderDeadline implements Http1ConnectionListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadline.class);

    private final long timeoutMillis;
    private final ScheduledThreadPoolExecutor timer;
    /** Every open connection of the listener. */
    private final Map<ConnectionContext, ServerConnection> open = new ConcurrentHashMap<>();
    /** Connections whose request head is due, with the task that closes them when it is late. */
    private final Map<ConnectionContext, ScheduledFuture<?>> due = new ConcurrentHashMap<>();

    HeaderDeadline(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon().name("http-header-deadline")
                .unstarted(r));
        timer.setRemoveOnCancelPolicy(true);
    }

    /** A connection was just accepted: its first request head is due from now. */
    void accepted(ConnectionContext ctx, ServerConnection connection) {
        open.put(ctx, connection);
        startClock(ctx);
    }

    /** The connection ended. */
    void forget(ConnectionContext ctx) {
        open.remove(ctx);
        stopClock(ctx);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        // The first request's clock already runs since accept; a later one's starts at its request line.
        startClock(ctx);
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        stopClock(ctx);
    }

    private void startClock(ConnectionContext ctx) {
        due.computeIfAbsent(ctx, c -> timer.schedule(() -> expire(c), timeoutMillis, TimeUnit.MILLISECONDS));
    }

    private void stopClock(ConnectionContext ctx) {
        ScheduledFuture<?> f = due.remove(ctx);
        if (f != null) {
            f.cancel(false);
        }
    }

    private void expire(ConnectionContext ctx) {
        ServerConnection c = open.get(ctx);
        if (due.remove(ctx) != null && c != null) {
            LOG.debug("closing a connection from {}: no complete request head within {} ms",
                    ctx.remotePeer().address(), timeoutMillis);
            c.close(true);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        due.clear();
        open.clear();
    }
}
