package io.leifdb.server.ui;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;

/**
 * The cluster the browser tests drive: only the HTTP base URLs of its members matter to them.
 * {@code -Dleifdb.ui.baseUrls=http://127.0.0.1:8080,...} points the tests at a cluster that is
 * already running, which is handy while working on the UI.
 */
interface UiCluster extends AutoCloseable {
    /** One "http://host:port" per member, in member order. */
    List<String> baseUrls();

    @Override
    void close();

    static UiCluster start() {
        String given = System.getProperty("leifdb.ui.baseUrls", "").trim();
        assumeTrue(!given.isEmpty(), "UI browser tests skipped: no cluster to test against "
                + "(set -Dleifdb.ui.baseUrls until the node launcher is available)");
        List<String> urls = Arrays.stream(given.split(",")).map(String::trim)
                .map(u -> u.replaceAll("/+$", "")).toList();
        return new UiCluster() {
            @Override
            public List<String> baseUrls() {
                return urls;
            }

            @Override
            public void close() {
                // Started by someone else; left running for them.
            }
        };
    }
}
