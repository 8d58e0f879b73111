package io.leifdb.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies of successful operations (per kind, in microseconds) and errors counted by kind.
 *
 * <p>Workers record through {@link Recorder}s, which are wait-free for writers; the reporting
 * thread harvests interval histograms each second and folds them into the running totals.
 */
final class Stats {
  enum Op {
    READ,
    WRITE
  }

  /** Latencies above a minute are clamped; a request that slow has long timed out. */
  static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);

  private final Recorder[] recorders = new Recorder[Op.values().length];
  private final Histogram[] totals = new Histogram[Op.values().length];
  private final Histogram[] recycled = new Histogram[Op.values().length];
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private volatile boolean recording;

  Stats() {
    for (Op op : Op.values()) {
      recorders[op.ordinal()] = new Recorder(MAX_MICROS, 3);
      totals[op.ordinal()] = new Histogram(MAX_MICROS, 3);
    }
  }

  /** Called by workers; ignored outside the measured window (warm-up, preload, wind-down). */
  void record(Op op, KvClient.Outcome outcome, long latencyNanos) {
    if (!recording) {
      return;
    }
    if (outcome.ok()) {
      long micros = Math.min(Math.max(latencyNanos / 1000, 1), MAX_MICROS);
      recorders[op.ordinal()].recordValue(micros);
    } else {
      errors.computeIfAbsent(outcome.error(), k -> new LongAdder()).increment();
    }
  }

  /** Opens the measured window, dropping anything recorded before. */
  void startRecording() {
    for (Op op : Op.values()) {
      recorders[op.ordinal()].reset();
      totals[op.ordinal()].reset();
    }
    errors.clear();
    recording = true;
  }

  void stopRecording() {
    recording = false;
  }

  /**
   * Moves what workers recorded since the last call into the totals. Only the reporting thread
   * calls this.
   *
   * @return the number of successful operations in the interval
   */
  long harvest() {
    long count = 0;
    for (Op op : Op.values()) {
      int i = op.ordinal();
      Histogram interval = recorders[i].getIntervalHistogram(recycled[i]);
      count += interval.getTotalCount();
      totals[i].add(interval);
      recycled[i] = interval;
    }
    return count;
  }

  Histogram total(Op op) {
    return totals[op.ordinal()];
  }

  Histogram combined() {
    Histogram all = new Histogram(MAX_MICROS, 3);
    for (Histogram h : totals) {
      all.add(h);
    }
    return all;
  }

  long errorCount() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Error counts by kind, sorted by name for stable output. */
  Map<String, Long> errorsByKind() {
    Map<String, Long> out = new TreeMap<>();
    errors.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
