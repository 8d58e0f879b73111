package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.ConfStateCodec;
import io.leifdb.raft.Entry;
import io.leifdb.raft.HardState;
import io.leifdb.server.kv.KvStore;
import io.leifdb.server.kv.SnapshotInfo;
import io.leifdb.server.kv.SnapshotStore;
import io.leifdb.server.storage.SegmentedWal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Issue 12 part 5: a snapshot records the membership applied at its index, not the one in force. */
class SnapshotMembershipTest {
    @TempDir
    Path dir;

    @Test
    void aSnapshotRecordsTheAppliedMembershipNotAnUncommittedConfigEntry() throws Exception {
        ConfState applied = ConfState.of(Set.of(1L, 2L, 3L));
        List<Entry> log = List.of(Entry.noop(1, 1), Entry.noop(1, 2), Entry.noop(1, 3));
        try (KvStore kv = KvStore.open(dir.resolve("kv"))) {
            SnapshotStore snapshots = SnapshotStore.open(dir.resolve("snapshots"), kv);
            SegmentedWal wal = SegmentedWal.open(dir.resolve("wal"));
            try {
                wal.setConfState(applied);
                wal.append(log);
                wal.setHardState(new HardState(1, 1, 3));
                wal.sync();
                RocksStateMachine sm = new RocksStateMachine(kv, snapshots, wal, 1, 1);
                sm.apply(log);
                // The core's membership may already hold an appended, uncommitted removal of 3; it must not leak.
                sm.maybeSnapshot();
                SnapshotInfo taken = snapshots.latest().orElseThrow();
                assertThat(taken.index()).isEqualTo(3);
                assertThat(ConfStateCodec.decode(taken.confData())).isEqualTo(applied);
                assertThat(wal.snapshotMeta().conf()).isEqualTo(applied);
            } finally {
                wal.close();
            }
        }
    }
}
