package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The metrics page's history, sampled at times the test gives (no clock, no sleeping). */
class MetricsHistoryTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpMetrics http = new HttpMetrics(registry);
    private final MetricsHistory history = new MetricsHistory(registry);

    @Test
    void ratesAndPercentilesComeFromWhatWasObservedBetweenTwoSamples() {
        http.record(Endpoint.DB_WRITE, 200, TimeUnit.MILLISECONDS.toNanos(50)); // before the first sample: not counted
        history.sample(10_000);
        for (int i = 0; i < 50; i++) http.record(Endpoint.DB_WRITE, 200, TimeUnit.MICROSECONDS.toNanos(900));
        for (int i = 0; i < 50; i++) http.record(Endpoint.DB_DELETE, 200, TimeUnit.MILLISECONDS.toNanos(3));
        http.record(Endpoint.DB_WRITE, 307, TimeUnit.MILLISECONDS.toNanos(500)); // a redirect is not a write
        for (int i = 0; i < 30; i++) http.record(Endpoint.DB_READ, 404, TimeUnit.MICROSECONDS.toNanos(200));
        history.sample(12_000);

        List<MetricsHistory.Point> points = history.since(Long.MIN_VALUE);
        assertThat(points).hasSize(1);
        MetricsHistory.Point p = points.getFirst();
        assertThat(p.atMillis()).isEqualTo(12_000);
        assertThat(p.writes()).isEqualTo(50.0); // 100 writes in 2 s
        assertThat(p.reads()).isEqualTo(15.0);
        assertThat(p.writeP50()).isBetween(0.8, 1.1); // the 50th of 100 lies in the bucket that holds 0.9 ms
        assertThat(p.writeP99()).isBetween(2.5, 3.6);
        assertThat(p.readP99()).isBetween(0.15, 0.25);
        assertThat(p.fsyncP50()).isNull(); // no WAL on this registry: a gap, not a zero
        assertThat(p.applyLag()).isNull();
        assertThat(p.leader()).isFalse();
    }

    @Test
    void nothingObservedIsAZeroRateAndNoPercentile() {
        history.sample(0);
        history.sample(1_000);
        MetricsHistory.Point p = history.since(Long.MIN_VALUE).getFirst();
        assertThat(p.writes()).isEqualTo(0.0);
        assertThat(p.writeP50()).isNull();
    }

    @Test
    void keepsFiveMinutesAndAnswersOnlyWhatIsNewer() {
        for (long t = 0; t <= 400_000; t += 1_000) history.sample(t);
        List<MetricsHistory.Point> all = history.since(Long.MIN_VALUE);
        assertThat(all.getFirst().atMillis()).isEqualTo(100_000);
        assertThat(all.getLast().atMillis()).isEqualTo(400_000);
        assertThat(all).hasSize(301);
        assertThat(history.since(398_000)).extracting(MetricsHistory.Point::atMillis).containsExactly(399_000L, 400_000L);
    }

    @Test
    void replicationLagByPeerAndTheLeaderFlagComeFromTheNodesGauges() {
        AtomicLong lag = new AtomicLong(7);
        Gauge.builder(MetricsHistory.PEER_LAG, lag, AtomicLong::get).tag("peer", "b:2").register(registry);
        Gauge.builder(MetricsHistory.PEER_LAG, () -> Double.NaN).tag("peer", "c:3").register(registry);
        Gauge.builder(MetricsHistory.ROLE, () -> 1).tag("role", "LEADER").register(registry);
        Gauge.builder(MetricsHistory.APPLY_LAG, () -> 2).register(registry);
        history.sample(0);
        history.sample(1_000);
        MetricsHistory.Point p = history.since(Long.MIN_VALUE).getFirst();
        Map<String, Double> expected = new TreeMap<>();
        expected.put("b:2", 7.0);
        expected.put("c:3", null); // not known (NaN): a gap
        assertThat(p.lag()).isEqualTo(expected);
        assertThat(p.leader()).isTrue();
        assertThat(p.applyLag()).isEqualTo(2.0);
    }

    /** As Prometheus' histogram_quantile: the rank's bucket, interpolated inside it; a restart gives none. */
    @Test
    void quantileInterpolatesInsideTheRanksBucket() {
        MetricsHistory.Histogram before = histogram(10, 0.001, 10, 0.002, 10);
        MetricsHistory.Histogram after = histogram(110, 0.001, 60, 0.002, 110);
        assertThat(MetricsHistory.quantile(before, after, 0.5)).isCloseTo(0.001, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(MetricsHistory.quantile(before, after, 0.75)).isCloseTo(0.0015, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(MetricsHistory.quantile(before, after, 1)).isCloseTo(0.002, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(MetricsHistory.quantile(after, after, 0.5)).isNull();
        assertThat(MetricsHistory.quantile(after, before, 0.5)).isNull();
    }

    private static MetricsHistory.Histogram histogram(double count, double b1, double c1, double b2, double c2) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        buckets.put(b1, c1);
        buckets.put(b2, c2);
        return new MetricsHistory.Histogram(count, buckets);
    }
}
