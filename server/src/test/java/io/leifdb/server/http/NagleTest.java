package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Accepted connections have Nagle's algorithm off. On loopback (MSS 64 KiB) a response of about
 * 64 KiB otherwise waited for the client's delayed ACK: 44 ms per read instead of 0.3 ms
 * (`leifdb bench -w read -s 65536 -c 1`, docs/benchmarks.md "Large values").
 */
class NagleTest {
    @Test
    void theListenerSetsTcpNoDelayOnEveryConnection() {
        try (HttpApi api = new HttpApi(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Duration.ofSeconds(1))) {
            api.start(HttpSettings.loopback(0), new InMemoryBackend(), () -> { });
            assertThat(api.webServer().prototype().connectionOptions().tcpNoDelay()).isTrue();
        }
    }
}
