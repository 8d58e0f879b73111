package io.leifdb.server.kv;

import static io.leifdb.server.kv.FollowerSharesTest.CODING;
import static io.leifdb.server.kv.FollowerSharesTest.live;
import static io.leifdb.server.kv.FollowerSharesTest.value;
import static io.leifdb.server.kv.KvFixtures.TERM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.ConfStateCodec;
import io.leifdb.raft.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot install keeps this member's own share of a write the snapshot holds only as another
 * member's fragment (the sender's fallback when a rebuild fails), and takes everything else from the
 * snapshot; the kept share is durable before the generation pointer flips.
 */
class KeptSharesTest {
    private static final ToIntFunction<ConfState> AS_VOTER_3 = conf -> CODING.fragmentId(3);
    private static final Entry SAME = Entry.normal(TERM, 1, new Command.Put("same", value(4000, 1)).encode());
    private static final Entry OLDER = Entry.normal(TERM, 2, new Command.Put("newer", value(4000, 2)).encode());
    private static final Entry NEWER = Entry.normal(TERM, 3, new Command.Put("newer", value(4000, 3)).encode());

    @TempDir
    Path dir;
    private KvStore leader;
    private KvStore follower;
    private SnapshotInfo snapshot;

    @BeforeEach
    void setUp() throws IOException {
        // The leader (voter 1) holds fragment 0 of every write: its snapshot is the copy a sender whose
        // rebuilds all failed would stream, each value kept as the leader's fragment.
        leader = KvStore.open(dir.resolve("leader/kv"));
        leader.apply(List.of(live(SAME, 0), live(OLDER, 0), live(NEWER, 0)));
        snapshot = SnapshotStore.open(dir.resolve("leader/snapshots"), leader).take(3, TERM,
                ConfStateCodec.encode(ConfState.of(Set.of(1L, 2L, 3L, 4L, 5L))));
        // Voter 3 (fragment 2) applied the first two writes from the live log.
        follower = KvStore.open(dir.resolve("follower/kv"));
        follower.apply(List.of(live(SAME, 2), live(OLDER, 2)));
        follower.compact(); // RocksDB's WAL is off: only flushed state survives a crash
    }

    @AfterEach
    void tearDown() {
        leader.close();
        if (follower != null) follower.close();
    }

    private CodedValue held(String key) {
        return follower.get(key).orElseThrow().coded();
    }

    private static CodedValue fragment(Entry e, int id) {
        return new CodedValue(e.index(), e.term(), live(e, id).data());
    }

    @Test
    void theOwnFragmentOfTheSameWriteSurvivesAndANewerWriteIsTheSnapshots() throws IOException {
        follower.installSnapshot(snapshot.dir(), AS_VOTER_3);
        assertThat(follower.appliedIndex()).isEqualTo(3);
        assertThat(held("same")).isEqualTo(fragment(SAME, 2));
        assertThat(held("newer")).as("another write: the snapshot's").isEqualTo(fragment(NEWER, 0));

        follower.crashClose();
        follower = KvStore.open(dir.resolve("follower/kv"));
        assertThat(held("same")).as("after a crash").isEqualTo(fragment(SAME, 2));
    }

    @Test
    void withoutTheRuleTheInstallTakesTheLeadersFragment() throws IOException {
        follower.installSnapshot(snapshot.dir());
        assertThat(held("same")).isEqualTo(fragment(SAME, 0));
    }

    @Test
    void aCrashRightAfterKeepingLeavesTheOldStateAndOneRightAfterTheFlipTheMergedOne() throws IOException {
        follower.setInstallHook(step -> {
            if (step == InstallStep.SHARES_KEPT) throw new SnapshotInstallTest.SimulatedCrash(step);
        });
        assertThatThrownBy(() -> follower.installSnapshot(snapshot.dir(), AS_VOTER_3))
                .isInstanceOf(SnapshotInstallTest.SimulatedCrash.class);
        follower.crashClose();
        follower = KvStore.open(dir.resolve("follower/kv"));
        assertThat(follower.appliedIndex()).isEqualTo(2);
        assertThat(held("newer")).isEqualTo(fragment(OLDER, 2));

        follower.setInstallHook(step -> {
            if (step == InstallStep.POINTER_FLIPPED) throw new SnapshotInstallTest.SimulatedCrash(step);
        });
        assertThatThrownBy(() -> follower.installSnapshot(snapshot.dir(), AS_VOTER_3))
                .isInstanceOf(SnapshotInstallTest.SimulatedCrash.class);
        follower.crashClose();
        follower = KvStore.open(dir.resolve("follower/kv"));
        assertThat(follower.appliedIndex()).isEqualTo(3);
        assertThat(held("same")).isEqualTo(fragment(SAME, 2));
        assertThat(held("newer")).isEqualTo(fragment(NEWER, 0));
    }
}
