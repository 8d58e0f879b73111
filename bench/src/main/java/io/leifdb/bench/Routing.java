package io.leifdb.bench;

import io.leifdb.bench.http.Endpoint;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What all workers learned about where requests belong: the node the last redirect led to (the
 * leader), and whether reads get redirected too. Shared so one redirect teaches every worker.
 */
final class Routing {
  private final AtomicReference<Endpoint> leader = new AtomicReference<>();
  private volatile boolean readsRedirected;

  Endpoint leader() {
    return leader.get();
  }

  boolean readsGoToLeader() {
    return readsRedirected;
  }

  void learnedLeader(Endpoint endpoint, boolean fromRead) {
    leader.set(endpoint);
    if (fromRead) {
      readsRedirected = true;
    }
  }

  /** Forgets {@code endpoint} as leader after it failed, so workers fall back to their own URL. */
  void forget(Endpoint endpoint) {
    leader.compareAndSet(endpoint, null);
  }
}
