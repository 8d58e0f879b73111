package io.leifdb.server.kv;

import static io.leifdb.server.kv.KvFixtures.TERM;
import static io.leifdb.server.kv.KvFixtures.puts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
    @TempDir
    Path dir;
    private KvStore kv;
    private SnapshotStore snapshots;

    @BeforeEach
    void open() throws IOException {
        kv = KvStore.open(dir.resolve("kv"));
        snapshots = SnapshotStore.open(dir.resolve("snapshots"), kv);
    }

    @AfterEach
    void close() {
        kv.close();
    }

    private SnapshotInfo takeAfter(int count) throws IOException {
        kv.apply(puts(kv.appliedIndex() + 1, count, 10));
        return snapshots.take(kv.appliedIndex(), kv.appliedTerm(), new byte[] {7});
    }

    @Test
    void takeWritesACompleteCheckpointNamedByIndexAndTerm() throws IOException {
        SnapshotInfo s = takeAfter(25);
        assertThat(s.index()).isEqualTo(25);
        assertThat(s.term()).isEqualTo(TERM);
        assertThat(s.confData()).containsExactly(7);
        assertThat(s.dir()).isEqualTo(dir.resolve("snapshots").resolve("25-" + TERM));
        assertThat(s.sizeBytes()).isPositive();
        SnapshotManifest m = SnapshotManifest.read(s.dir());
        m.verify(s.dir());
        assertThat(m.files()).extracting(SnapshotManifest.FileEntry::name).anyMatch(n -> n.endsWith(".sst"));
        assertThat(KvFixtures.childNames(dir.resolve("snapshots"))).containsExactly("25-" + TERM);
    }

    @Test
    void theCheckpointHoldsTheAppliedIndexItIsNamedFor() throws IOException {
        SnapshotInfo s = takeAfter(12);
        kv.apply(puts(13, 5, 10)); // the live store moves on; the snapshot must not
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        for (SnapshotManifest.FileEntry f : SnapshotManifest.read(s.dir()).files()) {
            Files.copy(s.dir().resolve(f.name()), copy.resolve(f.name()));
        }
        try (RocksHandle h = RocksHandle.open(copy, false, KvOptions.DEFAULT)) {
            KvStore.StoredMeta meta = KvStore.StoredMeta.read(h);
            assertThat(meta.index()).isEqualTo(12);
            assertThat(meta.term()).isEqualTo(TERM);
        }
    }

    @Test
    void takeRefusesAPositionOtherThanTheAppliedOne() throws IOException {
        kv.apply(puts(1, 5, 5));
        assertThatThrownBy(() -> snapshots.take(4, TERM, null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> snapshots.take(5, TERM + 1, null)).isInstanceOf(IllegalStateException.class);
        assertThat(snapshots.latest()).isEmpty();
        assertThat(KvFixtures.childNames(dir.resolve("snapshots"))).isEmpty();
    }

    @Test
    void takingTheSamePositionTwiceReturnsTheExistingSnapshot() throws IOException {
        SnapshotInfo first = takeAfter(3);
        assertThat(snapshots.take(3, TERM, new byte[] {7})).isEqualTo(first);
        assertThat(snapshots.list()).hasSize(1);
    }

    @Test
    void latestIsTheHighestIndexAndRetainKeepsTheNewest() throws IOException {
        assertThat(snapshots.latest()).isEmpty();
        SnapshotInfo a = takeAfter(5);
        SnapshotInfo b = takeAfter(5);
        SnapshotInfo c = takeAfter(100);
        assertThat(snapshots.latest()).contains(c);
        assertThat(snapshots.list()).containsExactly(c, b, a);
        snapshots.retain(2);
        assertThat(snapshots.list()).containsExactly(c, b);
        snapshots.retain(1);
        assertThat(snapshots.list()).containsExactly(c);
        assertThat(Files.exists(a.dir())).isFalse();
        assertThatThrownBy(() -> snapshots.retain(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void retainSparesASnapshotWhileItIsBeingRead() throws IOException {
        SnapshotInfo old = takeAfter(5);
        takeAfter(5);
        try (SnapshotReader reader = snapshots.reader(old)) {
            snapshots.retain(1);
            assertThat(Files.exists(old.dir())).isTrue();
            reader.next();
        }
        snapshots.retain(1);
        assertThat(Files.exists(old.dir())).isFalse();
    }

    @Test
    void openDeletesTemporaryAndBrokenDirectoriesAndLatestIgnoresThem() throws IOException {
        SnapshotInfo good = takeAfter(5);
        Path snaps = dir.resolve("snapshots");
        Files.createDirectories(snaps.resolve(".tmp-99-3-1"));
        Files.createDirectories(snaps.resolve(".stage-123-4"));
        Path broken = Files.createDirectories(snaps.resolve("200-3"));
        Files.write(broken.resolve(SnapshotManifest.FILE_NAME), new byte[] {1, 2, 3});
        assertThat(snapshots.latest()).contains(good);

        SnapshotStore reopened = SnapshotStore.open(snaps, kv);
        assertThat(KvFixtures.childNames(snaps)).containsExactly(good.dir().getFileName().toString());
        assertThat(reopened.latest()).contains(good);
    }

    @Test
    void snapshotsSurviveCompactionOfTheLiveStore() throws IOException {
        SnapshotInfo s = takeAfter(50);
        kv.apply(puts(51, 500, 10));
        kv.compact(); // deletes the live SSTs the checkpoint hard-linked
        SnapshotManifest.read(s.dir()).verify(s.dir());
        assertThat(List.of(s)).containsExactly(snapshots.latest().orElseThrow());
    }
}
