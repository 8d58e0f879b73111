package io.leifdb.server.kv;

import static io.leifdb.server.kv.KvFixtures.puts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTransferTest {
    private static final int CHUNK = 4096;

    @TempDir
    Path dir;
    private KvStore sourceKv;
    private KvStore targetKv;
    private SnapshotStore source;
    private SnapshotStore target;
    private SnapshotInfo snapshot;

    @BeforeEach
    void setUp() throws IOException {
        sourceKv = KvStore.open(dir.resolve("a/kv"));
        targetKv = KvStore.open(dir.resolve("b/kv"));
        source = SnapshotStore.open(dir.resolve("a/snapshots"), sourceKv);
        target = SnapshotStore.open(dir.resolve("b/snapshots"), targetKv);
        sourceKv.apply(puts(1, 400, 97));
        snapshot = source.take(400, KvFixtures.TERM, new byte[] {1, 2});
    }

    @AfterEach
    void tearDown() {
        sourceKv.close();
        targetKv.close();
    }

    private List<SnapshotChunk> chunks() throws IOException {
        List<SnapshotChunk> all = new ArrayList<>();
        try (SnapshotReader reader = source.reader(snapshot, CHUNK)) {
            reader.forEachRemaining(all::add);
        }
        return all;
    }

    @Test
    void chunksCoverEveryFileInOrderWithTheLastFlagOnEachFilesFinalChunk() throws IOException {
        List<SnapshotChunk> all = chunks();
        assertThat(all.get(0).file()).isEqualTo(SnapshotManifest.FILE_NAME);
        assertThat(all).allMatch(c -> c.data().length <= CHUNK).allMatch(SnapshotChunk::intact);
        for (int i = 0; i < all.size(); i++) {
            boolean endsFile = i == all.size() - 1 || !all.get(i + 1).file().equals(all.get(i).file());
            assertThat(all.get(i).last()).as("chunk %d of %s", i, all.get(i).file()).isEqualTo(endsFile);
        }
        assertThat(all.stream().map(SnapshotChunk::file).distinct().count())
                .as("every file once, in one run").isEqualTo(all.stream().filter(SnapshotChunk::last).count());
        long dataBytes = all.stream().filter(c -> !c.file().equals(SnapshotManifest.FILE_NAME))
                .mapToLong(c -> c.data().length).sum();
        assertThat(dataBytes).isEqualTo(snapshot.sizeBytes());
        assertThat(all.size()).isGreaterThan(2);
    }

    @Test
    void roundTripYieldsAnIdenticalCompleteSnapshot() throws IOException {
        SnapshotInfo received;
        try (SnapshotWriter writer = target.receive()) {
            for (SnapshotChunk c : chunks()) writer.accept(c);
            received = writer.finish();
        }
        assertThat(received.index()).isEqualTo(400);
        assertThat(received.confData()).containsExactly(1, 2);
        assertThat(target.latest()).contains(received);
        SnapshotManifest sent = SnapshotManifest.read(snapshot.dir());
        SnapshotManifest got = SnapshotManifest.read(received.dir());
        assertThat(got.files()).isEqualTo(sent.files());
        got.verify(received.dir());
        assertThat(KvFixtures.childNames(dir.resolve("b/snapshots"))).containsExactly("400-" + KvFixtures.TERM);
    }

    @Test
    void aReceivedSnapshotInstallsIntoTheReceiversStore() throws IOException {
        targetKv.apply(puts(1, 10, 3));
        SnapshotInfo received;
        try (SnapshotWriter writer = target.receive()) {
            for (SnapshotChunk c : chunks()) writer.accept(c);
            received = writer.finish();
        }
        targetKv.installSnapshot(received.dir());
        assertThat(targetKv.appliedIndex()).isEqualTo(400);
        assertThat(KvFixtures.dump(targetKv)).isEqualTo(KvFixtures.dump(sourceKv));
    }

    @Test
    void aCorruptedChunkIsRefusedAndMayBeResent() throws IOException {
        List<SnapshotChunk> all = chunks();
        int victim = all.size() / 2;
        try (SnapshotWriter writer = target.receive()) {
            for (int i = 0; i < all.size(); i++) {
                SnapshotChunk c = all.get(i);
                if (i == victim) {
                    byte[] flipped = c.data().clone();
                    flipped[flipped.length / 2] ^= 0x40;
                    SnapshotChunk bad = new SnapshotChunk(c.file(), c.offset(), flipped, c.crc32c(), c.last());
                    assertThatThrownBy(() -> writer.accept(bad)).isInstanceOf(SnapshotCorruptException.class);
                }
                writer.accept(c);
            }
            writer.finish().dir();
        }
        assertThat(target.latest()).isPresent();
    }

    @Test
    void dataAlteredBeforeChecksummingFailsTheWholeFileCheck() throws IOException {
        List<SnapshotChunk> all = chunks();
        // A chunk of an SST whose own CRC is recomputed after the damage, so only the file CRC can tell.
        SnapshotChunk c = all.stream().filter(ch -> ch.file().endsWith(".sst") && ch.data().length > 0)
                .findFirst().orElseThrow();
        int victim = all.indexOf(c);
        byte[] altered = c.data().clone();
        altered[0] ^= 0x01;
        all.set(victim, SnapshotChunk.of(c.file(), c.offset(), altered, c.last()));
        try (SnapshotWriter writer = target.receive()) {
            assertThatThrownBy(() -> {
                for (SnapshotChunk chunk : all) writer.accept(chunk);
                writer.finish();
            }).isInstanceOf(SnapshotCorruptException.class).hasMessageContaining("CRC32C");
        }
        assertThat(target.latest()).isEmpty();
        assertThat(KvFixtures.childNames(dir.resolve("b/snapshots"))).isEmpty();
    }

    @Test
    void aMissingChunkFailsTheTransfer() throws IOException {
        List<SnapshotChunk> all = chunks();
        SnapshotChunk dropped = all.stream().filter(ch -> ch.offset() > 0).findFirst().orElseThrow();
        all.remove(dropped);
        try (SnapshotWriter writer = target.receive()) {
            assertThatThrownBy(() -> {
                for (SnapshotChunk chunk : all) writer.accept(chunk);
            }).isInstanceOf(SnapshotCorruptException.class);
            assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class);
        }
        assertThat(target.latest()).isEmpty();
    }

    @Test
    void aFileThatStartsBeforeThePreviousOnesLastChunkIsRefused() throws IOException {
        List<SnapshotChunk> all = chunks();
        int end = all.indexOf(all.stream().filter(SnapshotChunk::last).skip(1).findFirst().orElseThrow());
        SnapshotChunk c = all.get(end);
        all.set(end, new SnapshotChunk(c.file(), c.offset(), c.data(), c.crc32c(), false));
        try (SnapshotWriter writer = target.receive()) {
            assertThatThrownBy(() -> {
                for (SnapshotChunk chunk : all) writer.accept(chunk);
            }).isInstanceOf(SnapshotCorruptException.class).hasMessageContaining("before the last chunk of " + c.file());
        }
        assertThat(KvFixtures.childNames(dir.resolve("b/snapshots"))).isEmpty();
    }

    @Test
    void aTruncatedTransferCannotFinish() throws IOException {
        List<SnapshotChunk> all = chunks();
        try (SnapshotWriter writer = target.receive()) {
            for (SnapshotChunk chunk : all.subList(0, all.size() - 1)) writer.accept(chunk);
            assertThatThrownBy(writer::finish).isInstanceOf(SnapshotCorruptException.class);
        }
        assertThat(KvFixtures.childNames(dir.resolve("b/snapshots"))).isEmpty();
    }

    @Test
    void dataBeforeTheManifestOrOutsideItIsRefused() throws IOException {
        List<SnapshotChunk> all = chunks();
        SnapshotChunk data = all.get(all.size() - 1);
        try (SnapshotWriter writer = target.receive()) {
            assertThatThrownBy(() -> writer.accept(data)).isInstanceOf(SnapshotCorruptException.class)
                    .hasMessageContaining(SnapshotManifest.FILE_NAME);
        }
        try (SnapshotWriter writer = target.receive()) {
            writer.accept(all.get(0));
            SnapshotChunk stranger = SnapshotChunk.of("../../escape", 0, new byte[] {1}, false);
            assertThatThrownBy(() -> writer.accept(stranger)).isInstanceOf(SnapshotCorruptException.class);
        }
        assertThat(Files.exists(dir.resolve("escape"))).isFalse();
    }

    @Test
    void receivingASnapshotAlreadyHeldKeepsTheExistingOne() throws IOException {
        List<SnapshotChunk> all = chunks();
        SnapshotInfo first;
        try (SnapshotWriter writer = target.receive()) {
            for (SnapshotChunk c : all) writer.accept(c);
            first = writer.finish();
        }
        try (SnapshotWriter writer = target.receive()) {
            for (SnapshotChunk c : all) writer.accept(c);
            assertThat(writer.finish()).isEqualTo(first);
        }
        assertThat(target.list()).hasSize(1);
        assertThat(KvFixtures.childNames(dir.resolve("b/snapshots"))).hasSize(1);
    }
}
