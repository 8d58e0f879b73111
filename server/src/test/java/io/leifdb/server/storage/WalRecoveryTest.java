package io.leifdb.server.storage;

import static io.leifdb.server.storage.WalFixtures.entries;
import static io.leifdb.server.storage.WalFixtures.entry;
import static io.leifdb.server.storage.WalFixtures.recordBytes;
import static io.leifdb.server.storage.WalFixtures.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.HardState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash recovery: torn tails are cut, damage before the tail is refused with file and offset. */
class WalRecoveryTest {
    private static final int DATA = 60;
    private static final long SEGMENT = 4096;

    @TempDir
    Path dir;

    /** Writes entries 1..n in one segment and closes it, which marks all of it synced; returns that segment file. */
    private Path writeOneSegment(int n) throws IOException {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.append(entries(1, 1, n, DATA));
            wal.sync();
        }
        return onlySegment();
    }

    /**
     * Writes and syncs entries 1..n in one segment, then crashes: with no write after the sync,
     * no sync mark covers the batch, so damage to it is taken for a torn write.
     */
    private Path crashedOneSegment(int n) throws IOException {
        WalFixtures.crashAfter(dir, SEGMENT, wal -> {
            wal.append(entries(1, 1, n, DATA));
            wal.sync();
        });
        return onlySegment();
    }

    private Path onlySegment() throws IOException {
        List<Path> files = segmentFiles(dir);
        assertThat(files).hasSize(1);
        return files.get(0);
    }

    /** A segment that ends inside its last record: not preallocated, or cut back after a failed write. */
    @Test
    void fileEndingAtEveryByteOfTheLastRecordRecoversToThePreviousRecord() throws IOException {
        Path seg = crashedOneSegment(5);
        int lastStart = 4 * recordBytes(DATA);
        int used = 5 * recordBytes(DATA);
        byte[] full = Files.readAllBytes(seg);
        assertThat(WalFixtures.allZero(full, used, full.length)).as("zeros after the records").isTrue();
        byte[] pristine = java.util.Arrays.copyOf(full, used);
        for (int cut = lastStart; cut < pristine.length; cut++) {
            Files.write(seg, java.util.Arrays.copyOf(pristine, cut));
            try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
                assertThat(wal.lastIndex()).as("cut at %d", cut).isEqualTo(4);
                assertThat(wal.entries(1, 5, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 1, 4, DATA));
            }
            byte[] after = Files.readAllBytes(seg);
            assertThat(WalFixtures.allZero(after, lastStart, after.length)).as("nothing survives past the record boundary").isTrue();
        }
    }

    @Test
    void logKeepsGrowingAfterATornTailWasCut() throws IOException {
        Path seg = crashedOneSegment(5);
        long used = WalFixtures.usedBytes(seg);
        WalFixtures.zero(seg, used - 7, used);
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.append(entries(2, 5, 8, DATA));
            wal.sync();
        }
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.lastIndex()).isEqualTo(8);
            assertThat(wal.entries(5, 9, Long.MAX_VALUE)).containsExactlyElementsOf(entries(2, 5, 8, DATA));
        }
    }

    @Test
    void lastRecordWithBadChecksumIsATornTail() throws IOException {
        Path seg = crashedOneSegment(5);
        WalFixtures.flipBit(seg, WalFixtures.usedBytes(seg) - 3);
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.lastIndex()).isEqualTo(4);
        }
    }

    @Test
    void lastRecordWithBadChecksumAfterACleanCloseIsCorruption() throws IOException {
        Path seg = writeOneSegment(5);
        long lastEntry = 4L * recordBytes(DATA);
        WalFixtures.flipBit(seg, lastEntry + 30);
        assertThatThrownBy(() -> SegmentedWal.open(dir, SEGMENT, 0))
                .isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining(seg.toString())
                .hasMessageContaining("offset " + lastEntry + ": checksum mismatch, yet the sync mark at byte offset "
                        + 5 * recordBytes(DATA));
    }

    @Test
    void zeroFilledTailAfterADamagedRecordIsCutInPlace() throws IOException {
        Path seg = crashedOneSegment(5);
        // the file system extended the file for an unsynced write but never wrote the pages
        Files.write(seg, new byte[5000], StandardOpenOption.APPEND);
        long size = Files.size(seg);
        int lastStart = 4 * recordBytes(DATA);
        WalFixtures.flipBit(seg, lastStart + 20);
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.lastIndex()).isEqualTo(4);
        }
        byte[] after = Files.readAllBytes(seg);
        assertThat(after).as("cut by zeroing, so the preallocated length stays").hasSize((int) size);
        assertThat(WalFixtures.allZero(after, lastStart, after.length)).isTrue();
    }

    @Test
    void bitFlipInANonLastRecordFailsNamingFileAndOffset() throws IOException {
        Path seg = writeOneSegment(5);
        long thirdRecord = 2L * recordBytes(DATA);
        WalFixtures.flipBit(seg, thirdRecord + recordBytes(DATA) / 2);
        long before = Files.size(seg);
        assertThatThrownBy(() -> SegmentedWal.open(dir, SEGMENT, 0))
                .isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining(seg.toString())
                .hasMessageContaining("offset " + thirdRecord)
                .hasMessageContaining("checksum");
        assertThat(Files.size(seg)).as("nothing is cut when recovery refuses").isEqualTo(before);
    }

    @Test
    void bitFlipInTheLengthOfANonLastRecordIsCorruption() throws IOException {
        Path seg = writeOneSegment(5);
        WalFixtures.flipBit(seg, recordBytes(DATA) + 3); // low byte of the second record's length
        assertThatThrownBy(() -> SegmentedWal.open(dir, SEGMENT, 0))
                .isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining("offset " + recordBytes(DATA));
    }

    @Test
    void lengthDamagedToRunPastTheEndIsCorruptionWhenIntactRecordsFollow() throws IOException {
        Path seg = writeOneSegment(5);
        WalFixtures.truncate(seg, WalFixtures.usedBytes(seg)); // a segment that is not preallocated
        long third = 2L * recordBytes(DATA);
        byte[] bytes = Files.readAllBytes(seg);
        bytes[(int) third + 2] ^= 0x01; // length grows by 256: the record now claims to end past the file
        Files.write(seg, bytes);
        assertThatThrownBy(() -> SegmentedWal.open(dir, SEGMENT, 0))
                .isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining("offset " + third)
                .hasMessageContaining("runs past the end");
    }

    @Test
    void damageAtTheEndOfANonLastSegmentIsCorruptionNotATornTail() throws IOException {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.append(entries(1, 1, 200, DATA));
            wal.sync();
        }
        List<Path> files = segmentFiles(dir);
        assertThat(files).hasSizeGreaterThan(2);
        Path first = files.get(0);
        long size = WalFixtures.usedBytes(first);
        long lastRecord = size - recordBytes(DATA);
        WalFixtures.flipBit(first, size - 2);
        assertThatThrownBy(() -> SegmentedWal.open(dir, SEGMENT, 0))
                .isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining(first.toString())
                .hasMessageContaining("offset " + lastRecord);
        // and a segment cut short in the middle of the log
        WalFixtures.flipBit(first, size - 2);
        WalFixtures.truncate(files.get(1), 100);
        assertThatThrownBy(() -> SegmentedWal.open(dir, SEGMENT, 0))
                .isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining(files.get(1).toString());
    }

    @Test
    void missingSegmentInTheMiddleIsCorruption() throws IOException {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.append(entries(1, 1, 200, DATA));
            wal.sync();
        }
        List<Path> files = segmentFiles(dir);
        Files.delete(files.get(1));
        assertThatThrownBy(() -> SegmentedWal.open(dir, SEGMENT, 0))
                .isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining(files.get(2).toString())
                .hasMessageContaining("gap");
    }

    @Test
    void unsyncedStateBehindATornTailFallsBackToTheLastSyncedState() throws IOException {
        WalFixtures.crashAfter(dir, SEGMENT, wal -> {
            wal.append(List.of(entry(1, 1, DATA)));
            wal.setHardState(new HardState(1, 1, 1));
            wal.sync();
            wal.setHardState(new HardState(2, 2, 1));
            wal.startSync(); // written out; the crash comes before the fsync
        });
        Path seg = segmentFiles(dir).get(0);
        long used = WalFixtures.usedBytes(seg);
        WalFixtures.zero(seg, used - 1, used);
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.hardState()).isEqualTo(new HardState(1, 1, 1));
            assertThat(wal.lastIndex()).isEqualTo(1);
        }
    }
}
