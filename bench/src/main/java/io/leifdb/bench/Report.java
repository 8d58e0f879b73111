package io.leifdb.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leifdb.bench.http.Endpoint;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Formats a {@link LoadRunner.Result} as a human table or as one JSON object. */
final class Report {
  private static final double[] PERCENTILES = {50, 90, 99, 99.9};

  private Report() {}

  static String text(LoadRunner.Result r) {
    Settings s = r.settings();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "workload %s (%s), %s, %d connections, %d keys of %d B, values %d B, %s%n",
            s.workload(),
            s.workload().description,
            s.openLoop() ? String.format(Locale.ROOT, "open loop at %.0f ops/s", s.rate())
                : "closed loop",
            s.connections(),
            s.keys(),
            s.keySize(),
            s.valueSize(),
            s.urls()));
    Histogram all = r.stats().combined();
    sb.append(
        String.format(
            Locale.ROOT,
            "measured %.1f s: %,d ok operations, %,.1f ops/s, %,d errors%n",
            r.measuredNanos() / 1e9,
            all.getTotalCount(),
            r.throughput(),
            r.stats().errorCount()));
    sb.append(String.format(Locale.ROOT, "%-8s %10s %9s %9s %9s %9s %9s%n",
        "latency", "count", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms"));
    row(sb, "all", all);
    for (Stats.Op op : Stats.Op.values()) {
      Histogram h = r.stats().total(op);
      if (h.getTotalCount() > 0) {
        row(sb, op.name().toLowerCase(Locale.ROOT), h);
      }
    }
    r.stats().errorsByKind().forEach(
        (kind, count) -> sb.append(String.format(Locale.ROOT, "error %-20s %,d%n", kind, count)));
    if (s.openLoop() && r.throughput() < s.rate() * 0.95) {
      sb.append(String.format(Locale.ROOT,
          "note: achieved %.0f of the %.0f ops/s asked for; latencies include the queueing%n",
          r.throughput(), s.rate()));
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, Histogram h) {
    sb.append(String.format(Locale.ROOT, "%-8s %,10d", name, h.getTotalCount()));
    for (double p : PERCENTILES) {
      sb.append(String.format(Locale.ROOT, " %9.3f", h.getValueAtPercentile(p) / 1000.0));
    }
    sb.append(String.format(Locale.ROOT, " %9.3f%n", h.getMaxValue() / 1000.0));
  }

  static String json(LoadRunner.Result r) {
    Settings s = r.settings();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("workload", s.workload().cliName);
    root.put("mode", s.openLoop() ? "open-loop" : "closed-loop");
    root.put("urls", s.urls().stream().map(Endpoint::toString).toList());
    root.put("connections", s.connections());
    root.put("durationSeconds", r.measuredNanos() / 1e9);
    root.put("warmupSeconds", s.warmup().toMillis() / 1000.0);
    root.put("keys", s.keys());
    root.put("keySize", s.keySize());
    root.put("valueSize", s.valueSize());
    root.put("targetRate", s.openLoop() ? s.rate() : null);
    if (r.preload() != null) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("keys", r.preload().keys());
      p.put("failedKeys", r.preload().failedKeys());
      p.put("seconds", r.preload().nanos() / 1e9);
      root.put("preload", p);
    }
    Histogram all = r.stats().combined();
    root.put("ops", all.getTotalCount());
    root.put("throughput", r.throughput());
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("all", latency(all));
    for (Stats.Op op : Stats.Op.values()) {
      Histogram h = r.stats().total(op);
      if (h.getTotalCount() > 0) {
        latency.put(op.name().toLowerCase(Locale.ROOT), latency(h));
      }
    }
    root.put("latencyMs", latency);
    Map<String, Object> errors = new LinkedHashMap<>();
    errors.put("total", r.stats().errorCount());
    errors.put("byKind", r.stats().errorsByKind());
    root.put("errors", errors);
    try {
      return new ObjectMapper().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot happen for maps of numbers and strings", e);
    }
  }

  private static Map<String, Object> latency(Histogram h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", h.getTotalCount());
    m.put("mean", h.getTotalCount() == 0 ? 0.0 : h.getMean() / 1000.0);
    m.put("p50", h.getValueAtPercentile(50) / 1000.0);
    m.put("p90", h.getValueAtPercentile(90) / 1000.0);
    m.put("p99", h.getValueAtPercentile(99) / 1000.0);
    m.put("p999", h.getValueAtPercentile(99.9) / 1000.0);
    m.put("max", h.getMaxValue() / 1000.0);
    return m;
  }
}
