package io.leifdb.server.storage;

import static io.leifdb.server.storage.WalFixtures.entries;
import static io.leifdb.server.storage.WalFixtures.recordBytes;
import static io.leifdb.server.storage.WalFixtures.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.HardState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery of segments that were preallocated with zeros: the zeros after the last record are the
 * normal end and pass silently; a torn record inside that space is cut with a WARN; damage with
 * intact records after it is still corruption, named by file and offset.
 */
class PreallocatedRecoveryTest {
    private static final int DATA = 60;
    private static final long SEGMENT = 4096;

    @TempDir
    Path dir;

    private Path writeOneSegment(Path walDir, int n) throws IOException {
        try (SegmentedWal wal = SegmentedWal.open(walDir, SEGMENT, 0)) {
            if (n > 0) wal.append(entries(1, 1, n, DATA));
            wal.setHardState(new HardState(1, 1, n));
            wal.sync();
        }
        List<Path> files = segmentFiles(walDir);
        assertThat(files).hasSize(1);
        return files.get(0);
    }

    @Test
    void preallocatedSegmentWithZeroToManyRecordsReopensSilentlyAtItsLogicalEnd() throws IOException {
        int fits = (int) ((SEGMENT - RecordCodec.hardStateRecordBytes()) / recordBytes(DATA));
        for (int n = 0; n <= fits; n++) {
            Path walDir = dir.resolve("n" + n);
            Path seg = writeOneSegment(walDir, n);
            assertThat(Files.size(seg)).as("preallocated to full size").isEqualTo(SEGMENT);
            try (LogCapture logs = new LogCapture(WalRecovery.class);
                 SegmentedWal wal = SegmentedWal.open(walDir, SEGMENT, 0)) {
                assertThat(wal.lastIndex()).as("%d records", n).isEqualTo(n);
                assertThat(wal.hardState()).isEqualTo(new HardState(1, 1, n));
                assertThat(wal.entries(1, n + 1, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 1, n, DATA));
                assertThat(logs.warnings()).as("zeros after the records are no torn tail").isEmpty();
                // writing resumes at the logical end, not at the end of the file
                wal.append(entries(1, n + 1, n + 1, DATA));
                wal.sync();
            }
            try (SegmentedWal wal = SegmentedWal.open(walDir, SEGMENT, 0)) {
                assertThat(wal.entries(1, n + 2, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 1, n + 1, DATA));
            }
        }
    }

    @Test
    void tornTailInsidePreallocatedSpaceAtEveryByteOfTheLastRecordRecoversToThePreviousRecord() throws IOException {
        WalFixtures.crashAfter(dir, SEGMENT, wal -> { // no close: nothing marks the last batch as synced
            wal.append(entries(1, 1, 5, DATA));
            wal.setHardState(new HardState(1, 1, 5));
            wal.sync();
        });
        Path seg = segmentFiles(dir).getFirst();
        byte[] pristine = Files.readAllBytes(seg);
        int hardState = RecordCodec.hardStateRecordBytes();
        int lastStart = 5 * recordBytes(DATA);
        int lastEnd = lastStart + hardState; // the hard state record is the last one
        assertThat(WalFixtures.usedBytes(seg)).isEqualTo(lastEnd);
        for (int cut = lastStart; cut < lastEnd; cut++) {
            // the record's bytes from cut on never reached the disk: they read as the preallocated zeros
            byte[] torn = pristine.clone();
            java.util.Arrays.fill(torn, cut, lastEnd, (byte) 0);
            Files.write(seg, torn);
            try (LogCapture logs = new LogCapture(WalRecovery.class);
                 SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
                assertThat(wal.lastIndex()).as("cut at %d", cut).isEqualTo(5);
                assertThat(wal.hardState()).as("cut at %d", cut).isEqualTo(new HardState(0, 0, 0));
                boolean somethingWritten = !WalFixtures.allZero(torn, lastStart, cut);
                assertThat(logs.warnings()).as("cut at %d", cut).hasSize(somethingWritten ? 1 : 0);
                if (somethingWritten) assertThat(logs.warnings().get(0)).contains("torn tail", "offset " + lastStart);
            }
            byte[] after = Files.readAllBytes(seg);
            assertThat(after).as("cut in place: still preallocated").hasSize((int) SEGMENT);
            assertThat(WalFixtures.allZero(after, lastStart, after.length)).as("cut at %d", cut).isTrue();
        }
    }

    @Test
    void nonZeroGarbageRecordFollowedByValidRecordsIsCorruption() throws IOException {
        Path seg = writeOneSegment(dir, 5);
        byte[] bytes = Files.readAllBytes(seg);
        int second = recordBytes(DATA);
        byte[] garbage = new byte[recordBytes(DATA)];
        new Random(7).nextBytes(garbage);
        System.arraycopy(garbage, 0, bytes, second, garbage.length);
        Files.write(seg, bytes);
        assertThatThrownBy(() -> SegmentedWal.open(dir, SEGMENT, 0))
                .isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining(seg.toString())
                .hasMessageContaining("offset " + second);
        assertThat(Files.readAllBytes(seg)).as("nothing is cut when recovery refuses").isEqualTo(bytes);
    }

    @Test
    void zeroedRecordFollowedByValidRecordsIsCorruptionNotTheEnd() throws IOException {
        Path seg = writeOneSegment(dir, 5);
        long third = 2L * recordBytes(DATA);
        WalFixtures.zero(seg, third, third + recordBytes(DATA)); // a lost sector inside the synced log
        assertThatThrownBy(() -> SegmentedWal.open(dir, SEGMENT, 0))
                .isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining(seg.toString())
                .hasMessageContaining("offset " + third);
    }

    @Test
    void bitFlipInAMiddleRecordOfAPreallocatedSegmentNamesFileAndOffset() throws IOException {
        Path seg = writeOneSegment(dir, 5);
        long fourth = 3L * recordBytes(DATA);
        WalFixtures.flipBit(seg, fourth + 30);
        assertThatThrownBy(() -> SegmentedWal.open(dir, SEGMENT, 0))
                .isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining(seg.toString())
                .hasMessageContaining("offset " + fourth)
                .hasMessageContaining("checksum");
    }

    @Test
    void lengthDamagedToReachIntoTheZerosIsCorruptionWhenIntactRecordsFollow() throws IOException {
        Path seg = writeOneSegment(dir, 5);
        long third = 2L * recordBytes(DATA);
        byte[] bytes = Files.readAllBytes(seg);
        bytes[(int) third + 2] ^= 0x01; // the record now claims to end inside the preallocated zeros
        Files.write(seg, bytes);
        assertThatThrownBy(() -> SegmentedWal.open(dir, SEGMENT, 0))
                .isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining("offset " + third);
    }

    @Test
    void sealedSegmentsEndSilentlyAtTheirZerosAndDamageThereIsCorruption() throws IOException {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.append(entries(1, 1, 200, DATA));
            wal.sync();
        }
        List<Path> files = segmentFiles(dir);
        assertThat(files).hasSizeGreaterThan(2);
        for (Path f : files) assertThat(Files.size(f)).isEqualTo(SEGMENT);
        try (LogCapture logs = new LogCapture(WalRecovery.class);
             SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.entries(1, 201, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 1, 200, DATA));
            assertThat(logs.warnings()).isEmpty();
        }
        // non-zero bytes in a sealed segment's unused space were never written by the WAL
        Path first = files.get(0);
        long used = WalFixtures.usedBytes(first);
        WalFixtures.flipBit(first, SEGMENT - 1);
        assertThatThrownBy(() -> SegmentedWal.open(dir, SEGMENT, 0))
                .isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining(first.toString())
                .hasMessageContaining("offset " + used);
    }
}
