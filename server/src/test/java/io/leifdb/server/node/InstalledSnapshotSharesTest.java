package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.ConfStateCodec;
import io.leifdb.raft.CraftPolicy;
import io.leifdb.raft.Entry;
import io.leifdb.raft.ErasureCoding;
import io.leifdb.raft.Snapshot;
import io.leifdb.raft.SnapshotMeta;
import io.leifdb.server.kv.CodedValue;
import io.leifdb.server.kv.Command;
import io.leifdb.server.kv.KvStore;
import io.leifdb.server.kv.SnapshotInfo;
import io.leifdb.server.kv.SnapshotReader;
import io.leifdb.server.kv.SnapshotStore;
import io.leifdb.server.kv.SnapshotWriter;
import io.leifdb.server.storage.SegmentedWal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: a follower that installs a CRaft snapshot offering the leader's fragment of a write it holds its own
 * share of keeps its share in its state and in the snapshot it stores, which it sends once it leads.
 */
class InstalledSnapshotSharesTest {
    private static final long TERM = 4;
    private static final ConfState VOTERS = ConfState.of(Set.of(1L, 2L, 3L, 4L, 5L));
    private static final ErasureCoding CODING = CraftPolicy.defaults().withDataShards(3).withMinCodedBytes(1024)
            .withClearPrefix(Command::clearLength).coding(VOTERS);
    private static final Entry WRITE = put(1, "k");
    private static final Entry LATER = put(2, "other");

    @TempDir
    Path dir;

    private static Entry put(long index, String key) {
        byte[] v = new byte[8000];
        new Random(index).nextBytes(v);
        return Entry.normal(TERM, index, new Command.Put(key, v).encode());
    }

    private static Entry fragment(Entry e, int id) {
        return CODING.encode(e)[id];
    }

    @Test
    void theStoredSnapshotAfterAnInstallHoldsTheShareTheFollowerKept() throws IOException {
        int own = CODING.fragmentId(3);
        try (KvStore leader = KvStore.open(dir.resolve("leader/kv"));
             KvStore follower = KvStore.open(dir.resolve("follower/kv"));
             SegmentedWal wal = SegmentedWal.open(dir.resolve("follower/wal"))) {
            // The leader holds fragment 0 of both writes and could rebuild neither: its copy is its own fragments.
            leader.apply(List.of(fragment(WRITE, 0), fragment(LATER, 0)));
            SnapshotStore leaderSnapshots = SnapshotStore.open(dir.resolve("leader/snapshots"), leader);
            SnapshotInfo sent = leaderSnapshots.take(2, TERM, ConfStateCodec.encode(VOTERS));
            follower.apply(List.of(fragment(WRITE, own)));
            SnapshotStore snapshots = SnapshotStore.open(dir.resolve("follower/snapshots"), follower);
            try (SnapshotReader reader = leaderSnapshots.reader(sent);
                 SnapshotWriter writer = snapshots.receive()) {
                while (reader.hasNext()) writer.accept(reader.next());
                writer.finish();
            }
            RocksStateMachine sm = new RocksStateMachine(follower, snapshots, wal, Long.MAX_VALUE, 1,
                    book -> { }, conf -> own, conf -> { });
            sm.installSnapshot(new Snapshot(new SnapshotMeta(2, TERM, VOTERS), null));

            CodedValue kept = new CodedValue(1, TERM, fragment(WRITE, own).data());
            assertThat(follower.get("k").orElseThrow().coded()).isEqualTo(kept);
            // The stored snapshot, as a member that installs it unchanged would hold it.
            try (KvStore probe = KvStore.open(dir.resolve("probe/kv"))) {
                probe.installSnapshot(snapshots.latest().orElseThrow().dir());
                assertThat(probe.get("k").orElseThrow().coded()).isEqualTo(kept);
                assertThat(probe.get("other").orElseThrow().coded())
                        .isEqualTo(new CodedValue(2, TERM, fragment(LATER, 0).data()));
            }
        }
    }
}
