package io.leifdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight concurrent listings of 1 MiB values fit in the node's 512 MiB heap (TestCluster starts nodes with
 * -Xmx512m): pages are bounded by bytes and streamed (issue 11, part 6).
 */
class ListingMemoryIT {
    private static final int KEYS = 64;
    private static final int VALUE_BYTES = 1 << 20;
    private static final int LISTINGS = 8;

    private static String value(int i) {
        return String.valueOf((char) ('a' + i % 26)).repeat(VALUE_BYTES);
    }

    @Test
    void eightConcurrentListingsOfMebibyteValuesAreServedWhole(@TempDir Path dir) throws Exception {
        try (TestCluster node = TestCluster.start(1, dir)) {
            String url = node.url(0);
            for (int i = 0; i < KEYS; i++) {
                assertThat(Http.put(url + "/db/big/" + String.format("%03d", i), Http.valueJson(value(i))).status())
                        .isEqualTo(200);
            }
            List<Future<Integer>> listings = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(LISTINGS)) {
                for (int l = 0; l < LISTINGS; l++) {
                    listings.add(pool.submit(() -> listAll(url)));
                }
                for (Future<Integer> f : listings) {
                    assertThat(f.get()).isEqualTo(KEYS);
                }
            }
            assertThat(node.isRunning(0)).as("the node survived").isTrue();
            assertThat(Http.get(url + "/health").status()).isEqualTo(200);
            System.out.println("node peak RSS after " + LISTINGS + " listings: " + peakRss(node.pid(0)));
        }
    }

    /** Follows `next` to the end; checks every page and every value; returns the keys seen. */
    private static int listAll(String url) throws Exception {
        int seen = 0;
        String after = "";
        while (true) {
            Http.Response r = Http.get(url + "/db?prefix=big/&limit=1000&after="
                    + URLEncoder.encode(after, StandardCharsets.UTF_8));
            assertThat(r.status()).as(r.body().length() > 200 ? r.body().substring(0, 200) : r.body()).isEqualTo(200);
            JsonNode page = r.json();
            for (JsonNode item : page.get("items")) {
                int i = Integer.parseInt(item.get("key").asText().substring("big/".length()));
                assertThat(item.get("value").asText()).as("value of %s", i).isEqualTo(value(i));
                seen++;
            }
            assertThat(page.get("items").size()).as("a page is bounded by bytes").isLessThan(KEYS);
            if (page.get("next").isNull()) {
                return seen;
            }
            after = page.get("next").asText();
        }
    }

    private static String peakRss(long pid) throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("VmHWM") || l.startsWith("VmRSS")).toList().toString();
    }
}
