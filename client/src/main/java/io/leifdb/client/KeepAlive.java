package io.leifdb.client;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A lease kept alive in the background ({@link Leases#keepAliveForever}); close it to stop renewing. */
public final class KeepAlive implements AutoCloseable {
    private static final Duration FIRST_TRY = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofMillis(250);

    private final long id;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile Thread thread;
    private volatile LeifException lost;

    private KeepAlive(long id) {
        this.id = id;
    }

    static KeepAlive start(Leases leases, long id, Consumer<LeifException> onLost) {
        KeepAlive k = new KeepAlive(id);
        k.thread = Thread.ofVirtual().name("leifdb-keepalive-" + id).start(() -> k.run(leases, onLost));
        return k;
    }

    public long leaseId() {
        return id;
    }

    /** Why renewing ended other than by close(), or null while it runs (or after close()). */
    public LeifException lost() {
        return lost;
    }

    private void run(Leases leases, Consumer<LeifException> onLost) {
        // Until a renewal answers, the TTL is unknown: give the first one ten seconds to get through.
        long deadline = System.nanoTime() + FIRST_TRY.toNanos();
        Duration every = Duration.ZERO;
        while (stop.getCount() > 0) {
            try {
                Leases.Lease l = leases.keepAlive(id);
                deadline = System.nanoTime() + l.ttl().toNanos();
                every = l.ttl().dividedBy(3);
            } catch (LeifException e) {
                if (e.status() == 404 || System.nanoTime() - deadline > 0) { // gone, or it may have expired by now
                    lost = e;
                    onLost.accept(e);
                    return;
                }
                every = RETRY;
            }
            try {
                if (stop.await(every.toMillis(), TimeUnit.MILLISECONDS)) return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops renewing (the lease then expires after its TTL, unless revoked first). */
    @Override
    public void close() {
        stop.countDown();
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
