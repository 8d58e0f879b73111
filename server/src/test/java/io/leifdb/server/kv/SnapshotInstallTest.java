package io.leifdb.server.kv;

import static io.leifdb.server.kv.KvFixtures.dump;
import static io.leifdb.server.kv.KvFixtures.puts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SnapshotInstallTest {
    /** Stands in for the process dying at an install step: an Error, so no cleanup path catches it. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(InstallStep step) {
            super("crash after " + step);
        }
    }

    @TempDir
    Path dir;
    private KvStore leader;
    private SnapshotInfo snapshot;
    private Map<String, String> newState;
    private KvStore follower;
    private Map<String, String> oldState;

    @BeforeEach
    void setUp() throws IOException {
        leader = KvStore.open(dir.resolve("leader/kv"));
        leader.apply(puts(1, 300, 40));
        leader.apply(java.util.List.of(KvFixtures.config(301, new byte[] {5, 5})));
        snapshot = SnapshotStore.open(dir.resolve("leader/snapshots"), leader).take(301, KvFixtures.TERM,
                new byte[] {5, 5});
        newState = dump(leader);

        follower = KvStore.open(dir.resolve("follower/kv"));
        follower.apply(puts(1, 20, 7));
        follower.compact(); // RocksDB's WAL is off: only flushed state survives a crash, and the test is about the install
        oldState = dump(follower);
    }

    @AfterEach
    void tearDown() {
        leader.close();
        if (follower != null) follower.close();
    }

    @Test
    void installReplacesTheWholeStateAndAppliedPosition() throws IOException {
        follower.installSnapshot(snapshot.dir());
        assertThat(follower.appliedIndex()).isEqualTo(301);
        assertThat(follower.appliedTerm()).isEqualTo(KvFixtures.TERM);
        assertThat(follower.confData()).hasValueSatisfying(c -> assertThat(c).containsExactly(5, 5));
        assertThat(dump(follower)).isEqualTo(newState);
        follower.apply(puts(302, 1, 40));
        assertThat(follower.get("k22").orElseThrow().modRevision()).isEqualTo(302);
        assertThat(KvFixtures.childNames(dir.resolve("follower/kv"))).containsExactly("CURRENT", "gen-2");

        follower.close();
        follower = KvStore.open(dir.resolve("follower/kv"));
        assertThat(follower.appliedIndex()).isEqualTo(302);
    }

    @Test
    void theInstalledSnapshotStaysUsableAfterTheStoreCompacts() throws IOException {
        follower.installSnapshot(snapshot.dir());
        follower.apply(puts(302, 2000, 40));
        follower.compact(); // drops the hard-linked SSTs from the live generation
        SnapshotManifest.read(snapshot.dir()).verify(snapshot.dir());
    }

    @Test
    void aSnapshotWhoseDataDisagreesWithItsManifestIsRefused() throws IOException {
        Path forged = dir.resolve("forged");
        Files.createDirectories(forged);
        SnapshotManifest real = SnapshotManifest.read(snapshot.dir());
        for (SnapshotManifest.FileEntry f : real.files()) {
            Files.copy(snapshot.dir().resolve(f.name()), forged.resolve(f.name()));
        }
        new SnapshotManifest(999, real.term(), real.conf(), real.files()).write(forged);
        assertThatThrownBy(() -> follower.installSnapshot(forged)).isInstanceOf(SnapshotCorruptException.class);
        assertThat(dump(follower)).isEqualTo(oldState);
        assertThat(follower.appliedIndex()).isEqualTo(20);
        assertThat(KvFixtures.childNames(dir.resolve("follower/kv"))).containsExactly("CURRENT", "gen-1");
    }

    @Test
    void aDamagedSnapshotFileIsRefusedBeforeAnythingChanges() throws IOException {
        SnapshotManifest m = SnapshotManifest.read(snapshot.dir());
        Path sst = snapshot.dir().resolve(m.files().stream().filter(f -> f.name().endsWith(".sst"))
                .findFirst().orElseThrow().name());
        byte[] bytes = Files.readAllBytes(sst);
        bytes[bytes.length / 2] ^= 0x10;
        Files.delete(sst); // a hard link shared with the leader's store: replace, do not write through
        Files.write(sst, bytes);
        assertThatThrownBy(() -> follower.installSnapshot(snapshot.dir())).isInstanceOf(SnapshotCorruptException.class);
        assertThat(dump(follower)).isEqualTo(oldState);
    }

    /** The stored snapshot's replacement runs only when a CRaft install keeps a share: KeptSharesTest crashes there. */
    @ParameterizedTest
    @EnumSource(value = InstallStep.class, mode = EnumSource.Mode.EXCLUDE,
            names = {"MERGED_COPY_SEALED", "RECEIVED_SET_ASIDE", "SNAPSHOT_REPLACED"})
    void aCrashAtAnyStepLeavesExactlyTheOldOrTheNewState(InstallStep crashAt) throws IOException {
        follower.setInstallHook(step -> {
            if (step == crashAt) throw new SimulatedCrash(step);
        });
        assertThatThrownBy(() -> follower.installSnapshot(snapshot.dir())).isInstanceOf(SimulatedCrash.class);
        follower.crashClose();
        follower = KvStore.open(dir.resolve("follower/kv"));

        boolean committed = crashAt.compareTo(InstallStep.POINTER_FLIPPED) >= 0;
        if (committed) {
            assertThat(follower.appliedIndex()).isEqualTo(301);
            assertThat(dump(follower)).isEqualTo(newState);
            assertThat(follower.confData()).isPresent();
        } else {
            assertThat(follower.appliedIndex()).isEqualTo(20);
            assertThat(dump(follower)).isEqualTo(oldState);
            assertThat(follower.confData()).isEmpty();
        }
        // Whatever the crash left behind, exactly one generation survives the reopen.
        assertThat(KvFixtures.childNames(dir.resolve("follower/kv")))
                .containsExactly("CURRENT", committed ? "gen-2" : "gen-1");
        // And the survivor keeps working, including a later install.
        follower.installSnapshot(snapshot.dir());
        assertThat(dump(follower)).isEqualTo(newState);
    }
}
