package io.leifdb.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/** Writes every key once before a read workload, so reads find a value instead of a 404. */
final class Preloader {
  private static final int ATTEMPTS = 5;

  /** What the preload achieved; {@code failedKeys} gave up after {@value #ATTEMPTS} tries. */
  record Result(int keys, long failedKeys, long nanos) {}

  private Preloader() {}

  static Result run(Settings settings, Payloads payloads, Routing routing)
      throws InterruptedException {
    AtomicInteger nextKey = new AtomicInteger();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < settings.connections(); i++) {
      KvOps client = settings.ops(i, routing);
      SplittableRandom random = new SplittableRandom(settings.seed() ^ (0x9E3779B97F4A7C15L * i));
      threads.add(
          Thread.ofPlatform()
              .name("preload-" + i)
              .start(() -> writeKeys(client, payloads, random, nextKey, settings.keys(), failed)));
    }
    for (Thread t : threads) {
      t.join();
    }
    return new Result(settings.keys(), failed.get(), System.nanoTime() - start);
  }

  private static void writeKeys(
      KvOps client,
      Payloads payloads,
      SplittableRandom random,
      AtomicInteger nextKey,
      int keyCount,
      AtomicLong failed) {
    try (client) {
      int key;
      while ((key = nextKey.getAndIncrement()) < keyCount) {
        boolean written = false;
        for (int attempt = 0; attempt < ATTEMPTS && !written; attempt++) {
          KvClient.Outcome outcome = client.put(payloads.writeTarget(key), payloads.body(random));
          written = outcome.ok();
          if (!written) {
            // Typically an election in progress: give it time before the next try.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100L << attempt));
          }
        }
        if (!written) {
          failed.incrementAndGet();
        }
      }
    }
  }
}
