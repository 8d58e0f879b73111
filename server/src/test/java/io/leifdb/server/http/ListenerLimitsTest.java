package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.server.config.HttpLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The connection cap and the idle timeout that frees it: the idle-connection attack (issue 11). */
class ListenerLimitsTest {
    private static final int CAP = 20;
    private static final long IDLE_MS = 400;

    private static HttpSettings lowered() {
        return HttpSettings.loopback(0).withHttpLimits(new HttpLimits(IDLE_MS, CAP, HttpLimits.DEFAULT_PAGE_BYTES));
    }

    private static final byte[] HEALTH = "GET /health HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void connectionsPastTheCapWaitAndTheListenerServesOnceIdleOnesClose() {
        try (HttpApi api = new HttpApi()) {
            int port = api.start(lowered(), new InMemoryBackend());
            List<RawHttp> held = new ArrayList<>();
            try {
                for (int i = 0; i < CAP; i++) {
                    RawHttp c = new RawHttp(port);
                    held.add(c);
                    c.send(HEALTH);
                    assertThat(c.read().status()).isEqualTo(200);
                }
                // Ten times the cap more: they queue in the backlog instead of exhausting descriptors.
                for (int i = 0; i < 10 * CAP; i++) {
                    RawHttp extra = new RawHttp(port);
                    held.add(extra);
                    extra.send(HEALTH);
                }
                // The idle timeout frees the first ones, so the queued requests are served in turn.
                RawHttp last = held.getLast();
                assertThat(last.read().status()).isEqualTo(200);
                try (RawHttp fresh = new RawHttp(port)) {
                    fresh.send(HEALTH);
                    assertThat(fresh.read().status()).isEqualTo(200);
                }
            } finally {
                held.forEach(RawHttp::close);
            }
        }
    }
}
