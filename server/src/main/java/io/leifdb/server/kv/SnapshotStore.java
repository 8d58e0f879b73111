package io.leifdb.server.kv;

import io.leifdb.raft.ConfState;
import io.leifdb.server.config.DataDir;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshots of one node under {@code <dataDir>/snapshots/}: each complete snapshot is a
 * directory {@code <index>-<term>/} holding a RocksDB checkpoint and its {@code snapshot.meta}.
 * A snapshot is built (taken or received) under a hidden temporary name, fsynced, then renamed
 * into place, so a directory with a final name is always complete; temporary ones are debris of
 * a crash and deleted on open. A snapshot replaced after an install kept shares ({@link #install}) goes through
 * a sealed {@code .merged-} copy that an open puts in place if a crash interrupted the replacement.
 *
 * <p>Thread-safe. Snapshots being streamed by a {@link SnapshotReader} are kept by
 * {@link #retain} until the reader is closed.
 */
public final class SnapshotStore {
    private static final Logger log = LoggerFactory.getLogger(SnapshotStore.class);
    private static final Pattern FINAL = Pattern.compile("(\\d{1,19})-(\\d{1,19})");
    private static final String TAKE_PREFIX = ".tmp-";
    private static final String STAGE_PREFIX = ".stage-";
    private static final String PEER_PREFIX = ".peer-";
    /** A sealed copy that replaces the snapshot of the rest of its name; an open finishes the replacement. */
    private static final String MERGED_PREFIX = ".merged-";

    private final Path dir;
    private final KvStore store;
    private final Map<Path, Integer> pinned = new ConcurrentHashMap<>();
    private final AtomicLong tempCounter = new AtomicLong();

    private SnapshotStore(Path dir, KvStore store) {
        this.dir = dir;
        this.store = store;
    }

    /**
     * Opens {@code dir} (e.g. {@code <dataDir>/snapshots}), creating it if needed and deleting
     * leftovers of interrupted takes and transfers. {@code store} is what {@link #take} checkpoints.
     */
    public static SnapshotStore open(Path dir, KvStore store) throws IOException {
        DataDir.create(dir);
        finishReplacements(dir);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(TAKE_PREFIX) || name.startsWith(STAGE_PREFIX) || name.startsWith(PEER_PREFIX)) {
                    DurableFiles.deleteTree(p);
                } else if (FINAL.matcher(name).matches() && readInfo(p).isEmpty()) {
                    log.warn("deleting snapshot {} whose {} is unreadable", p, SnapshotManifest.FILE_NAME);
                    DurableFiles.deleteTree(p);
                }
            }
        }
        DurableFiles.fsyncDir(dir);
        return new SnapshotStore(dir, Objects.requireNonNull(store, "store"));
    }

    static String dirName(long index, long term) {
        return index + "-" + term;
    }

    /**
     * Checkpoints the KV store as a snapshot at {@code index}/{@code term}, which must be the
     * store's applied position (the driver calls this between applies), with {@code confData}
     * the membership then. Returns the existing snapshot if that position is already taken.
     *
     * @throws IllegalStateException if the store's applied position is not {@code index}/{@code term}
     */
    public SnapshotInfo take(long index, long term, byte[] confData) throws IOException {
        requireApplied(index, term);
        Path target = dir.resolve(dirName(index, term));
        if (Files.isDirectory(target)) {
            Optional<SnapshotInfo> existing = readInfo(target);
            if (existing.isPresent()) return existing.get();
        }
        Path tmp = tempFor(index, term);
        try {
            KvStore.AppliedPosition at = store.checkpoint(tmp);
            if (at.index() != index || at.term() != term) {
                throw new IllegalStateException("KV store moved to " + at.index() + "@" + at.term()
                        + " while taking the snapshot at " + index + "@" + term);
            }
            SnapshotInfo info = seal(tmp, target, index, term, confData);
            log.info("took snapshot {}@{} ({} bytes)", index, term, info.sizeBytes());
            return info;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp, e);
            throw e;
        }
    }

    /**
     * Makes the RocksDB files of {@code source} (a restored backup's) a snapshot at {@code index}/{@code term}
     * with {@code confData} as its membership; the files are linked or copied, {@code source} is left as is.
     * The data's own applied index is checked when the snapshot is installed.
     *
     * @throws IllegalStateException if a snapshot at that position exists already
     */
    public SnapshotInfo adopt(Path source, long index, long term, byte[] confData) throws IOException {
        Path target = dir.resolve(dirName(index, term));
        if (Files.exists(target)) throw new IllegalStateException("snapshot " + target + " exists already");
        Path tmp = tempFor(index, term);
        try {
            Files.createDirectory(tmp);
            for (Path f : DurableFiles.listFiles(source)) SnapshotInstall.place(f, tmp.resolve(f.getFileName()));
            return seal(tmp, target, index, term, confData);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp, e);
            throw e;
        }
    }

    private Path tempFor(long index, long term) {
        return dir.resolve(TAKE_PREFIX + dirName(index, term) + "-" + tempCounter.incrementAndGet());
    }

    /** Writes the manifest of the files in {@code tmp}, makes them durable and renames {@code tmp} to {@code target}. */
    private static SnapshotInfo seal(Path tmp, Path target, long index, long term, byte[] confData) throws IOException {
        SnapshotManifest manifest = new SnapshotManifest(index, term, confData, SnapshotManifest.describe(tmp));
        manifest.write(tmp);
        DurableFiles.fsyncFilesAndDir(tmp);
        DurableFiles.renameDurably(tmp, target);
        return SnapshotInfo.of(target, manifest);
    }

    private void requireApplied(long index, long term) {
        if (store.appliedIndex() != index || store.appliedTerm() != term) {
            throw new IllegalStateException("snapshot requested at " + index + "@" + term
                    + " but the KV store is applied to " + store.appliedIndex() + "@" + store.appliedTerm());
        }
    }

    /**
     * Installs {@code snapshot} (one of this store's) as the KV store's state for a member that may hold shares
     * of its writes (CRaft: it keeps its own share where the snapshot offers another's of the same write). When
     * the install keeps any share, the snapshot is replaced, before the switch, by a checkpoint of the merged state
     * at the same index, term and membership: it is what this member sends when it leads, so it must not hand the
     * copy's fragment on where this member holds its own.
     *
     * @param ownFragment this member's fragment id under a membership's voters; negative when it holds none
     */
    public void install(SnapshotInfo snapshot, ToIntFunction<ConfState> ownFragment) throws IOException {
        if (!snapshot.dir().getParent().equals(dir)) {
            throw new IllegalArgumentException("not a snapshot of " + dir + ": " + snapshot);
        }
        store.installSnapshot(snapshot.dir(), ownFragment, (merged, hook) -> replace(snapshot, merged, hook));
    }

    /** Seals a checkpoint of {@code merged} under the merged prefix, then puts it in place of {@code stored}. */
    private void replace(SnapshotInfo stored, RocksHandle merged, InstallStep.Hook hook) throws IOException {
        Path copy = dir.resolve(MERGED_PREFIX + stored.dir().getFileName());
        if (Files.exists(copy)) DurableFiles.deleteTree(copy); // a failed install's in this process: superseded
        Path tmp = tempFor(stored.index(), stored.term());
        try {
            merged.checkpoint(tmp);
            seal(tmp, copy, stored.index(), stored.term(), stored.confData());
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp, e);
            throw e;
        }
        hook.reached(InstallStep.MERGED_COPY_SEALED);
        promote(copy, stored.dir(), hook);
        log.info("snapshot {}@{} now holds the shares its install kept", stored.index(), stored.term());
    }

    /**
     * Renames a sealed {@code copy} to {@code target}, setting aside the snapshot there first (a rename cannot
     * replace a directory that holds files). A crash in between leaves no snapshot of that name, and the copy,
     * which {@link #finishReplacements} renames on the next open.
     */
    private static void promote(Path copy, Path target, InstallStep.Hook hook) throws IOException {
        if (Files.exists(target)) {
            Path aside = target.resolveSibling(TAKE_PREFIX + target.getFileName() + "-replaced");
            if (Files.exists(aside)) DurableFiles.deleteTree(aside);
            DurableFiles.renameDurably(target, aside);
            hook.reached(InstallStep.RECEIVED_SET_ASIDE);
            DurableFiles.renameDurably(copy, target);
            deleteQuietly(aside, null); // debris now: the next open deletes what is left of it
        } else {
            DurableFiles.renameDurably(copy, target);
        }
        hook.reached(InstallStep.SNAPSHOT_REPLACED);
    }

    /** Completes the replacements a crash interrupted: a merged copy exists only once it is sealed. */
    private static void finishReplacements(Path dir) throws IOException {
        List<Path> copies = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, MERGED_PREFIX + "*")) {
            ds.forEach(copies::add);
        }
        for (Path copy : copies) {
            Path target = dir.resolve(copy.getFileName().toString().substring(MERGED_PREFIX.length()));
            if (sealedAs(copy, target)) {
                promote(copy, target, InstallStep.Hook.NONE);
                log.info("finished replacing snapshot {} by the merged state of its install", target.getFileName());
            } else {
                DurableFiles.deleteTree(copy);
            }
        }
    }

    private static boolean sealedAs(Path copy, Path target) {
        try {
            SnapshotManifest m = SnapshotManifest.read(copy);
            return target.getFileName().toString().equals(dirName(m.index(), m.term()));
        } catch (IOException e) {
            return false;
        }
    }

    /** Complete snapshots, newest (highest index) first. */
    public List<SnapshotInfo> list() throws IOException {
        List<SnapshotInfo> all = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (FINAL.matcher(p.getFileName().toString()).matches()) readInfo(p).ifPresent(all::add);
            }
        }
        all.sort(Comparator.comparingLong(SnapshotInfo::index).thenComparingLong(SnapshotInfo::term).reversed());
        return all;
    }

    /** The newest complete snapshot, if any. */
    public Optional<SnapshotInfo> latest() throws IOException {
        List<SnapshotInfo> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /**
     * Keeps the newest {@code n} snapshots and deletes the rest ({@code LEIFDB_RETAIN_N_SNAPSHOTS});
     * one still being streamed survives until its reader closes and a later call.
     */
    public void retain(int n) throws IOException {
        if (n < 1) throw new IllegalArgumentException("must retain at least 1 snapshot, was " + n);
        List<SnapshotInfo> all = list();
        for (SnapshotInfo s : all.subList(Math.min(n, all.size()), all.size())) {
            if (pinned.containsKey(s.dir())) continue;
            DurableFiles.deleteTree(s.dir());
        }
        DurableFiles.fsyncDir(dir);
    }

    /** Streams {@code snapshot} in chunks of {@link SnapshotReader#DEFAULT_CHUNK_SIZE}. */
    public SnapshotReader reader(SnapshotInfo snapshot) throws IOException {
        return reader(snapshot, SnapshotReader.DEFAULT_CHUNK_SIZE);
    }

    SnapshotReader reader(SnapshotInfo snapshot, int chunkSize) throws IOException {
        Path p = snapshot.dir();
        pinned.merge(p, 1, Integer::sum);
        try {
            SnapshotManifest manifest = SnapshotManifest.read(p);
            return new SnapshotReader(snapshot, manifest, chunkSize, () -> unpin(p));
        } catch (IOException | RuntimeException e) {
            unpin(p);
            throw e;
        }
    }

    /**
     * CRaft: streams a copy of {@code snapshot} that holds every value as the follower of
     * {@code shares} would (see {@link FollowerSnapshot}); the copy is deleted when the reader
     * closes. Blocks while it is built, rebuilding values from peers' shares where needed.
     */
    public SnapshotReader readerFor(SnapshotInfo snapshot, FollowerShares shares) throws IOException {
        String name = PEER_PREFIX + dirName(snapshot.index(), snapshot.term()) + "-" + shares.fragmentId() + "-"
                + tempCounter.incrementAndGet();
        Path out = dir.resolve(name);
        SnapshotInfo copy;
        pinned.merge(snapshot.dir(), 1, Integer::sum);
        try {
            copy = FollowerSnapshot.build(snapshot, shares, dir.resolve(name + "-work"), out);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(out, e);
            throw e;
        } finally {
            unpin(snapshot.dir());
        }
        try {
            return new SnapshotReader(copy, SnapshotManifest.read(out), SnapshotReader.DEFAULT_CHUNK_SIZE,
                    () -> deleteQuietly(out, null));
        } catch (IOException | RuntimeException e) {
            deleteQuietly(out, e);
            throw e;
        }
    }

    private static void deleteQuietly(Path p, Exception cause) {
        if (cause != null) {
            DurableFiles.deleteAfterFailure(p, cause);
            return;
        }
        try {
            DurableFiles.deleteTree(p);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", p, e.toString());
        }
    }

    private void unpin(Path p) {
        pinned.computeIfPresent(p, (k, v) -> v == 1 ? null : v - 1);
    }

    /** Starts receiving a snapshot from a peer into a fresh staging directory. */
    public SnapshotWriter receive() throws IOException {
        Path staging = dir.resolve(STAGE_PREFIX + System.nanoTime() + "-" + tempCounter.incrementAndGet());
        Files.createDirectory(staging);
        return new SnapshotWriter(dir, staging);
    }

    /** Reads a snapshot directory's manifest; empty if it is missing or unreadable. */
    private static Optional<SnapshotInfo> readInfo(Path snapshotDir) {
        Matcher m = FINAL.matcher(snapshotDir.getFileName().toString());
        try {
            SnapshotManifest manifest = SnapshotManifest.read(snapshotDir);
            if (!m.matches() || !m.group(0).equals(dirName(manifest.index(), manifest.term()))) return Optional.empty();
            return Optional.of(SnapshotInfo.of(snapshotDir, manifest));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
