package io.leifdb.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web UI's metrics page in headless Chromium against a real 3-node cluster: while clients write
 * and read, the leader's charts (uPlot, served by the node) show non-zero series.
 */
class MetricsPageIT {
    /** Enough load to span several of the page's one-second scrapes, and a bound on it. */
    private static final int MAX_WRITES = 3_000;
    private static UiFixture world;
    private static DirectApi api;
    private static List<String> bases;

    @RegisterExtension
    static final ScreenshotOnFailure SCREENSHOTS = UiFixture.screenshots(() -> world);

    @BeforeAll
    static void start() throws IOException {
        world = UiFixture.start();
        api = world.api;
        bases = world.bases;
    }

    @AfterAll
    static void stop() {
        if (world != null) world.close();
    }

    /** Whether series {@code i} (1-based, as uPlot counts) of chart {@code id} holds a value above zero. */
    private static String anyAboveZero(String id, int i) {
        return "(document.querySelector(\"[data-testid='chart-" + id + "']\").uplot?.data[" + i
                + "] ?? []).some(v => v > 0)";
    }

    @Test
    void theLeadersChartsShowWritesReadsLatenciesAndFsyncs() throws Exception {
        int leader = api.leaderIndex();
        assertThat(leader).isNotNegative();
        String base = bases.get(leader);
        UiDriver ui = new UiDriver(world.chrome.driver, base + "/ui/");
        ui.open("metrics");
        ui.untilTextContains("metrics-status", "sampled by the node");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        AtomicReference<Throwable> loadFailed = new AtomicReference<>();
        Thread load = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < MAX_WRITES && !stop.get(); i++) {
                    assertThat(api.put("metrics-ui-" + i, "value " + i).status()).isEqualTo(200);
                    assertThat(api.get(base, "/db/metrics-ui-" + i).status()).isEqualTo(200);
                    written.incrementAndGet();
                }
            } catch (Throwable e) {
                loadFailed.set(e);
            }
        });
        try {
            ui.until("non-zero writes, reads, latencies and fsyncs charted", d -> Boolean.TRUE.equals(ui.js("return "
                    + anyAboveZero("throughput", 1) + " && " + anyAboveZero("throughput", 2) + " && "
                    + anyAboveZero("latency", 1) + " && " + anyAboveZero("latency", 3) + " && "
                    + anyAboveZero("fsync", 1) + " && " + anyAboveZero("fsync", 2))));
        } finally {
            stop.set(true);
            load.join();
        }
        assertThat(loadFailed.get()).isNull();
        assertThat(written.get()).isPositive();
        // Both followers charted by address, with a number (the lag may well be 0 between writes).
        Object peers = ui.js("const u = document.querySelector(\"[data-testid='chart-replication']\").uplot;"
                + "return u.series.slice(1).filter((s, i) => u.data[i + 1].some(v => v != null)).map(s => s.label)");
        assertThat((List<?>) peers).hasSize(2).allMatch(p -> String.valueOf(p).matches(".+:\\d+"));
        assertThat(ui.js("return document.querySelector(\"[data-testid='chart-apply-lag']\").uplot.data[1]"
                + ".some(v => v != null)")).isEqualTo(true);
        assertThat(ui.textOf("latest-throughput")).contains("writes").contains("/s");
        assertThat(ui.all("replication-hint").getFirst().isDisplayed()).isFalse();
        assertThat(world.chrome.driver.findElements(org.openqa.selenium.By.cssSelector(
                "[data-testid='chart-throughput'] canvas"))).hasSize(1);
    }

    /** The node keeps the history: a page opened after the writes charts the seconds before it opened. */
    @Test
    void aPageOpenedAfterTheWritesChartsTheSecondsBeforeIt() throws Exception {
        int leader = api.leaderIndex();
        assertThat(leader).isNotNegative();
        String base = bases.get(leader);
        for (int i = 0; i < 50; i++) assertThat(api.put("history-ui-" + i, "v" + i).status()).isEqualTo(200);
        // The node samples every second: wait (bounded) until a point holds the writes.
        org.awaitility.Awaitility.await("a history point with the writes").atMost(java.time.Duration.ofSeconds(20))
                .pollInterval(java.time.Duration.ofMillis(200)).until(() -> {
                    for (var p : api.get(base, "/metrics/history").body().path("points")) {
                        if (p.path("writes").asDouble() > 0) return true;
                    }
                    return false;
                });
        long opened = System.currentTimeMillis();
        UiDriver ui = new UiDriver(world.chrome.driver, base + "/ui/");
        ui.open("metrics");
        ui.until("writes from before the page opened charted", d -> Boolean.TRUE.equals(ui.js(
                "const u = document.querySelector(\"[data-testid='chart-throughput']\").uplot;"
                        + " return !!u && u.data[0].some((t, i) => t * 1000 < arguments[0] && u.data[1][i] > 0)", opened)));
    }

    @Test
    void aFollowerSaysOnlyTheLeaderKnowsReplicationLag() throws Exception {
        String follower = api.aFollower();
        assertThat(follower).isNotNull();
        UiDriver ui = new UiDriver(world.chrome.driver, follower + "/ui/");
        ui.open("metrics");
        ui.untilTextContains("metrics-status", "sampled by the node");
        ui.until("the hint shows", d -> ui.all("replication-hint").getFirst().isDisplayed());
        assertThat(ui.textOf("replication-hint")).contains("only the leader");
    }
}
