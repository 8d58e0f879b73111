package io.leifdb.server.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices the listener's server socket closing when nobody asked it to, by connecting to it. Helidon
 * ends its accept loop for good on any accept failure (EMFILE among them), and its own stop then hangs
 * on the listener thread, so no lifecycle hook of Helidon's ever runs; the process and its Raft role
 * would carry on and the cluster keep sending clients to a dead port. Only a refused connect counts:
 * a timeout, or a connect the kernel's backlog accepts while the connection cap is full, is a busy
 * listener, never a dead one, so a flood cannot make the node exit.
 */
final class ListenerProbe implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerProbe.class);
    static final Duration DEFAULT_PERIOD = Duration.ofSeconds(1);
    /** Refusals in a row that mean death; one could be a race with an intended stop. */
    static final int REFUSALS = 2;

    private final InetSocketAddress target;
    private final Duration period;
    private final Runnable onDeath;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;

    /** Probes {@code port} on {@code bindHost} (loopback when the listener binds every interface). */
    ListenerProbe(String bindHost, int port, Duration period, Runnable onDeath) {
        InetAddress host = new InetSocketAddress(bindHost, port).getAddress();
        this.target = new InetSocketAddress(host == null || host.isAnyLocalAddress()
                ? InetAddress.getLoopbackAddress() : host, port);
        this.period = period;
        this.onDeath = onDeath;
        this.thread = Thread.ofPlatform().daemon().name("http-listener-probe").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        int refusals = 0;
        try {
            while (!stopped.await(period.toMillis(), TimeUnit.MILLISECONDS)) {
                refusals = refused() ? refusals + 1 : 0;
                if (refusals >= REFUSALS && stopped.getCount() > 0) {
                    LOG.error("the HTTP listener on {} refuses connections: its accept loop has ended (see Helidon's"
                            + " error before); clients can no longer reach this node", target);
                    onDeath.run();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True only when the port actively refuses: nothing listens there any more. */
    private boolean refused() {
        try (Socket s = new Socket()) {
            s.connect(target, (int) Math.max(100, period.toMillis() / 2));
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            // A timeout is a full backlog; EMFILE for our own socket says nothing about the listener.
            return false;
        }
    }

    /** Called before an intended stop, so that stop is not taken for a death. */
    @Override
    public void close() {
        stopped.countDown();
        thread.interrupt();
    }
}
