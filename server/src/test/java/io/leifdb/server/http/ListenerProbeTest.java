package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.helidon.webserver.WebServer;
import io.leifdb.server.config.HttpLimits;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.Field;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The listener-death detector, against the real server (issue 11, part 4). */
class ListenerProbeTest {
    private static final Duration PERIOD = Duration.ofMillis(100);

    private final AtomicInteger deaths = new AtomicInteger();

    private HttpApi api() {
        return new HttpApi(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), PERIOD);
    }

    /** Closes Helidon's server socket under it, which is the first thing its accept loop does on EMFILE. */
    private static void breakListener(WebServer server) throws ReflectiveOperationException, java.io.IOException {
        Map<?, ?> listeners = (Map<?, ?>) field(server, "listeners");
        for (Object listener : listeners.values()) {
            ((ServerSocketChannel) field(listener, "serverSocket")).close();
        }
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
        Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }

    @Test
    void aListenerThatStopsAcceptingFiresTheCallbackOnce() throws Exception {
        try (HttpApi api = api()) {
            api.start(HttpSettings.loopback(0), new InMemoryBackend(), deaths::incrementAndGet);
            breakListener(api.webServer());
            await().atMost(Duration.ofSeconds(5)).until(() -> deaths.get() == 1);
            await().during(PERIOD.multipliedBy(5)).atMost(Duration.ofSeconds(2)).until(() -> deaths.get() == 1);
        }
    }

    @Test
    void aFullConnectionCapIsNotDeath() {
        int cap = 4;
        HttpSettings s = HttpSettings.loopback(0).withHttpLimits(new HttpLimits(60_000, 60_000, cap,
                HttpLimits.DEFAULT_PAGE_BYTES));
        List<RawHttp> held = new ArrayList<>();
        try (HttpApi api = api()) {
            int port = api.start(s, new InMemoryBackend(), deaths::incrementAndGet);
            for (int i = 0; i < 4 * cap; i++) {
                held.add(new RawHttp(port)); // the first `cap` hold every permit; the rest wait in the backlog
            }
            RawHttp queued = held.getLast();
            queued.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            queued.readTimeout(300);
            assertThat(queued.closedByServer()).as("the cap is full: nothing answers").isFalse();
            await().during(PERIOD.multipliedBy(10)).atMost(Duration.ofSeconds(3)).until(() -> deaths.get() == 0);
        } finally {
            held.forEach(RawHttp::close);
        }
    }

    @Test
    void anIntendedStopIsNotDeath() {
        HttpApi api = api();
        api.start(HttpSettings.loopback(0), new InMemoryBackend(), deaths::incrementAndGet);
        api.stop();
        await().during(PERIOD.multipliedBy(5)).atMost(Duration.ofSeconds(2)).until(() -> deaths.get() == 0);
    }
}
