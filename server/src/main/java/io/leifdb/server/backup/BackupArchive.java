package io.leifdb.server.backup;

import io.leifdb.server.http.Backup;
import io.leifdb.server.kv.BackupImage;
import io.leifdb.server.transport.ClusterIds;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backup as a ZIP archive: {@code backup.json} ({@link BackupManifest}) first, then each RocksDB
 * file as {@code db/<name>}. ZIP because operators can list and unpack it with common tools; the
 * manifest's SHA-256 sums, not ZIP's CRC-32, are what {@link BackupReader} trusts.
 */
public final class BackupArchive implements Backup {
    static final String MANIFEST_ENTRY = "backup.json";
    static final String DATA_PREFIX = "db/";
    private static final Logger log = LoggerFactory.getLogger(BackupArchive.class);

    private final BackupImage image;
    private final BackupManifest manifest;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    private BackupArchive(BackupImage image, BackupManifest manifest, Runnable onClose) {
        this.image = image;
        this.manifest = manifest;
        this.onClose = onClose;
    }

    /**
     * Describes {@code image} (taken from the cluster {@code clusterId}); the archive owns the image from
     * now on and runs {@code onClose} once it has deleted it (also when this call fails).
     */
    public static BackupArchive of(BackupImage image, long clusterId, String leifdbVersion, Runnable onClose)
            throws IOException {
        BackupArchive archive = null;
        try {
            List<Path> files = image.files();
            BackupManifest m = new BackupManifest(clusterId, image.index(), image.term(), image.keys(),
                    leifdbVersion, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                    BackupManifest.describe(files));
            archive = new BackupArchive(image, m, onClose);
            return archive;
        } finally {
            if (archive == null) new BackupArchive(image, null, onClose).close();
        }
    }

    public BackupManifest manifest() {
        return manifest;
    }

    @Override
    public String fileName() {
        return "leifdb-" + ClusterIds.format(manifest.clusterId()) + "-" + manifest.index() + ".zip";
    }

    @Override
    public long index() {
        return manifest.index();
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        // Not closed here: closing would close the caller's stream; finish() writes the central directory.
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setLevel(Deflater.BEST_SPEED); // RocksDB's blocks are compressed already; spend little CPU
        zip.putNextEntry(new ZipEntry(MANIFEST_ENTRY));
        zip.write(manifest.encode());
        zip.closeEntry();
        for (BackupManifest.FileSum f : manifest.files()) {
            zip.putNextEntry(new ZipEntry(DATA_PREFIX + f.name()));
            Files.copy(image.dir().resolve(f.name()), zip);
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    /** Writes the archive to {@code target} through a temporary file, so a crash never leaves a partial one. */
    public void writeTo(Path target) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            writeTo(out);
        }
        Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            image.close();
        } catch (IOException e) {
            log.warn("could not delete backup image {}: {}", image.dir(), e.toString());
        } finally {
            onClose.run();
        }
    }
}
