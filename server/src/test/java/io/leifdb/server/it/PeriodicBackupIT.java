package io.leifdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leifdb.server.backup.BackupManifest;
import io.leifdb.server.backup.BackupReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LEIFDB_BACKUP_DIR on a real node: a verified backup each interval, and only the newest KEEP stay. */
class PeriodicBackupIT {
    @TempDir
    Path dir;

    private static List<Path> backups(Path in) throws IOException {
        if (!Files.isDirectory(in)) return List.of();
        try (Stream<Path> s = Files.list(in)) {
            return s.filter(p -> p.getFileName().toString().matches("leifdb-[0-9a-f]{16}-\\d+\\.zip")).toList();
        }
    }

    @Test
    void writesABackupEachIntervalAndKeepsTheNewest() throws Exception {
        Path out = dir.resolve("backups");
        try (TestCluster c = TestCluster.start(1, dir.resolve("node"), TestCluster.env(
                "LEIFDB_BACKUP_DIR", out.toString(), "LEIFDB_BACKUP_INTERVAL", "1s", "LEIFDB_BACKUP_KEEP", "2"))) {
            Set<String> seen = new TreeSet<>();
            int[] n = {0};
            await("three backups written, never more than two kept").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        // A new write each poll, so each round has a new index to back up.
                        assertThat(Http.put(c.url(0) + "/db/k" + n[0]++, Http.valueJson("v")).status()).isEqualTo(200);
                        List<Path> now = backups(out);
                        assertThat(now.size()).as("kept").isLessThanOrEqualTo(2);
                        now.forEach(p -> seen.add(p.getFileName().toString()));
                        return seen.size() >= 3;
                    });
            Path newest = backups(out).stream().max((a, b) -> Long.compare(index(a), index(b))).orElseThrow();
            BackupManifest m = BackupReader.verify(newest);
            assertThat(m.keys()).isPositive();
            assertThat(m.index()).isEqualTo(index(newest));
        }
    }

    private static long index(Path backup) {
        String name = backup.getFileName().toString();
        return Long.parseLong(name.substring(name.lastIndexOf('-') + 1, name.length() - ".zip".length()));
    }
}
