package io.leifdb.server.ui;

import java.io.IOException;
import java.util.List;

/** A browser test's world: the cluster (skipped without Chromium), headless Chromium, and direct API calls. */
final class UiFixture implements AutoCloseable {
    final UiCluster cluster;
    final ChromeSession chrome;
    final DirectApi api;
    final List<String> bases;

    private UiFixture(UiCluster cluster, ChromeSession chrome) {
        this.cluster = cluster;
        this.chrome = chrome;
        this.bases = cluster.baseUrls();
        this.api = new DirectApi(bases);
    }

    /** Starts the cluster, then Chromium; stops the cluster if Chromium does not start. */
    static UiFixture start() throws IOException {
        ChromeSession.assumeInstalled();
        UiCluster cluster = UiCluster.start();
        try {
            return new UiFixture(cluster, ChromeSession.start());
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** For {@link ScreenshotOnFailure}: screenshots and node logs of whatever ran. */
    static ScreenshotOnFailure screenshots(java.util.function.Supplier<UiFixture> fixture) {
        return new ScreenshotOnFailure(() -> fixture.get() == null ? null : fixture.get().chrome.driver,
                () -> fixture.get() == null ? "" : fixture.get().cluster.logs());
    }

    @Override
    public void close() {
        try {
            chrome.close();
        } finally {
            cluster.close();
        }
    }
}
