package io.leifdb.server.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The web UI's charts over the last five minutes, sampled by the node every second, so a metrics
 * page opened now shows the minutes before it (issue 16). Rates and percentiles are taken between
 * two samples from the same meters /metrics exposes, as Prometheus' rate() and histogram_quantile().
 */
final class MetricsHistory implements AutoCloseable {
    static final int INTERVAL_SECONDS = 1;
    static final int WINDOW_SECONDS = 300;
    static final String APPLY_LAG = "leifdb.raft.apply.lag";
    static final String PEER_LAG = "leifdb.raft.peer.match.lag";
    static final String ROLE = "leifdb.raft.role";
    static final String FSYNC = "leifdb.wal.fsync";

    /** One point of every chart; a null is a gap (nothing observed, or no such meter on this node). */
    record Point(long atMillis, Double writes, Double reads, Double writeP50, Double writeP99, Double readP50,
                 Double readP99, Double applyLag, Double fsyncP50, Double fsyncP99, Map<String, Double> lag,
                 boolean leader) {
    }

    /** Cumulative counts of one kind of observation, summed over its timers: total and per bucket bound (s). */
    record Histogram(double count, TreeMap<Double, Double> buckets) {
    }

    private record Sample(long atMillis, Histogram writes, Histogram reads, Histogram fsync) {
    }

    // Served requests only: a follower's 307 or a 503 is not a write, a missing key is a read.
    private static final Predicate<Timer> WRITE = t -> route(t, "db-write", "db-delete")
            && String.valueOf(t.getId().getTag("status")).startsWith("2");
    private static final Predicate<Timer> READ = t -> route(t, "db-read", "db-list")
            && ("200".equals(t.getId().getTag("status")) || "404".equals(t.getId().getTag("status")));

    private final MeterRegistry registry;
    private final ArrayDeque<Point> points = new ArrayDeque<>(); // guarded by this
    private Sample last; // guarded by this
    private ScheduledExecutorService timer;

    MetricsHistory(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Samples every second on a daemon thread until {@link #close()}. */
    synchronized void start() {
        if (timer != null) return;
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("metrics-history")
                .factory());
        timer.scheduleAtFixedRate(() -> sample(System.currentTimeMillis()), 0, INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    /** Takes one sample at {@code nowMillis}; from the second on, each adds a point and drops those out of the window. */
    synchronized void sample(long nowMillis) {
        Sample cur = new Sample(nowMillis, histogram(HttpMetrics.TIMER, WRITE), histogram(HttpMetrics.TIMER, READ),
                histogram(FSYNC, t -> true));
        if (last != null && nowMillis > last.atMillis()) points.addLast(point(last, cur));
        last = cur;
        while (!points.isEmpty() && points.peekFirst().atMillis() < nowMillis - WINDOW_SECONDS * 1000L) {
            points.removeFirst();
        }
    }

    /** The points taken after {@code afterMillis}, oldest first. */
    synchronized List<Point> since(long afterMillis) {
        List<Point> out = new ArrayList<>();
        for (Point p : points) if (p.atMillis() > afterMillis) out.add(p);
        return out;
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
        timer = null;
    }

    private Point point(Sample prev, Sample cur) {
        double seconds = (cur.atMillis() - prev.atMillis()) / 1000.0;
        Map<String, Double> lag = new TreeMap<>();
        for (Gauge g : registry.find(PEER_LAG).gauges()) {
            double v = g.value();
            lag.put(String.valueOf(g.getId().getTag("peer")), Double.isFinite(v) ? v : null);
        }
        Gauge leader = registry.find(ROLE).tag("role", "LEADER").gauge();
        return new Point(cur.atMillis(), rate(prev.writes(), cur.writes(), seconds),
                rate(prev.reads(), cur.reads(), seconds), ms(prev.writes(), cur.writes(), 0.5),
                ms(prev.writes(), cur.writes(), 0.99), ms(prev.reads(), cur.reads(), 0.5),
                ms(prev.reads(), cur.reads(), 0.99), gauge(APPLY_LAG), ms(prev.fsync(), cur.fsync(), 0.5),
                ms(prev.fsync(), cur.fsync(), 0.99), lag, leader != null && leader.value() == 1);
    }

    private Histogram histogram(String name, Predicate<Timer> keep) {
        double count = 0;
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (Timer t : registry.find(name).timers()) {
            if (!keep.test(t)) continue;
            HistogramSnapshot s = t.takeSnapshot();
            count += s.count();
            for (CountAtBucket b : s.histogramCounts()) {
                buckets.merge(b.bucket(TimeUnit.SECONDS), b.count(), Double::sum);
            }
        }
        return new Histogram(count, buckets);
    }

    private Double gauge(String name) {
        Gauge g = registry.find(name).gauge();
        return g == null || !Double.isFinite(g.value()) ? null : g.value();
    }

    private static Double rate(Histogram before, Histogram after, double seconds) {
        double d = after.count() - before.count();
        return d >= 0 && seconds > 0 ? d / seconds : null;
    }

    private static Double ms(Histogram before, Histogram after, double q) {
        Double s = quantile(before, after, q);
        return s == null ? null : s * 1000;
    }

    /**
     * The q-quantile (seconds) of what was observed between two samples: the bucket that holds the
     * rank, interpolated linearly inside it; null when nothing was observed or counts fell (a restart).
     */
    static Double quantile(Histogram before, Histogram after, double q) {
        double total = after.count() - before.count();
        if (!(total > 0)) return null;
        double rank = q * total;
        double lower = 0;
        double below = 0;
        for (Map.Entry<Double, Double> b : after.buckets().entrySet()) {
            double cum = b.getValue() - before.buckets().getOrDefault(b.getKey(), 0.0);
            if (cum < below) return null;
            if (cum >= rank) {
                double inside = cum - below;
                return inside > 0 ? lower + (b.getKey() - lower) * ((rank - below) / inside) : b.getKey();
            }
            lower = b.getKey();
            below = cum;
        }
        return lower; // the rank lies above the last finite bound
    }

    private static boolean route(Timer t, String a, String b) {
        String r = t.getId().getTag("route");
        return a.equals(r) || b.equals(r);
    }
}
