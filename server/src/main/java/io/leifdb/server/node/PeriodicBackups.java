package io.leifdb.server.node;

import io.leifdb.server.backup.BackupReader;
import io.leifdb.server.config.BackupSchedule;
import io.leifdb.server.config.DataDir;
import io.leifdb.server.http.Backup;
import io.leifdb.server.http.KvBackend;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LEIFDB_BACKUP_DIR: every LEIFDB_BACKUP_INTERVAL this member takes the backup GET /backup serves
 * (read barrier first), writes it under a temporary name, verifies it, renames it into place and
 * keeps the newest LEIFDB_BACKUP_KEEP. A failed round is logged and the next one tries again.
 */
final class PeriodicBackups implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeriodicBackups.class);
    private static final String SUFFIX = ".zip";
    private static final String PART = ".part";

    private final Path dir;
    private final int keep;
    private final KvBackend backend;
    private final ScheduledExecutorService timer;

    private PeriodicBackups(Path dir, int keep, KvBackend backend) {
        this.dir = dir;
        this.keep = keep;
        this.backend = backend;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("backups").daemon().unstarted(r));
    }

    /** Starts the rounds when {@code schedule} has a directory; null otherwise. */
    static PeriodicBackups start(BackupSchedule schedule, KvBackend backend) {
        if (schedule.dir().isEmpty()) return null;
        PeriodicBackups p = new PeriodicBackups(schedule.dir().get(), schedule.keep(), backend);
        long every = schedule.interval().toMillis();
        p.timer.scheduleWithFixedDelay(p::round, every, every, TimeUnit.MILLISECONDS);
        log.info("backups every {} into {}, keeping {}", schedule.interval(), p.dir, p.keep);
        return p;
    }

    private void round() {
        try (Backup b = backend.backup().join()) {
            DataDir.create(dir);
            Path target = dir.resolve(b.fileName());
            if (Files.exists(target)) {
                log.debug("no write applied since backup {}", target);
                return;
            }
            Path tmp = dir.resolve("." + b.fileName() + PART);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                b.writeTo(out);
            }
            BackupReader.verify(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            log.info("backup at index {} written to {}", b.index(), target);
            prune();
        } catch (CompletionException e) {
            log.warn("periodic backup failed (retrying in one interval): {}", e.getCause().getMessage());
        } catch (IOException | RuntimeException e) {
            log.warn("periodic backup failed (retrying in one interval): {}", e.getMessage());
        }
    }

    /** Keeps the newest {@code keep} backups (by modification time) and drops a round's leftovers. */
    private void prune() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".leifdb-*" + SUFFIX + PART)) {
            for (Path stale : ds) Files.deleteIfExists(stale);
        }
        List<Path> backups = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "leifdb-*" + SUFFIX)) {
            ds.forEach(backups::add);
        }
        backups.sort(Comparator.comparingLong(PeriodicBackups::modified).reversed());
        for (Path old : backups.subList(Math.min(keep, backups.size()), backups.size())) Files.deleteIfExists(old);
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0; // vanished meanwhile: sorts oldest, and deleting it is a no-op
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
