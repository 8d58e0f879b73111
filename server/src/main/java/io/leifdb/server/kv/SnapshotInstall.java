package io.leifdb.server.kv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a snapshot directory into the live KV generation. The order makes it crash-atomic:
 * build and fsync a new generation beside the live one, prove it opens at the snapshot's index,
 * then flip the {@code CURRENT} pointer (the one commit point), and only then retire the old
 * generation. A crash before the flip leaves debris that the next open deletes. Under CRaft the new
 * generation may keep shares of the old one ({@link Keep}); the stored snapshot is then replaced by it
 * ({@link Replace}) before the flip too, so from the flip on both hold what this member keeps.
 */
final class SnapshotInstall {
    private static final Logger log = LoggerFactory.getLogger(SnapshotInstall.class);

    /** Puts the new database in service and hands back the one it replaced. */
    @FunctionalInterface
    interface Swap {
        RocksHandle swap(RocksHandle fresh) throws IOException;
    }

    /** Writes into the new database, before the flip, what this member keeps of the one it replaces; the count. */
    @FunctionalInterface
    interface Keep {
        Keep NONE = (fresh, conf) -> 0;

        long into(RocksHandle fresh, byte[] conf) throws IOException;
    }

    /** Replaces the stored snapshot, before the flip, by the new database once it kept anything (see {@link Keep}). */
    @FunctionalInterface
    interface Replace {
        Replace NONE = (merged, hook) -> {
        };

        void with(RocksHandle merged, InstallStep.Hook hook) throws IOException;
    }

    private final Generations generations;
    private final KvOptions options;
    private final InstallStep.Hook hook;

    SnapshotInstall(Generations generations, KvOptions options, InstallStep.Hook hook) {
        this.generations = generations;
        this.options = options;
        this.hook = hook;
    }

    void run(Path snapshotDir, Keep keep, Replace replace, Swap swap) throws IOException {
        SnapshotManifest manifest = SnapshotManifest.read(snapshotDir);
        // Re-check the bytes: a bad file found now costs nothing; found after the flip it loses the node's state.
        manifest.verify(snapshotDir);
        Path gen = generations.next();
        Files.createDirectory(gen);
        RocksHandle fresh = null;
        boolean committed = false;
        try {
            for (SnapshotManifest.FileEntry f : manifest.files()) {
                place(snapshotDir.resolve(f.name()), gen.resolve(f.name()));
            }
            hook.reached(InstallStep.FILES_PLACED);
            DurableFiles.fsyncFilesAndDir(gen);
            DurableFiles.fsyncDir(generations.root());
            hook.reached(InstallStep.FILES_SYNCED);
            fresh = RocksHandle.open(gen, false, options);
            KvStore.StoredMeta meta = KvStore.StoredMeta.read(fresh);
            if (meta.index() != manifest.index() || meta.term() != manifest.term()) {
                throw new SnapshotCorruptException("snapshot " + snapshotDir + " claims " + manifest.index() + "@"
                        + manifest.term() + " but its data is at " + meta.index() + "@" + meta.term());
            }
            hook.reached(InstallStep.NEW_DB_OPENED);
            long kept = keep.into(fresh, manifest.conf());
            if (kept > 0) {
                // Written without RocksDB's WAL sync: only flushed and fsynced files survive power loss after the flip.
                fresh.flush();
                DurableFiles.fsyncFilesAndDir(gen);
                log.info("kept this member's share of {} values the snapshot {}@{} held only as another's fragment",
                        kept, manifest.index(), manifest.term());
            }
            hook.reached(InstallStep.SHARES_KEPT);
            // The stored snapshot is what this member sends when it leads: it must hold the shares kept, not the copy's.
            if (kept > 0) replace.with(fresh, hook);
            generations.point(gen);
            committed = true;
            hook.reached(InstallStep.POINTER_FLIPPED);
            RocksHandle old = swap.swap(fresh);
            fresh = null;
            old.close();
            hook.reached(InstallStep.LIVE_SWAPPED);
            try {
                DurableFiles.deleteTree(old.dir);
            } catch (IOException e) {
                // The new state is already live; the next open removes the unreferenced generation.
                log.warn("could not delete old KV generation {}: {}", old.dir, e.getMessage());
            }
            hook.reached(InstallStep.OLD_DELETED);
        } catch (IOException | RuntimeException e) {
            if (!committed) {
                if (fresh != null) {
                    fresh.close();
                    fresh = null;
                }
                deleteQuietly(gen, e);
            }
            throw e;
        } finally {
            // Native handles never outlive a failed install, even one a test aborts with an Error.
            if (fresh != null) fresh.close();
        }
        log.info("installed snapshot {}@{} from {}", manifest.index(), manifest.term(), snapshotDir);
    }

    /** SST and blob files never change once written, so a hard link is safe; everything else is copied. */
    static void place(Path source, Path target) throws IOException {
        String name = source.getFileName().toString();
        if (name.endsWith(".sst") || name.endsWith(".blob")) {
            DurableFiles.linkOrCopy(source, target);
        } else {
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static void deleteQuietly(Path dir, Exception cause) {
        try {
            DurableFiles.deleteTree(dir);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
