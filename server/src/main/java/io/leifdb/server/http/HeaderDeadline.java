package io.leifdb.server.http;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.spi.ServerConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LEIFDB_HTTP_HEADER_TIMEOUT_MS: a connection's first request head must be complete that long after
 * accept, and every later request's headers that long after its request line, or the connection is
 * closed. Helidon bounds neither (its idle sweep only frees a connection waiting for a request line),
 * so a client trickling headers would hold a connection slot forever. The body is not bounded here:
 * a large upload at a low but steady rate is legitimate.
 *
 * <p>A sweep a tenth of the timeout apart closes late connections, so one closes between the timeout
 * and a tenth of it later. A request only records its deadline in a map: a timer task per request
 * woke the timer thread on nearly every write (issue 18: half a context switch per write).
 */
final class HeaderDeadline implements Http1ConnectionListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadline.class);

    private final long timeoutNanos;
    private final ScheduledExecutorService sweeper;
    /** Every open connection of the listener. */
    private final Map<ConnectionContext, ServerConnection> open = new ConcurrentHashMap<>();
    /** Connections whose request head is due, with the System.nanoTime() by which it must be complete. */
    private final Map<ConnectionContext, Long> due = new ConcurrentHashMap<>();

    HeaderDeadline(long timeoutMillis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("http-header-deadline").unstarted(r));
        long every = Math.clamp(timeoutMillis / 10, 10, 1_000);
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    /** A connection was just accepted: its first request head is due from now. */
    void accepted(ConnectionContext ctx, ServerConnection connection) {
        open.put(ctx, connection);
        startClock(ctx);
    }

    /** The connection ended. */
    void forget(ConnectionContext ctx) {
        open.remove(ctx);
        due.remove(ctx);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        // The first request's clock already runs since accept; a later one's starts at its request line.
        startClock(ctx);
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        due.remove(ctx);
    }

    private void startClock(ConnectionContext ctx) {
        due.putIfAbsent(ctx, System.nanoTime() + timeoutNanos);
    }

    private void sweep() {
        long now = System.nanoTime();
        due.forEach((ctx, deadline) -> {
            // Removing this very deadline, not a newer one a later request line started meanwhile.
            if (now - deadline >= 0 && due.remove(ctx, deadline)) expire(ctx);
        });
    }

    private void expire(ConnectionContext ctx) {
        ServerConnection c = open.get(ctx);
        if (c != null) {
            LOG.debug("closing a connection from {}: no complete request head within {} ms",
                    ctx.remotePeer().address(), TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
            c.close(true);
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        due.clear();
        open.clear();
    }
}
