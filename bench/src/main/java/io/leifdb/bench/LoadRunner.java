package io.leifdb.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/** Runs one bench: optional preload, warm-up, the measured window, with a progress line a second. */
final class LoadRunner {
  /** The figures of one run. */
  record Result(Settings settings, Preloader.Result preload, long measuredNanos, Stats stats) {
    double throughput() {
      long ok = stats.combined().getTotalCount();
      return measuredNanos == 0 ? 0 : ok * 1e9 / measuredNanos;
    }
  }

  private final Settings settings;
  private final PrintStream progress;

  LoadRunner(Settings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  Result run() throws InterruptedException {
    Routing routing = new Routing();
    Payloads payloads =
        new Payloads(
            settings.keys(),
            settings.keySize(),
            settings.valueSize(),
            settings.workload().staleReads,
            settings.seed());
    Preloader.Result preload = null;
    if (settings.preload()) {
      progress.printf("preloading %d keys...%n", settings.keys());
      preload = Preloader.run(settings, payloads, routing);
      progress.printf(
          Locale.ROOT,
          "preloaded %d keys in %.1f s (%d failed)%n",
          preload.keys(),
          preload.nanos() / 1e9,
          preload.failedKeys());
    }

    Stats stats = new Stats();
    KeyChooser keys = settings.keyChooser();
    int n = settings.connections();
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    long measureStart = start + settings.warmup().toNanos();
    long end = measureStart + settings.duration().toNanos();
    long interval = settings.openLoop() ? (long) (n * 1e9 / settings.rate()) : 0;
    List<Worker> workers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      KvOps client = settings.ops(i, routing);
      // Stagger the open-loop schedules so the connections do not fire in bursts.
      long first = settings.openLoop() ? start + (long) (i * 1e9 / settings.rate()) : start;
      long seed = settings.seed() + 1_000_003L * (i + 1);
      Worker w = new Worker(client, payloads, keys, settings.workload(), stats, seed, first,
          interval, end);
      workers.add(w);
      threads.add(Thread.ofPlatform().name("bench-" + i).start(w));
    }

    sleepUntil(measureStart);
    stats.startRecording();
    long measuredFrom = System.nanoTime();
    long nextTick = measuredFrom + TimeUnit.SECONDS.toNanos(1);
    while (nextTick - end < 0) {
      sleepUntil(nextTick);
      long ops = stats.harvest();
      printProgress(stats, (nextTick - measuredFrom) / 1_000_000_000L, ops);
      nextTick += TimeUnit.SECONDS.toNanos(1);
    }
    sleepUntil(end);
    stats.stopRecording();
    long measured = System.nanoTime() - measuredFrom;
    workers.forEach(Worker::stop);
    for (Thread t : threads) {
      t.join();
    }
    stats.harvest();
    return new Result(settings, preload, measured, stats);
  }

  private void printProgress(Stats stats, long second, long ops) {
    if (!settings.progress()) {
      return;
    }
    Histogram all = stats.combined();
    progress.printf(
        Locale.ROOT,
        "[%4ds] %,9d ops/s  errors %,d  p99 so far %.2f ms%n",
        second,
        ops,
        stats.errorCount(),
        all.getTotalCount() == 0 ? 0.0 : all.getValueAtPercentile(99) / 1000.0);
  }

  private static void sleepUntil(long deadline) {
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }
}
