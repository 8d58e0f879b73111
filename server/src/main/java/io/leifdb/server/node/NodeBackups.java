package io.leifdb.server.node;

import io.leifdb.server.backup.BackupArchive;
import io.leifdb.server.config.DataDir;
import io.leifdb.server.kv.BackupImage;
import io.leifdb.server.kv.FollowerShares;
import io.leifdb.server.kv.KvStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes this node's backups: an image of the applied state under {@code <data>/backup-scratch/},
 * held until the archive is written. One at a time, since each costs a copy of the changed data
 * (under CRaft, of every coded value made whole).
 */
final class NodeBackups {
    static final String SCRATCH = "backup-scratch";

    private final KvStore kv;
    private final Path scratch;
    private final long clusterId;
    private final String version;
    private final FollowerShares.Rebuild gather;
    private final Semaphore one = new Semaphore(1);
    private final AtomicLong counter = new AtomicLong();

    /** Deletes what an interrupted backup left under {@code dataDir}. */
    NodeBackups(KvStore kv, Path dataDir, long clusterId, String version, FollowerShares.Rebuild gather)
            throws IOException {
        this.kv = kv;
        this.scratch = dataDir.resolve(SCRATCH);
        this.clusterId = clusterId;
        this.version = version;
        this.gather = gather;
        DataDir.deleteTree(scratch);
    }

    /**
     * A backup of the state applied now; the caller has made it current (a read barrier) if it must
     * hold every write acknowledged before. The archive deletes its image when closed.
     *
     * @throws IllegalStateException if another backup is being taken on this node
     */
    BackupArchive take() throws IOException {
        if (!one.tryAcquire()) {
            throw new IllegalStateException("another backup is being taken on this node; retry when it ends");
        }
        BackupImage image;
        try {
            Files.createDirectories(scratch);
            image = BackupImage.take(kv, scratch.resolve(Long.toString(counter.incrementAndGet())), gather);
        } catch (IOException | RuntimeException e) {
            one.release();
            throw e;
        }
        return BackupArchive.of(image, clusterId, version, one::release); // releases when closed, or if it fails
    }
}
