package io.leifdb.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One connection's load loop. Closed loop: send, wait for the answer, send again. Open loop:
 * send at a fixed schedule and measure each latency from the time the request was <em>meant</em>
 * to leave, so a stalled server is charged for the requests it delayed (no coordinated omission).
 */
final class Worker implements Runnable {
  private static final long BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final KvOps client;
  private final Payloads payloads;
  private final KeyChooser keys;
  private final Workload workload;
  private final Stats stats;
  private final SplittableRandom random;
  private final long firstSendNanos;
  private final long intervalNanos;
  private final long endNanos;
  private volatile boolean stopped;

  /**
   * @param intervalNanos time between this worker's sends in open loop; 0 for closed loop
   * @param firstSendNanos when the open-loop schedule starts (System.nanoTime base)
   * @param endNanos no operation starts at or after this time
   */
  Worker(
      KvOps client,
      Payloads payloads,
      KeyChooser keys,
      Workload workload,
      Stats stats,
      long seed,
      long firstSendNanos,
      long intervalNanos,
      long endNanos) {
    this.client = client;
    this.payloads = payloads;
    this.keys = keys;
    this.workload = workload;
    this.stats = stats;
    this.random = new SplittableRandom(seed);
    this.firstSendNanos = firstSendNanos;
    this.intervalNanos = intervalNanos;
    this.endNanos = endNanos;
  }

  void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    long intended = firstSendNanos;
    try {
      while (!stopped) {
        long start;
        if (intervalNanos > 0) {
          if (intended - endNanos >= 0) {
            return;
          }
          waitUntil(intended);
          start = intended;
          intended += intervalNanos;
        } else {
          start = System.nanoTime();
          if (start - endNanos >= 0) {
            return;
          }
        }
        boolean read = random.nextDouble() < workload.readFraction;
        int key = keys.next(random);
        KvClient.Outcome outcome =
            read
                ? client.get(payloads.readTarget(key))
                : client.put(payloads.writeTarget(key), payloads.body(random));
        long latency = System.nanoTime() - start;
        stats.record(read ? Stats.Op.READ : Stats.Op.WRITE, outcome, latency);
        if (outcome.backOff()) {
          LockSupport.parkNanos(BACKOFF_NANOS);
        }
      }
    } finally {
      client.close();
    }
  }

  private void waitUntil(long deadline) {
    long left;
    while (!stopped && (left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }
}
