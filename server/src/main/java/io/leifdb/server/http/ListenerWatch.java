package io.leifdb.server.http;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices the listener stopping when nobody asked it to. Helidon ends its accept loop for good on any
 * accept failure (EMFILE among them) while the process and its Raft role carry on, so the cluster would
 * keep sending clients to a dead port; the owner decides what to do instead (the node exits).
 */
final class ListenerWatch implements HttpFeature {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerWatch.class);

    private final Runnable onDeath;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean fired = new AtomicBoolean();

    ListenerWatch(Runnable onDeath) {
        this.onDeath = onDeath;
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        // Only the lifecycle matters here; the feature adds no routes.
    }

    @Override
    public void afterStart(WebServer server) {
        stopping.set(false);
    }

    /** Call before an intended stop, so that stop is not taken for a failure. */
    void stopping() {
        stopping.set(true);
    }

    @Override
    public void afterStop() {
        if (!stopping.get() && fired.compareAndSet(false, true)) {
            LOG.error("the HTTP listener stopped by itself (see the line before for its cause); clients can no"
                    + " longer reach this node");
            onDeath.run();
        }
    }
}
