package io.leifdb.server.http;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Request counts and latencies per endpoint and status, exposed in Prometheus text at /metrics. */
final class HttpMetrics {
    static final String TIMER = "leifdb.http.requests";

    private final PrometheusMeterRegistry registry;
    /** Timers cached by (endpoint, status) so the hot path does one map lookup and builds no tags. */
    private final ConcurrentHashMap<Integer, Timer> timers = new ConcurrentHashMap<>();

    HttpMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    void record(Endpoint endpoint, int status, long nanos) {
        int key = endpoint.ordinal() << 10 | status;
        Timer t = timers.get(key);
        if (t == null) {
            t = timers.computeIfAbsent(key, k -> timer(endpoint.operationId, endpoint.method.text(), status));
        }
        t.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Requests no endpoint matched (404, 405, static assets); rare enough to look the timer up each time. */
    void recordOther(String method, int status, long nanos) {
        timer("other", method, status).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String route, String method, int status) {
        return Timer.builder(TIMER)
                .description("HTTP requests by endpoint and status")
                .tag("route", route)
                .tag("method", method)
                .tag("status", Integer.toString(status))
                // Buckets, so Prometheus and the UI's charts can take latency percentiles over any window.
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    String scrape() {
        return registry.scrape();
    }
}
