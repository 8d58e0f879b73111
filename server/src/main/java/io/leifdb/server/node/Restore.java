package io.leifdb.server.node;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.ConfStateCodec;
import io.leifdb.raft.HardState;
import io.leifdb.raft.SnapshotMeta;
import io.leifdb.server.backup.BackupException;
import io.leifdb.server.backup.BackupManifest;
import io.leifdb.server.backup.BackupReader;
import io.leifdb.server.config.DataDir;
import io.leifdb.server.kv.KvStore;
import io.leifdb.server.kv.SnapshotInfo;
import io.leifdb.server.kv.SnapshotStore;
import io.leifdb.server.storage.SegmentedWal;
import io.leifdb.server.transport.ClusterIds;
import io.leifdb.server.transport.NodeIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Prepares the data directories of a NEW cluster from a backup, as if every member had installed the
 * backup as a snapshot: the RocksDB state at the backup's index, a WAL that starts after it (commit =
 * that index), the new member list as membership, and a cluster id of its own (see
 * {@link ClusterIdentity#storeRestored}). Nothing is written before the whole backup has been checked,
 * and each directory is built beside its target and renamed into place, so an interrupted restore
 * leaves no half-prepared member.
 */
public final class Restore {
    /** Its WAL holds one record until the node opens it with its own segment size. */
    private static final long SEGMENT_BYTES = 64 << 10;

    /** One member to prepare: its {@code host:raftport} as in the member list, and its data directory. */
    public record Target(String member, Path dataDir) {
    }

    /** What was restored: the backup's manifest and the new cluster's id. */
    public record Result(BackupManifest backup, long clusterId) {
    }

    private Restore() {
    }

    /**
     * Checks everything, then prepares every target.
     *
     * @param members the new cluster's {@code LEIFDB_MEMBER_NODES}, every member
     * @throws IllegalArgumentException if a target is not a member, a member repeats, or a directory is in use
     * @throws BackupException if the backup is not one, or is truncated or damaged
     */
    public static Result prepare(Path backupFile, List<String> members, List<Target> targets) throws IOException {
        checkTargets(members, targets);
        BackupManifest m = BackupReader.verify(backupFile);
        if (m.index() < 1) throw new BackupException(backupFile + " holds no applied state (index 0)");
        long salt = m.restoreSalt();
        TreeSet<Long> ids = new TreeSet<>();
        for (String member : members) ids.add(NodeIds.idOf(member));
        ConfState conf = ConfState.of(ids);
        Path work = Files.createTempDirectory(targets.getFirst().dataDir().toAbsolutePath().getParent(),
                ".leifdb-restore-");
        long clusterId = 0;
        try {
            Path files = Files.createDirectory(work.resolve("files"));
            BackupReader.extract(backupFile, files);
            for (Target t : targets) clusterId = prepareOne(t, members, salt, m, conf, files);
        } finally {
            DataDir.deleteTree(work);
        }
        return new Result(m, clusterId);
    }

    private static void checkTargets(List<String> members, List<Target> targets) throws IOException {
        if (targets.isEmpty()) throw new IllegalArgumentException("no data directory to prepare");
        TreeSet<Long> ids = new TreeSet<>();
        for (String member : members) {
            ClusterIds.of(List.of(member)); // throws with the item named when it is not host:port
            if (!ids.add(NodeIds.idOf(member))) throw new IllegalArgumentException("member " + member + " appears twice");
        }
        TreeSet<Path> dirs = new TreeSet<>();
        for (Target t : targets) {
            if (!ids.contains(NodeIds.idOf(t.member()))) {
                throw new IllegalArgumentException(t.member() + " is not in the member list " + String.join(",", members));
            }
            Path d = t.dataDir().toAbsolutePath().normalize();
            if (!dirs.add(d)) throw new IllegalArgumentException("data directory " + d + " is given twice");
            if (Files.exists(d) && (!Files.isDirectory(d) || !isEmpty(d))) {
                throw new IllegalArgumentException("data directory " + d
                        + " exists and is not empty; restore prepares new members only");
            }
            if (d.getParent() == null || !Files.isDirectory(d.getParent())) {
                throw new IllegalArgumentException("the parent of data directory " + d + " does not exist");
            }
        }
    }

    private static long prepareOne(Target t, List<String> members, long salt, BackupManifest m, ConfState conf,
                                   Path files) throws IOException {
        Path target = t.dataDir().toAbsolutePath().normalize();
        Path building = target.resolveSibling("." + target.getFileName() + ".restoring");
        DataDir.deleteTree(building);
        DataDir.create(building);
        long id = ClusterIdentity.storeRestored(building, members, salt);
        try (KvStore kv = KvStore.open(building.resolve("kv"))) {
            SnapshotStore snapshots = SnapshotStore.open(building.resolve("snapshots"), kv);
            SnapshotInfo s = snapshots.adopt(files, m.index(), m.term(), ConfStateCodec.encode(conf));
            kv.installSnapshot(s.dir()); // checks the data's own applied index against the backup's
            kv.clearAddresses(); // the members listed for the restore are where the new cluster listens
        }
        try (SegmentedWal wal = SegmentedWal.open(building.resolve("wal"), SEGMENT_BYTES, SEGMENT_BYTES)) {
            wal.applySnapshot(new SnapshotMeta(m.index(), m.term(), conf));
            wal.setHardState(new HardState(m.term(), 0, m.index()));
            wal.sync();
        }
        if (Files.exists(target)) Files.delete(target); // empty, checked above
        Files.move(building, target, StandardCopyOption.ATOMIC_MOVE);
        return id;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
