package io.leifdb.server.it;

import static org.awaitility.Awaitility.await;

import io.leifdb.client.LeifClient;
import io.leifdb.client.LeifException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Continuous writes k0, k1, ... through one node (a follower's 307 is followed to the leader),
 * remembering each acknowledged one, so a test can check that none was lost. Close stops it.
 */
final class AckedWriter implements AutoCloseable {
    private final Map<String, String> acked = new ConcurrentHashMap<>();
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final Thread writer;

    AckedWriter(String url) {
        writer = Thread.ofPlatform().name("writer").start(() -> {
            LeifClient client = LeifClient.builder(url).timeout(Duration.ofSeconds(5)).build();
            for (int n = 0; writing.get(); n++) {
                try {
                    client.put("k" + n, "v" + n);
                    acked.put("k" + n, "v" + n);
                } catch (LeifException unknownOutcome) {
                    // not acknowledged: nothing to check
                }
            }
        });
    }

    /** Waits (bounded) until {@code more} further writes have been acknowledged. */
    void awaitMore(int more, String what) {
        int before = acked.size();
        await(what).atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= before + more);
    }

    /** The acknowledged writes so far. */
    Map<String, String> acked() {
        return Map.copyOf(acked);
    }

    @Override
    public void close() {
        writing.set(false);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
