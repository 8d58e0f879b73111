package io.leifdb.server.storage;

import static io.leifdb.server.storage.WalFixtures.entries;
import static io.leifdb.server.storage.WalFixtures.entry;
import static io.leifdb.server.storage.WalFixtures.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Entry;
import io.leifdb.raft.HardState;
import io.leifdb.raft.LogUnavailableException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentedWalTest {
    private static final long SEGMENT = 8 << 10;

    @TempDir
    Path dir;

    @Test
    void freshLogIsEmptyAndStartsAtOne() {
        try (SegmentedWal wal = SegmentedWal.open(dir)) {
            assertThat(wal.firstIndex()).isEqualTo(1);
            assertThat(wal.lastIndex()).isZero();
            assertThat(wal.term(0)).isZero();
            assertThat(wal.hardState()).isEqualTo(HardState.EMPTY);
            assertThat(wal.entries(1, 1, Long.MAX_VALUE)).isEmpty();
        }
        assertThat(dir.resolve("00000000000000000001.seg")).exists();
    }

    @Test
    void entriesRoundTripAcrossSegmentRollover() throws Exception {
        List<Entry> written = entries(1, 1, 300, 100);
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            for (int i = 0; i < written.size(); i += 7) {
                wal.append(written.subList(i, Math.min(i + 7, written.size())));
                wal.sync();
            }
            assertThat(wal.entries(1, 301, Long.MAX_VALUE)).containsExactlyElementsOf(written);
        }
        List<Path> files = segmentFiles(dir);
        assertThat(files).hasSizeGreaterThan(3);
        for (Path f : files) assertThat(f.toFile().length()).isLessThanOrEqualTo(SEGMENT);
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.firstIndex()).isEqualTo(1);
            assertThat(wal.lastIndex()).isEqualTo(300);
            assertThat(wal.entries(1, 301, Long.MAX_VALUE)).containsExactlyElementsOf(written);
            assertThat(wal.term(150)).isEqualTo(1);
            assertThat(wal.logBytes()).isEqualTo(300L * WalFixtures.recordBytes(100));
        }
    }

    @Test
    void segmentsAreNamedByTheirFirstIndex() throws Exception {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.append(entries(1, 1, 200, 100));
            wal.sync();
        }
        int perSegment = (int) (SEGMENT / WalFixtures.recordBytes(100));
        assertThat(segmentFiles(dir).subList(0, 2)).extracting(p -> p.getFileName().toString())
                .containsExactly("00000000000000000001.seg", String.format("%020d.seg", perSegment + 1));
    }

    @Test
    void readsFromCacheAndDiskAgree() {
        List<Entry> written = entries(2, 1, 500, 64);
        try (SegmentedWal cached = SegmentedWal.open(dir.resolve("a"), SEGMENT, 1 << 20);
             SegmentedWal uncached = SegmentedWal.open(dir.resolve("b"), SEGMENT, 0)) {
            cached.append(written);
            uncached.append(written);
            assertThat(cached.entries(1, 501, Long.MAX_VALUE)).isEqualTo(uncached.entries(1, 501, Long.MAX_VALUE))
                    .containsExactlyElementsOf(written);
            assertThat(cached.entries(480, 490, Long.MAX_VALUE)).isEqualTo(written.subList(479, 489));
        }
    }

    @Test
    void entriesStopBeforeMaxBytesButReturnAtLeastOne() {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.append(entries(1, 1, 10, 100));
            long one = entry(1, 1, 100).sizeBytes();
            assertThat(wal.entries(1, 11, 3 * one)).hasSize(3);
            assertThat(wal.entries(1, 11, 3 * one - 1)).hasSize(2);
            assertThat(wal.entries(4, 11, 1)).containsExactly(entry(1, 4, 100));
        }
    }

    @Test
    void outOfRangeReadsThrowLogUnavailable() {
        try (SegmentedWal wal = SegmentedWal.open(dir)) {
            wal.append(entries(1, 1, 5, 10));
            assertThatThrownBy(() -> wal.entries(1, 7, Long.MAX_VALUE)).isInstanceOf(LogUnavailableException.class);
            assertThatThrownBy(() -> wal.term(6)).isInstanceOf(LogUnavailableException.class);
            assertThatThrownBy(() -> wal.append(List.of(entry(1, 8, 10))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gap");
        }
    }

    @Test
    void conflictingSuffixIsReplacedAndStaysReplacedAfterReopen() {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 1 << 20)) {
            wal.append(entries(1, 1, 150, 100));
            wal.sync();
            // a new leader of term 2 overwrites from index 40, which lies in an earlier segment
            wal.append(entries(2, 40, 60, 100));
            wal.sync();
            assertThat(wal.lastIndex()).isEqualTo(60);
            assertThat(wal.term(39)).isEqualTo(1);
            assertThat(wal.term(40)).isEqualTo(2);
            wal.append(entries(2, 61, 200, 100));
            wal.sync();
        }
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.lastIndex()).isEqualTo(200);
            assertThat(wal.entries(1, 40, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 1, 39, 100));
            assertThat(wal.entries(40, 201, Long.MAX_VALUE)).containsExactlyElementsOf(entries(2, 40, 200, 100));
            assertThat(wal.logBytes()).isEqualTo(200L * WalFixtures.recordBytes(100));
        }
    }

    @Test
    void truncatingToAShorterLogSurvivesReopen() {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.append(entries(1, 1, 20, 10));
            wal.append(entries(3, 5, 5, 10));
            wal.sync();
        }
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.lastIndex()).isEqualTo(5);
            assertThat(wal.entries(1, 6, Long.MAX_VALUE)).containsExactlyElementsOf(
                    List.of(entry(1, 1, 10), entry(1, 2, 10), entry(1, 3, 10), entry(1, 4, 10), entry(3, 5, 10)));
        }
    }

    @Test
    void latestHardStateAndConfStateSurviveReopen() {
        ConfState five = ConfState.of(Set.of(1L, 2L, 3L, 4L, 5L), Set.of(6L));
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.setHardState(new HardState(1, 1, 0));
            wal.setConfState(WalFixtures.THREE);
            wal.sync();
            wal.append(entries(1, 1, 200, 100)); // rolls segments between the two hard states
            wal.setHardState(new HardState(4, 2, 150));
            wal.setConfState(five);
            wal.sync();
        }
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.hardState()).isEqualTo(new HardState(4, 2, 150));
            assertThat(wal.confState()).isEqualTo(five);
            wal.setHardState(new HardState(5, 0, 150));
            wal.sync();
        }
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.hardState()).isEqualTo(new HardState(5, 0, 150));
        }
    }

    @Test
    void aBufferedHardStateGoesOutWithTheNextAppendAndAtClose() {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.setHardState(new HardState(2, 1, 0)); // buffered, then written with the entries
            wal.append(entries(2, 1, 150, 100)); // rolls segments with the record still ahead of them
            wal.sync();
            wal.setHardState(new HardState(2, 1, 140)); // a commit-only change, never synced on its own
        }
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.hardState()).isEqualTo(new HardState(2, 1, 140));
            assertThat(wal.lastIndex()).isEqualTo(150);
            assertThat(wal.entries(1, 151, Long.MAX_VALUE)).containsExactlyElementsOf(entries(2, 1, 150, 100));
        }
    }

    @Test
    @SuppressWarnings("try") // the open log holds the directory lock: holding it is its use
    void secondOpenOfTheSameDirectoryIsRefused() {
        try (SegmentedWal wal = SegmentedWal.open(dir)) {
            assertThatThrownBy(() -> SegmentedWal.open(dir))
                    .isInstanceOf(StorageException.class).hasMessageContaining("in use");
        }
    }
}
