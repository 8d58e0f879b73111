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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A snapshot install keeps this member's own share of a write the snapshot holds only as another
 * member's fragment (the sender's fallback when a rebuild fails), and takes everything else from the
 * snapshot; the kept share is durable before the generation pointer flips, and so is the stored
 * snapshot rewritten to hold it, since that is what this member sends others once it leads.
 */
class KeptSharesTest {
    private static final ToIntFunction<ConfState> AS_VOTER_3 = conf -> CODING.fragmentId(3);
    private static final Entry SAME = Entry.normal(TERM, 1, new Command.Put("same", value(4000, 1)).encode());
    private static final Entry OLDER = Entry.normal(TERM, 2, new Command.Put("newer", value(4000, 2)).encode());
    private static final Entry NEWER = Entry.normal(TERM, 3, new Command.Put("newer", value(4000, 3)).encode());

    @TempDir
    Path dir;
    private final OpenStores probes = new OpenStores();
    private int probeCount;
    private KvStore leader;
    private SnapshotStore leaderSnapshots;
    private SnapshotInfo snapshot;
    private KvStore follower;
    private SnapshotStore followerSnapshots;
    /** The leader's snapshot as the follower's store received it. */
    private SnapshotInfo received;

    @BeforeEach
    void setUp() throws IOException {
        // The leader (voter 1) holds fragment 0 of every write: its snapshot is the copy a sender whose
        // rebuilds all failed would stream, each value kept as the leader's fragment.
        leader = KvStore.open(dir.resolve("leader/kv"));
        leader.apply(List.of(live(SAME, 0), live(OLDER, 0), live(NEWER, 0)));
        leaderSnapshots = SnapshotStore.open(dir.resolve("leader/snapshots"), leader);
        snapshot = leaderSnapshots.take(3, TERM, ConfStateCodec.encode(ConfState.of(Set.of(1L, 2L, 3L, 4L, 5L))));
        // Voter 3 (fragment 2) applied the first two writes from the live log.
        follower = KvStore.open(dir.resolve("follower/kv"));
        follower.apply(List.of(live(SAME, 2), live(OLDER, 2)));
        follower.compact(); // RocksDB's WAL is off: only flushed state survives a crash
        followerSnapshots = SnapshotStore.open(dir.resolve("follower/snapshots"), follower);
        received = transfer(leaderSnapshots.reader(snapshot), followerSnapshots);
    }

    @AfterEach
    void tearDown() {
        probes.close();
        leader.close();
        if (follower != null) follower.close();
    }

    private static SnapshotInfo transfer(SnapshotReader from, SnapshotStore to) throws IOException {
        try (from; SnapshotWriter writer = to.receive()) {
            while (from.hasNext()) writer.accept(from.next());
            return writer.finish();
        }
    }

    private CodedValue held(String key) {
        return follower.get(key).orElseThrow().coded();
    }

    /** What a store that installs {@code s} as it is (no share kept) holds of {@code key}. */
    private CodedValue heldIn(SnapshotInfo s, String key) throws IOException {
        KvStore probe = probes.open(dir.resolve("probe-" + ++probeCount + "/kv"));
        probe.installSnapshot(s.dir());
        return probe.get(key).orElseThrow().coded();
    }

    /** The follower's only stored snapshot, whole and at the install's index. */
    private SnapshotInfo stored() throws IOException {
        assertThat(KvFixtures.childNames(dir.resolve("follower/snapshots"))).containsExactly("3-" + TERM);
        SnapshotInfo s = followerSnapshots.latest().orElseThrow();
        SnapshotManifest.read(s.dir()).verify(s.dir());
        assertThat(ConfStateCodec.decode(s.confData())).isEqualTo(ConfState.of(Set.of(1L, 2L, 3L, 4L, 5L)));
        return s;
    }

    private static CodedValue fragment(Entry e, int id) {
        return new CodedValue(e.index(), e.term(), live(e, id).data());
    }

    @Test
    void theOwnFragmentOfTheSameWriteSurvivesAndANewerWriteIsTheSnapshots() throws IOException {
        followerSnapshots.install(received, AS_VOTER_3);
        assertThat(follower.appliedIndex()).isEqualTo(3);
        assertThat(held("same")).isEqualTo(fragment(SAME, 2));
        assertThat(held("newer")).as("another write: the snapshot's").isEqualTo(fragment(NEWER, 0));

        follower.crashClose();
        follower = KvStore.open(dir.resolve("follower/kv"));
        assertThat(held("same")).as("after a crash").isEqualTo(fragment(SAME, 2));
    }

    @Test
    void withoutTheRuleTheInstallTakesTheLeadersFragment() throws IOException {
        follower.installSnapshot(received.dir());
        assertThat(held("same")).isEqualTo(fragment(SAME, 0));
    }

    @Test
    void theStoredSnapshotHoldsTheKeptShareSoTheCopyItSendsCarriesItAndNotTheLeaders() throws IOException {
        followerSnapshots.install(received, AS_VOTER_3);
        assertThat(heldIn(stored(), "same")).isEqualTo(fragment(SAME, 2));
        assertThat(heldIn(stored(), "newer")).isEqualTo(fragment(NEWER, 0));

        // Leading now, it sends voter 5 a copy; with every rebuild failing, each value stays as this member holds it.
        SnapshotStore voter5 = SnapshotStore.open(dir.resolve("voter5/snapshots"), leader);
        SnapshotInfo copy = transfer(followerSnapshots.readerFor(stored(), new FollowerShares(CODING, 5,
                FollowerSharesTest.NEVER)), voter5);
        assertThat(heldIn(copy, "same")).as("a distinct share, not a third copy of fragment 0").isEqualTo(fragment(SAME, 2));

        follower.close();
        follower = KvStore.open(dir.resolve("follower/kv"));
        followerSnapshots = SnapshotStore.open(dir.resolve("follower/snapshots"), follower);
        assertThat(heldIn(stored(), "same")).as("after a restart").isEqualTo(fragment(SAME, 2));
    }

    @Test
    void anInstallThatKeepsNothingLeavesTheReceivedSnapshotAsItCame() throws IOException {
        follower.close();
        follower = KvStore.open(dir.resolve("empty/kv"));
        SnapshotStore empty = SnapshotStore.open(dir.resolve("empty/snapshots"), follower);
        SnapshotInfo got = transfer(leaderSnapshots.reader(snapshot), empty);
        empty.install(got, AS_VOTER_3);
        assertThat(held("same")).isEqualTo(fragment(SAME, 0));
        assertThat(SnapshotManifest.read(got.dir()).files()).isEqualTo(SnapshotManifest.read(snapshot.dir()).files());
    }

    /** Stands in for kill -9 at one step of the install, the stored snapshot's replacement included. */
    @ParameterizedTest
    @EnumSource(InstallStep.class)
    void aCrashAtAnyStepLeavesTheStoredSnapshotWholeAndAfterTheFlipMerged(InstallStep crashAt) throws IOException {
        follower.setInstallHook(step -> {
            if (step == crashAt) throw new SnapshotInstallTest.SimulatedCrash(step);
        });
        assertThatThrownBy(() -> followerSnapshots.install(received, AS_VOTER_3))
                .isInstanceOf(SnapshotInstallTest.SimulatedCrash.class);
        follower.crashClose();
        follower = KvStore.open(dir.resolve("follower/kv"));
        followerSnapshots = SnapshotStore.open(dir.resolve("follower/snapshots"), follower);

        boolean flipped = crashAt.compareTo(InstallStep.POINTER_FLIPPED) >= 0;
        boolean merged = crashAt.compareTo(InstallStep.MERGED_COPY_SEALED) >= 0;
        assertThat(follower.appliedIndex()).isEqualTo(flipped ? 3 : 2);
        assertThat(held("same")).isEqualTo(fragment(SAME, 2));
        assertThat(held("newer")).isEqualTo(flipped ? fragment(NEWER, 0) : fragment(OLDER, 2));
        // Before the flip either copy is a true state at 3 for this member; from the flip on only the merged one.
        assertThat(heldIn(stored(), "same")).isEqualTo(fragment(SAME, merged ? 2 : 0));

        if (!flipped) followerSnapshots.install(stored(), AS_VOTER_3); // the leader sends it again
        assertThat(follower.appliedIndex()).isEqualTo(3);
        assertThat(held("same")).isEqualTo(fragment(SAME, 2));
        assertThat(heldIn(stored(), "same")).isEqualTo(fragment(SAME, 2));
    }
}
