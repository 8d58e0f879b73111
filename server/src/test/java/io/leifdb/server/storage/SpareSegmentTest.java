package io.leifdb.server.storage;

import static io.leifdb.server.storage.WalFixtures.entries;
import static io.leifdb.server.storage.WalFixtures.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.leifdb.raft.HardState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The next segment is zero-filled ahead of need, so a roll is a rename. A half-made spare left by
 * a crash, or one that ran out of disk, never becomes part of the log.
 */
class SpareSegmentTest {
    private static final int DATA = 100;
    private static final long SEGMENT = 8 << 10;
    /** No spare ahead of time: the roll preallocates on the writer's thread. */
    private static final Executor AT_THE_ROLL = task -> { };

    @TempDir
    Path dir;

    private Path spareFile() {
        return dir.resolve(SpareSegment.FILE_NAME);
    }

    @Test
    void rollRenamesTheSparePreparedAheadAndStartsTheNextOne() throws IOException {
        List<Runnable> queued = new ArrayList<>();
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0, ChannelFactory.DEFAULT, queued::add)) {
            assertThat(queued).as("the next spare was asked for at open").hasSize(1);
            assertThat(spareFile()).doesNotExist();
            queued.remove(0).run(); // the background thread's work, done here at a known moment
            assertThat(Files.size(spareFile())).isEqualTo(SEGMENT);
            assertThat(WalFixtures.allZero(Files.readAllBytes(spareFile()), 0, (int) SEGMENT)).isTrue();
            Object spareInode = Files.getAttribute(spareFile(), "unix:ino");

            int perSegment = (int) (SEGMENT / WalFixtures.recordBytes(DATA));
            wal.append(entries(1, 1, perSegment + 1, DATA)); // one past the first segment: one roll
            wal.sync();

            List<Path> files = segmentFiles(dir);
            assertThat(files).hasSize(2);
            assertThat(Files.getAttribute(files.get(1), "unix:ino")).as("the spare became the segment").isEqualTo(spareInode);
            assertThat(spareFile()).doesNotExist();
            assertThat(queued).as("its successor was asked for").hasSize(1);
            for (Path f : files) assertThat(Files.size(f)).isEqualTo(SEGMENT);
            assertThat(wal.entries(1, perSegment + 2, Long.MAX_VALUE))
                    .containsExactlyElementsOf(entries(1, 1, perSegment + 1, DATA));
        }
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.lastIndex()).isEqualTo(SEGMENT / WalFixtures.recordBytes(DATA) + 1);
        }
    }

    @Test
    void rollWithNoSpareReadyPreallocatesItThen() throws IOException {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0, ChannelFactory.DEFAULT, AT_THE_ROLL)) {
            for (long i = 1; i <= 300; i += 10) {
                wal.append(entries(1, i, i + 9, DATA));
                wal.sync();
            }
            assertThat(spareFile()).doesNotExist();
        }
        List<Path> files = segmentFiles(dir);
        assertThat(files).hasSizeGreaterThan(3);
        for (Path f : files) assertThat(Files.size(f)).isEqualTo(SEGMENT);
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.entries(1, 301, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 1, 300, DATA));
        }
    }

    @Test
    void backgroundThreadMakesSparesAcrossManyRollsAndStopsOnClose() throws IOException {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            for (long i = 1; i <= 1000; i += 25) {
                wal.append(entries(1, i, i + 24, DATA));
                wal.setHardState(new HardState(1, 1, i + 24));
                wal.sync();
            }
        }
        assertThat(spareFile()).as("close removes the spare").doesNotExist();
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("wal-spare-segment")));
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.entries(1, 1001, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 1, 1000, DATA));
            assertThat(wal.hardState()).isEqualTo(new HardState(1, 1, 1000));
        }
    }

    @Test
    void halfWrittenSpareLeftByACrashIsDiscardedOnReopen() throws IOException {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.append(entries(1, 1, 30, DATA));
            wal.setHardState(new HardState(1, 1, 30));
            wal.sync();
        }
        // the crash hit while zero-filling a spare that reused a file holding records: they must not replay
        Path first = segmentFiles(dir).get(0);
        byte[] recordsAndZeros = Files.readAllBytes(first);
        Files.write(spareFile(), java.util.Arrays.copyOf(recordsAndZeros, 5000));
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0, ChannelFactory.DEFAULT, AT_THE_ROLL)) {
            assertThat(spareFile()).doesNotExist();
            assertThat(segmentFiles(dir)).containsExactly(first);
            assertThat(wal.lastIndex()).isEqualTo(30);
            wal.append(entries(1, 31, 200, DATA)); // rolls several times from here
            wal.sync();
        }
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.entries(1, 201, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 1, 200, DATA));
        }
    }

    @Test
    void crashRightAfterTheRenameLeavesAnAllZeroLastSegmentThatReopensSilently() throws IOException {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.append(entries(1, 1, 30, DATA));
            wal.setHardState(new HardState(1, 1, 30));
            wal.sync();
        }
        Path renamed = dir.resolve(Segment.fileName(31));
        Files.write(renamed, new byte[(int) SEGMENT]); // no state header written yet
        try (LogCapture logs = new LogCapture(WalRecovery.class);
             SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.lastIndex()).isEqualTo(30);
            assertThat(wal.hardState()).isEqualTo(new HardState(1, 1, 30));
            assertThat(logs.warnings()).isEmpty();
            wal.append(entries(2, 31, 40, DATA));
            wal.setHardState(new HardState(2, 2, 40));
            wal.sync();
        }
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.entries(31, 41, Long.MAX_VALUE)).containsExactlyElementsOf(entries(2, 31, 40, DATA));
            assertThat(wal.hardState()).isEqualTo(new HardState(2, 2, 40));
        }
    }

    @Test
    void diskFullWhilePreallocatingFailsClearlyAndLeavesTheSyncedLogWhole() throws IOException {
        FailingChannel.Disk disk = new FailingChannel.Disk();
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0, disk.factory(), AT_THE_ROLL)) {
            wal.append(entries(1, 1, 10, DATA));
            wal.setHardState(new HardState(1, 1, 10));
            wal.sync();
            disk.bytesLeft.set(SEGMENT); // the first segment fills up, then half the next zero-fill fits
            assertThatThrownBy(() -> wal.append(entries(1, 11, 200, DATA)))
                    .isInstanceOf(StorageException.class)
                    .hasMessageStartingWith("disk full preallocating the segment after")
                    .hasMessageContaining("00000000000000000001.seg")
                    .hasMessageContaining("No space left on device");
            assertThat(spareFile()).as("a failed fill leaves no file").doesNotExist();
            disk.bytesLeft.set(Long.MAX_VALUE);
            assertThatThrownBy(wal::sync).isInstanceOf(StorageException.class).hasMessageContaining("earlier failure");
        }
        assertThat(segmentFiles(dir)).hasSize(1);
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.lastIndex()).isEqualTo(10);
            assertThat(wal.hardState()).isEqualTo(new HardState(1, 1, 10));
            assertThat(wal.entries(1, 11, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 1, 10, DATA));
            wal.append(entries(1, 11, 200, DATA)); // space is back: the log grows and rolls again
            wal.sync();
        }
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.entries(1, 201, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 1, 200, DATA));
        }
    }

    @Test
    void spareThatFailedInTheBackgroundIsRetriedAtTheRoll() throws IOException {
        FailingChannel.Disk disk = new FailingChannel.Disk();
        disk.bytesLeft.set(SEGMENT + 1000); // the first segment fits; the spare made right after does not
        try (LogCapture logs = new LogCapture(SpareSegment.class);
             SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0, disk.factory(), Runnable::run)) {
            assertThat(spareFile()).doesNotExist();
            disk.bytesLeft.set(Long.MAX_VALUE); // e.g. compaction freed space meanwhile
            wal.append(entries(1, 1, 200, DATA));
            wal.sync();
            assertThat(logs.warnings()).anySatisfy(w -> assertThat(w).contains("retrying"));
            assertThat(segmentFiles(dir)).hasSizeGreaterThan(2);
        }
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.entries(1, 201, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 1, 200, DATA));
        }
    }
}
