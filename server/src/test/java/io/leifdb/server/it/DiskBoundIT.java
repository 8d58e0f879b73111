package io.leifdb.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Snapshots and compaction keep the disk bounded: the log never grows without limit (bug 13). */
class DiskBoundIT {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void overwritingAThousandKeysAHundredTimesStaysWithinAFewMiBOfRocksDb() throws Exception {
        try (TestCluster c = TestCluster.start(1, dir, Map.of("LEIFDB_SNAPSHOT_THRESHOLD", String.valueOf(MIB)))) {
            ExecutorService pool = Executors.newFixedThreadPool(32);
            try {
                String value = "v".repeat(100);
                for (int round = 0; round < 100; round++) {
                    int r = round;
                    Future<?>[] fs = new Future<?>[32];
                    for (int w = 0; w < 32; w++) {
                        int id = w;
                        fs[w] = pool.submit(() -> {
                            for (int k = id; k < 1000; k += 32) {
                                int status = Http.put(c.url(0) + "/db/key-" + k, Http.valueJson(value + r)).status();
                                if (status != 200) throw new IllegalStateException("write answered " + status);
                            }
                            return null;
                        });
                    }
                    for (Future<?> f : fs) f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            Path data = c.dataDir(0);
            long total = size(data);
            long rocks = size(data.resolve("kv"));
            System.out.printf("disk after 100,000 writes: data dir %.1f MiB, RocksDB %.1f MiB, wal %.1f MiB, snapshots %.1f MiB%n",
                    total / (double) MIB, rocks / (double) MIB, size(data.resolve("wal")) / (double) MIB,
                    size(data.resolve("snapshots")) / (double) MIB);
            assertThat(total - rocks).as("bytes outside RocksDB").isLessThan(4 * MIB);
            assertThat(Http.get(c.url(0) + "/db/key-999").json().get("value").asText()).isEqualTo("v".repeat(100) + 99);
        }
    }

    /** Bytes on disk under {@code p}, counting a hard-linked file (checkpoints share SSTs) once. */
    private static long size(Path p) throws IOException {
        if (!Files.exists(p)) return 0;
        Set<Object> seen = new HashSet<>();
        long sum = 0;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                Object key = Files.readAttributes(f, "unix:ino").get("ino");
                if (seen.add(key)) sum += Files.size(f);
            }
        }
        return sum;
    }
}
