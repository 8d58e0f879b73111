package io.leifdb.server.kv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CRaft: builds, from a complete snapshot, the copy one follower receives, with every value as
 * {@link FollowerShares} says that follower holds it. The snapshot's files are linked into a work
 * directory and opened there (the original is never opened, so it stays byte-identical to its
 * manifest); values are rewritten in batches, the database compacted so the replaced whole values
 * leave it (the watch history, which holds whole values, is emptied), and a checkpoint of it becomes the copy, with its own manifest (same index, term and
 * membership). The copy is transient: the sender streams it and deletes it.
 */
final class FollowerSnapshot {
    private static final Logger log = LoggerFactory.getLogger(FollowerSnapshot.class);

    private FollowerSnapshot() {
    }

    /** Writes the follower's copy of {@code source} into {@code out} (which must not exist), using {@code work} as scratch. */
    static SnapshotInfo build(SnapshotInfo source, FollowerShares shares, Path work, Path out) throws IOException {
        SnapshotManifest manifest = SnapshotManifest.read(source.dir());
        Files.createDirectory(work);
        try {
            for (SnapshotManifest.FileEntry f : manifest.files()) {
                SnapshotInstall.place(source.dir().resolve(f.name()), work.resolve(f.name()));
            }
            try (RocksHandle db = RocksHandle.open(work, false, KvOptions.DEFAULT)) {
                ValueRewrite.run(db, shares::recode);
                History.drop(db, manifest.index());
                db.compact();
                db.checkpoint(out);
            }
        } finally {
            DurableFiles.deleteTree(work);
        }
        SnapshotManifest copy = new SnapshotManifest(manifest.index(), manifest.term(), manifest.conf(),
                SnapshotManifest.describe(out));
        copy.write(out);
        log.info("snapshot {}@{} for fragment {}: {} of {} bytes ({})", manifest.index(), manifest.term(),
                shares.fragmentId(), copy.totalBytes(), manifest.totalBytes(), shares.summary());
        return SnapshotInfo.of(out, copy);
    }
}
