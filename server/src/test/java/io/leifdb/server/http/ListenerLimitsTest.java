package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.server.config.HttpLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The connection cap, the idle timeout and the header timeout that free it (issue 11, part 4). */
class ListenerLimitsTest {
    private static final int CAP = 20;
    private static final long IDLE_MS = 400;
    private static final long HEADER_MS = 600;

    private static HttpSettings lowered(long idleMillis, long headerMillis) {
        return HttpSettings.loopback(0).withHttpLimits(new HttpLimits(idleMillis, headerMillis, CAP,
                HttpLimits.DEFAULT_PAGE_BYTES));
    }

    private static final byte[] HEALTH = "GET /health HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void connectionsPastTheCapWaitAndTheListenerServesOnceIdleOnesClose() {
        try (HttpApi api = new HttpApi()) {
            int port = api.start(lowered(IDLE_MS, 30_000), new InMemoryBackend());
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
                // Ten rounds of the idle timeout ahead of it: 4 s idle, well past 10 s on a loaded two-core CI machine.
                last.readTimeout(60_000);
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

    /** Sends {@code bytes} (maybe none), then stalls; asserts the server closes within the header timeout. */
    private static void assertClosedAfterHeaderTimeout(String stalled) {
        // The idle timeout is far longer, so only the header timeout can close these.
        try (HttpApi api = new HttpApi(); RawHttp c = new RawHttp(api.start(lowered(60_000, HEADER_MS),
                new InMemoryBackend()))) {
            long start = System.nanoTime();
            c.send(stalled.getBytes(StandardCharsets.US_ASCII));
            c.readTimeout((int) (HEADER_MS + 5_000));
            assertThat(c.closedByServer()).as("closed after stalling on %s", stalled).isTrue();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as("not before the header timeout").isGreaterThanOrEqualTo(HEADER_MS - 100);
        }
    }

    @Test
    void aClientThatConnectsAndSendsNothingIsClosedAtTheHeaderTimeout() {
        assertClosedAfterHeaderTimeout("");
    }

    @Test
    void aHalfSentRequestLineIsClosedAtTheHeaderTimeout() {
        assertClosedAfterHeaderTimeout("GET /db/x HT");
    }

    @Test
    void headersThatTrickleAreClosedAtTheHeaderTimeout() {
        assertClosedAfterHeaderTimeout("GET /db/x HTTP/1.1\r\nHost: t\r\nX-Slow: 1");
    }

    @Test
    void aLaterRequestsHeadersAreTimedFromItsRequestLine() {
        try (HttpApi api = new HttpApi(); RawHttp c = new RawHttp(api.start(lowered(60_000, HEADER_MS),
                new InMemoryBackend()))) {
            c.send(HEALTH);
            assertThat(c.read().status()).isEqualTo(200);
            c.send("GET /health HTTP/1.1\r\nHost: t\r\n".getBytes(StandardCharsets.US_ASCII));
            c.readTimeout((int) (HEADER_MS + 5_000));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aSlowButSteadyBodyOutlivesTheHeaderTimeout() throws InterruptedException {
        InMemoryBackend backend = new InMemoryBackend();
        try (HttpApi api = new HttpApi(); RawHttp c = new RawHttp(api.start(lowered(60_000, HEADER_MS), backend))) {
            byte[] body = ("{\"value\":\"" + "s".repeat(40) + "\"}").getBytes(StandardCharsets.US_ASCII);
            c.send(("PUT /db/slow HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // Three header timeouts' worth of trickle: a body is bounded by size, not by time.
            long pause = 3 * HEADER_MS / body.length + 1;
            for (byte b : body) {
                c.send(new byte[] {b});
                Thread.sleep(pause);
            }
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(backend.data).containsKey("slow");
        }
    }
}
