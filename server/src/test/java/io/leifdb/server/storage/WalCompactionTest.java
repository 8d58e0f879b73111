package io.leifdb.server.storage;

import static io.leifdb.server.storage.WalFixtures.THREE;
import static io.leifdb.server.storage.WalFixtures.entries;
import static io.leifdb.server.storage.WalFixtures.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.HardState;
import io.leifdb.raft.LogUnavailableException;
import io.leifdb.raft.SnapshotMeta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log compaction after a snapshot (§7) and snapshot installation, including crashes between the steps. */
class WalCompactionTest {
    private static final int DATA = 100;
    private static final long SEGMENT = 4096;

    @TempDir
    Path dir;

    @Test
    void compactionDeletesWholeSegmentsBelowTheSnapshotAndKeepsItsTerm() throws IOException {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.setConfState(THREE);
            wal.append(entries(1, 1, 100, DATA));
            wal.append(entries(2, 101, 200, DATA));
            wal.setHardState(new HardState(2, 1, 200));
            wal.sync();
            int before = segmentFiles(dir).size();
            long bytesBefore = wal.logBytes();

            wal.compact(new SnapshotMeta(150, 2, THREE));
            wal.sync();

            assertThat(segmentFiles(dir)).hasSizeLessThan(before);
            assertThat(wal.firstIndex()).isEqualTo(151);
            assertThat(wal.term(150)).isEqualTo(2);
            assertThat(wal.logBytes()).isEqualTo(bytesBefore * 50 / 200);
            assertThatThrownBy(() -> wal.term(149)).isInstanceOf(LogUnavailableException.class);
            assertThatThrownBy(() -> wal.entries(150, 152, Long.MAX_VALUE)).isInstanceOf(LogUnavailableException.class);
        }
        // every remaining segment holds something at or above the snapshot
        assertThat(Segment.parseName(segmentFiles(dir).get(0))).isLessThanOrEqualTo(151);
        assertThat(Segment.parseName(segmentFiles(dir).get(1))).isGreaterThan(151);
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.firstIndex()).isEqualTo(151);
            assertThat(wal.lastIndex()).isEqualTo(200);
            assertThat(wal.term(150)).isEqualTo(2);
            assertThat(wal.snapshotMeta()).isEqualTo(new SnapshotMeta(150, 2, THREE));
            assertThat(wal.hardState()).isEqualTo(new HardState(2, 1, 200));
            assertThat(wal.confState()).isEqualTo(THREE);
            assertThat(wal.entries(151, 201, Long.MAX_VALUE)).containsExactlyElementsOf(entries(2, 151, 200, DATA));
        }
    }

    @Test
    void repeatedCompactionsKeepTheLogReadableAcrossReopens() {
        long last = 0;
        for (int round = 1; round <= 5; round++) {
            try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
                assertThat(wal.lastIndex()).isEqualTo(last);
                wal.append(entries(round, last + 1, last + 120, DATA));
                wal.setHardState(new HardState(round, 1, last + 120));
                wal.sync();
                last += 120;
                wal.compact(new SnapshotMeta(last - 30, round, THREE));
                wal.sync();
            }
            try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
                assertThat(wal.firstIndex()).isEqualTo(last - 29);
                assertThat(wal.term(last - 30)).isEqualTo(round);
                assertThat(wal.entries(last - 29, last + 1, Long.MAX_VALUE))
                        .containsExactlyElementsOf(entries(round, last - 29, last, DATA));
                assertThat(wal.hardState().commit()).isEqualTo(last);
            }
        }
        assertThat(dir.toFile().list((d, n) -> n.endsWith(".seg"))).hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void compactionAfterAnOverwriteReachingIntoOlderSegmentsRecovers() throws IOException {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.append(entries(1, 1, 100, DATA));
            wal.sync();
            int before = segmentFiles(dir).size();
            // the active segment now holds 97..100 followed by a rewrite from 90: older than its name
            wal.append(entries(2, 90, 110, DATA));
            wal.compact(new SnapshotMeta(95, 2, THREE));
            wal.sync();
            assertThat(segmentFiles(dir)).hasSizeLessThan(before);
        }
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.firstIndex()).isEqualTo(96);
            assertThat(wal.term(95)).isEqualTo(2);
            assertThat(wal.entries(96, 111, Long.MAX_VALUE)).containsExactlyElementsOf(entries(2, 96, 110, DATA));
        }
    }

    @Test
    void compactionRejectsAnIndexPastTheLogOrAWrongTerm() {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.append(entries(3, 1, 10, DATA));
            assertThatThrownBy(() -> wal.compact(new SnapshotMeta(11, 3, THREE)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> wal.compact(new SnapshotMeta(5, 2, THREE)))
                    .isInstanceOf(IllegalArgumentException.class);
            wal.compact(new SnapshotMeta(10, 3, THREE));
            assertThat(wal.firstIndex()).isEqualTo(11);
            assertThat(wal.lastIndex()).isEqualTo(10);
            wal.append(entries(3, 11, 12, DATA));
            assertThat(wal.lastIndex()).isEqualTo(12);
        }
    }

    @Test
    void appliedSnapshotRestartsTheLogAfterIt() throws IOException {
        ConfState conf = ConfState.of(Set.of(1L, 2L, 3L), Set.of(4L));
        SnapshotMeta meta = new SnapshotMeta(1000, 7, conf);
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 1 << 20)) {
            wal.append(entries(1, 1, 100, DATA));
            wal.sync();
            wal.applySnapshot(meta);
            wal.sync();
            assertThat(wal.firstIndex()).isEqualTo(1001);
            assertThat(wal.lastIndex()).isEqualTo(1000);
            assertThat(wal.term(1000)).isEqualTo(7);
            assertThat(wal.confState()).isEqualTo(conf);
            assertThat(segmentFiles(dir)).extracting(p -> p.getFileName().toString())
                    .containsExactly("00000000000000001001.seg");
            wal.append(entries(7, 1001, 1010, DATA));
            wal.sync();
        }
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.snapshotMeta()).isEqualTo(meta);
            assertThat(wal.confState()).isEqualTo(conf);
            assertThat(wal.entries(1001, 1011, Long.MAX_VALUE)).containsExactlyElementsOf(entries(7, 1001, 1010, DATA));
        }
    }

    @Test
    void crashAfterSnapshotRecordBeforeOldSegmentsWereDeletedRecoversToTheSnapshot() throws IOException {
        SnapshotMeta meta = new SnapshotMeta(500, 4, THREE);
        Map<Path, byte[]> beforeDeletion;
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.append(entries(1, 1, 150, DATA));
            wal.setHardState(new HardState(3, 2, 150));
            wal.sync();
            wal.applySnapshot(meta); // the snapshot record is durable: sealing its segment fsynced it
            beforeDeletion = copyAll();
            wal.sync(); // deletes the old segments
        }
        restoreMissing(beforeDeletion);
        assertThat(segmentFiles(dir)).hasSizeGreaterThan(2);
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.snapshotMeta()).isEqualTo(meta);
            assertThat(wal.firstIndex()).isEqualTo(501);
            assertThat(wal.lastIndex()).isEqualTo(500);
            assertThat(wal.hardState()).isEqualTo(new HardState(3, 2, 150));
            wal.append(entries(4, 501, 520, DATA));
            wal.sync();
        }
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.entries(501, 521, Long.MAX_VALUE)).containsExactlyElementsOf(entries(4, 501, 520, DATA));
        }
    }

    @Test
    void crashAfterCompactionRecordBeforeSegmentsWereDeletedKeepsTheCompactedLog() throws IOException {
        Map<Path, byte[]> beforeDeletion;
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.append(entries(1, 1, 150, DATA));
            wal.sync();
            wal.compact(new SnapshotMeta(120, 1, THREE));
            wal.setHardState(new HardState(1, 1, 150));
            wal.sync();
            beforeDeletion = copyAll();
        }
        // simulate the deletion having happened only partly: put back every file it removed
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.sync();
        }
        restoreMissing(beforeDeletion);
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.firstIndex()).isEqualTo(121);
            assertThat(wal.term(120)).isEqualTo(1);
            assertThat(wal.entries(121, 151, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 121, 150, DATA));
        }
    }

    @Test
    void olderSnapshotThanTheCurrentOneIsRefused() {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.applySnapshot(new SnapshotMeta(50, 2, THREE));
            assertThatThrownBy(() -> wal.applySnapshot(new SnapshotMeta(40, 2, THREE)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private Map<Path, byte[]> copyAll() throws IOException {
        Map<Path, byte[]> copy = new HashMap<>();
        for (Path p : segmentFiles(dir)) copy.put(p, Files.readAllBytes(p));
        return copy;
    }

    private static void restoreMissing(Map<Path, byte[]> files) throws IOException {
        for (var e : files.entrySet()) {
            if (!Files.exists(e.getKey())) Files.write(e.getKey(), e.getValue());
        }
    }
}
