package io.leifdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** SSE parsing and resuming: every change once and in order across breaks, and compaction ends the watch clearly. */
class WatchTest {
    private final List<WatchEvent> events = new CopyOnWriteArrayList<>();

    private WatchListener collect() {
        return events::add;
    }

    private static void stream(HttpExchange ex, String... events) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            for (String e : events) {
                out.write(e.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    private static String put(long rev, String key, String value) {
        return "id: " + rev + "\nevent: put\ndata: {\"type\":\"put\",\"key\":\"" + key + "\",\"value\":\"" + value
                + "\",\"revision\":" + rev + ",\"createRevision\":" + rev + ",\"version\":1}\n\n";
    }

    private static final String READY = "event: ready\ndata: {\"revision\":3}\n\n";

    @Test
    void aBrokenStreamResumesFromTheLastChangeWithoutGapsOrRepeats() throws Exception {
        try (FakeNode node = new FakeNode((ex, n) -> {
                switch (n) {
                    // a transaction wrote b and c at 5; the break cut it after b
                    case 1 -> stream(ex, READY, put(4, "a", "1"), ": keepalive\n\n", put(5, "b", "2"));
                    case 2 -> stream(ex, READY, put(5, "b", "2"), put(5, "c", "3"), put(6, "d", "4"),
                            "event: end\ndata: {\"error\":\"fell behind\",\"code\":\"watch_overflow\",\"lastRevision\":6}\n\n");
                    case 3 -> stream(ex, READY, put(7, "e", "5"));
                    default -> FakeNode.json(ex, 410, "{\"error\":\"compacted\",\"code\":\"compacted\",\"oldestRevision\":50}");
                }
            });
             LeifClient c = LeifClient.builder(node.url()).sleeper(d -> { }).build()) {
            List<LeifException> ends = new CopyOnWriteArrayList<>();
            Watch w = c.watchPrefix("", -1, new WatchListener() {
                @Override
                public void onEvent(WatchEvent e) {
                    events.add(e);
                }

                @Override
                public void onEnd(LeifException why) {
                    ends.add(why);
                }
            });
            LeifException why = w.awaitEnd();
            assertThat(events).extracting(WatchEvent::key).containsExactly("a", "b", "c", "d", "e");
            assertThat(events).extracting(WatchEvent::text).containsExactly("1", "2", "3", "4", "5");
            assertThat(node.seen).extracting(FakeNode.Seen::uri).containsExactly("/watch?prefix=",
                    "/watch?prefix=&fromRevision=4", "/watch?prefix=&fromRevision=6", "/watch?prefix=&fromRevision=6");
            assertThat(why).isInstanceOfSatisfying(HistoryCompactedException.class,
                    e -> assertThat(e.oldestRevision()).isEqualTo(50));
            assertThat(ends).containsExactly(why);
            assertThat(w.lastRevision()).isEqualTo(7);
        }
    }

    @Test
    void aCompactedEndEventEndsTheWatchAndAResetOneResumes() throws Exception {
        try (FakeNode node = new FakeNode((ex, n) -> {
                if (n == 1) {
                    stream(ex, READY, "event: end\ndata: {\"error\":\"snapshot\",\"code\":\"watch_reset\",\"lastRevision\":3}\n\n");
                } else {
                    stream(ex, READY, put(8, "k", "v"), "event: end\ndata: {\"error\":\"re-read\",\"code\":\"watch_compacted\"}\n\n");
                }
            });
             LeifClient c = LeifClient.builder(node.url()).sleeper(d -> { }).build()) {
            Watch w = c.watchKey("k", 2, collect());
            assertThat(w.awaitEnd()).isInstanceOf(HistoryCompactedException.class).hasMessage("re-read");
            assertThat(node.seen).extracting(FakeNode.Seen::uri).containsExactly("/watch?key=k&fromRevision=2",
                    "/watch?key=k&fromRevision=3");
            assertThat(events).extracting(WatchEvent::revision).containsExactly(8L);
        }
    }

    @Test
    void closingTheClientEndsARunningWatchAtOnce() throws Exception {
        try (FakeNode node = new FakeNode((ex, n) -> {
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                out.write(READY.getBytes(StandardCharsets.UTF_8));
                out.flush();
                try {
                    Thread.sleep(Duration.ofSeconds(30)); // an idle stream, as a quiet cluster gives
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            })) {
            LeifClient c = LeifClient.builder(node.url()).build();
            List<String> ends = new CopyOnWriteArrayList<>();
            Watch w = c.watchPrefix("p/", -1, new WatchListener() {
                @Override
                public void onEvent(WatchEvent e) {
                    events.add(e);
                }

                @Override
                public void onEnd(LeifException why) {
                    ends.add(String.valueOf(why));
                }
            });
            long start = System.nanoTime();
            while (w.lastRevision() < 0 && System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) Thread.onSpinWait();
            assertThat(w.lastRevision()).isEqualTo(3);
            c.close(); // the client ends its running watches
            assertThat(w.awaitEnd()).isNull();
            assertThat(System.nanoTime() - start).as("at once, not after the idle stream's 30 s")
                    .isLessThan(Duration.ofSeconds(10).toNanos());
            assertThat(ends).containsExactly("null");
        }
    }
}
