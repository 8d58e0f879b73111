package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.ConfStateCodec;
import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.HardState;
import io.leifdb.server.kv.KvStore;
import io.leifdb.server.kv.SnapshotStore;
import io.leifdb.server.storage.SegmentedWal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A joining member's log starts with memberships that predate it: until it applies the one that adds it,
 * it is joining, not removed, across restarts; once added, leaving a membership is a removal, across
 * restarts too.
 */
class JoinMarkerTest {
    private static final long SELF = 7;
    private static final ConfState BEFORE = ConfState.of(Set.of(1L, 2L, 3L));
    private static final ConfState ADDED = ConfState.of(Set.of(1L, 2L, 3L), Set.of(SELF));

    @TempDir
    Path dir;

    @Test
    void aMembershipWithoutAJoinerIsNoRemovalUntilItAppliedItsAddition_acrossRestarts() throws Exception {
        JoinMarker.write(dir);
        StatusBoard board = board(new JoinMarker(dir, SELF));
        board.publishConf(BEFORE); // the start of the cluster's log, received while catching up
        assertThat(board.joining()).isTrue();
        assertThat(board.removed()).as("a joiner behind its own addition").isFalse();

        JoinMarker restarted = new JoinMarker(dir, SELF);
        StatusBoard again = board(restarted);
        again.publishConf(BEFORE);
        assertThat(again.joining()).as("durable").isTrue();
        assertThat(again.removed()).isFalse();

        restarted.applied(BEFORE);
        assertThat(restarted.present()).as("a membership that does not name it ends nothing").isTrue();
        restarted.applied(ADDED);
        assertThat(restarted.present()).isFalse();
        assertThat(Files.exists(dir.resolve(JoinMarker.FILE))).isFalse();
        again.publishConf(BEFORE); // then removed again
        assertThat(again.joining()).isFalse();
        assertThat(again.removed()).isTrue();

        StatusBoard afterRestart = board(new JoinMarker(dir, SELF));
        afterRestart.publishConf(BEFORE);
        assertThat(afterRestart.removed()).as("a removed joiner restarted is still removed").isTrue();
    }

    @Test
    void anAdditionAndARemovalAppliedInOneBatchStillEndJoining_soTheMemberKnowsItWasRemoved() throws Exception {
        JoinMarker.write(dir);
        JoinMarker marker = new JoinMarker(dir, SELF);
        List<Entry> log = List.of(config(1, BEFORE), config(2, ADDED), config(3, BEFORE));
        try (KvStore kv = KvStore.open(dir.resolve("kv"))) {
            SnapshotStore snapshots = SnapshotStore.open(dir.resolve("snapshots"), kv);
            SegmentedWal wal = SegmentedWal.open(dir.resolve("wal"));
            try {
                wal.append(log);
                wal.setHardState(new HardState(1, 0, 3));
                wal.sync();
                RocksStateMachine sm = new RocksStateMachine(kv, snapshots, wal, Long.MAX_VALUE, 1, book -> { },
                        conf -> -1, marker::applied);
                sm.apply(log);
            } finally {
                wal.close();
            }
        }
        assertThat(marker.present()).isFalse();
        StatusBoard board = board(marker);
        board.publishConf(BEFORE);
        assertThat(board.removed()).isTrue();
    }

    @Test
    void aBootstrapMemberHasNoMarker_soLeavingTheMembershipIsARemoval() {
        StatusBoard board = board(new JoinMarker(dir, SELF));
        board.publishConf(BEFORE);
        assertThat(board.joining()).isFalse();
        assertThat(board.removed()).isTrue();
    }

    private static StatusBoard board(JoinMarker marker) {
        StatusBoard b = new StatusBoard(SELF, id -> Optional.empty(), (c, p) -> { }, marker::present);
        b.publish(new io.leifdb.raft.Status(SELF, io.leifdb.raft.Role.FOLLOWER, 1, 0, 0, 0, 0, java.util.Map.of(),
                java.util.Map.of()), 0);
        return b;
    }

    private static Entry config(long index, ConfState conf) {
        return new Entry(1, index, EntryType.CONFIG, ConfStateCodec.encode(conf));
    }
}
