package io.leifdb.server.kv;

import io.leifdb.raft.craft.Fragment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applied state at one Raft index, as RocksDB files in a private directory, for a backup. A
 * checkpoint of the live store (apply waits only while it is taken, so writes continue) is opened
 * as a copy, every value held as a CRaft fragment is replaced by the whole value (gathered from
 * the members and decoded), and a checkpoint of the copy is the image. A backup never holds a
 * fragment: a restored cluster of any size or code must read every value on its own.
 * {@link #close()} deletes it.
 */
public final class BackupImage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackupImage.class);

    private final Path scratch;
    private final Path dir;
    private final long index;
    private final long term;
    private final long keys;

    private BackupImage(Path scratch, Path dir, long index, long term, long keys) {
        this.scratch = scratch;
        this.dir = dir;
        this.index = index;
        this.term = term;
        this.keys = keys;
    }

    /**
     * Builds the image of {@code store} under {@code scratch} (which must not exist, on the store's
     * file system so the checkpoint can hard-link). {@code gather} rebuilds a coded value whole.
     *
     * @throws IOException if a coded value cannot be gathered (fewer than k fragments reachable) or a file fails
     */
    public static BackupImage take(KvStore store, Path scratch, FollowerShares.Rebuild gather) throws IOException {
        Files.createDirectory(scratch);
        try {
            Path work = scratch.resolve("work");
            Path image = scratch.resolve("image");
            KvStore.AppliedPosition at = store.checkpoint(work);
            ValueRewrite.Counts counts;
            try (RocksHandle db = RocksHandle.open(work, false, KvOptions.DEFAULT)) {
                counts = ValueRewrite.run(db, (key, v) -> whole(key, v, gather));
                // The replaced fragments would otherwise stay in the SSTs beside the whole values.
                if (counts.changed() > 0) db.compact();
                db.checkpoint(image);
            }
            DurableFiles.deleteTree(work);
            log.info("backup image at index {} term {}: {} keys, {} gathered whole from fragments",
                    at.index(), at.term(), counts.keys(), counts.changed());
            return new BackupImage(scratch, image, at.index(), at.term(), counts.keys());
        } catch (IOException | RuntimeException e) {
            DurableFiles.deleteAfterFailure(scratch, e);
            throw e;
        }
    }

    /** {@code v} with its value whole; the write's term and precondition come from the fragment's clear part. */
    private static CompletableFuture<StoredValue> whole(String key, StoredValue v, FollowerShares.Rebuild gather) {
        if (v.coded() == null) return CompletableFuture.completedFuture(v);
        Fragment own = v.coded().parse();
        if (v.recoded()) {
            Recode recode = Recode.decodeClear(own.clear(), own.codedLength());
            return gather.value(key, v.modRevision(), v.coded()).thenApply(value -> StoredValue.recoded(
                    v.createRevision(), v.modRevision(), v.version(), value, v.at(), v.term(), recode.kind()));
        }
        Command.Put put = CommandCodec.decodeClear(own.clear(), own.codedLength());
        return gather.value(key, v.modRevision(), v.coded()).thenApply(value -> StoredValue.whole(v.createRevision(),
                v.modRevision(), v.version(), value, v.coded().term(), put.pre(), put.kind()));
    }

    /** The directory of RocksDB files; nothing else is in it. */
    public Path dir() {
        return dir;
    }

    /** Its files, sorted by name. */
    public List<Path> files() throws IOException {
        return DurableFiles.listFiles(dir);
    }

    /** The Raft index (and its term) of the last entry the image holds. */
    public long index() {
        return index;
    }

    public long term() {
        return term;
    }

    /** How many keys it holds. */
    public long keys() {
        return keys;
    }

    @Override
    public void close() throws IOException {
        DurableFiles.deleteTree(scratch);
    }
}
