package io.leifdb.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leifdb.raft.Entry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL a real process in the middle of appending: every index it reported synced survives. */
class WalCrashTest {
    private static final long SEGMENT = 32 << 10;

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void stopChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyIndexReportedSyncedSurvivesKillDashNine() throws Exception {
        long reported = 0;
        for (int round = 0; round < 2; round++) {
            long minimum = reported + 250;
            reported = Math.max(reported, runAndKill(minimum));
            try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
                assertThat(wal.lastIndex()).isGreaterThanOrEqualTo(reported);
                assertThat(wal.hardState().commit()).isGreaterThanOrEqualTo(reported);
                assertThat(wal.firstIndex()).isLessThanOrEqualTo(reported);
                List<Entry> all = wal.entries(wal.firstIndex(), wal.lastIndex() + 1, Long.MAX_VALUE);
                assertThat(all).hasSize((int) (wal.lastIndex() - wal.firstIndex() + 1));
                for (Entry e : all) assertThat(e).isEqualTo(WalCrashChild.expected(e.index()));
            }
        }
    }

    /** Starts the child, kills it once it reported index {@code minimum} synced; returns the highest it reported. */
    private long runAndKill(long minimum) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        child = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                WalCrashChild.class.getName(), dir.toString(), Long.toString(SEGMENT))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        AtomicLong synced = new AtomicLong();
        Thread reader = new Thread(() -> readSynced(child, synced), "wal-crash-child-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> synced.get() >= minimum || !child.isAlive());
            assertThat(child.isAlive()).as("child still appending").isTrue();
            child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no close()
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
        return synced.get();
    }

    private static void readSynced(Process p, AtomicLong synced) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("synced ")) synced.set(Long.parseLong(line.substring(7).trim()));
            }
        } catch (IOException e) {
            // the stream closes when the child dies
        }
    }
}
