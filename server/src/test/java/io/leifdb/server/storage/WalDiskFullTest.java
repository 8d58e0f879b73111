package io.leifdb.server.storage;

import static io.leifdb.server.storage.WalFixtures.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.HardState;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full disk or a failing fsync surfaces as a clear error and never damages what was synced. */
class WalDiskFullTest {
    private static final int DATA = 100;
    private static final long SEGMENT = 64 << 10;
    /** No spare ahead of time: each roll preallocates on the writer, so the byte budget is spent in a fixed order. */
    private static final Executor AT_THE_ROLL = task -> { };

    @TempDir
    Path dir;

    private final FailingChannel.Disk disk = new FailingChannel.Disk();

    @Test
    void fullDiskDuringAppendFailsClearlyAndReopenYieldsExactlyTheSyncedLog() {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 1 << 20, disk.factory(), AT_THE_ROLL)) {
            wal.append(entries(1, 1, 10, DATA));
            wal.setHardState(new HardState(1, 1, 10));
            wal.sync();

            disk.bytesLeft.set(150); // room for one record and a half: a short write, then ENOSPC
            assertThatThrownBy(() -> wal.append(entries(1, 11, 20, DATA)))
                    .isInstanceOf(StorageException.class)
                    .hasMessageStartingWith("disk full writing")
                    .hasMessageContaining("00000000000000000001.seg");
            disk.bytesLeft.set(Long.MAX_VALUE);
            assertThatThrownBy(() -> wal.setHardState(new HardState(2, 2, 10)))
                    .isInstanceOf(StorageException.class).hasMessageContaining("earlier failure");
            assertThatThrownBy(wal::sync).isInstanceOf(StorageException.class);
        }
        assertReopensWithExactlyTenEntries();
    }

    @Test
    void failedFsyncFailsClearlyAndReopenYieldsExactlyTheSyncedLog() {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 1 << 20, disk.factory(), AT_THE_ROLL)) {
            wal.append(entries(1, 1, 10, DATA));
            wal.setHardState(new HardState(1, 1, 10));
            wal.sync();

            wal.append(entries(1, 11, 20, DATA));
            wal.setHardState(new HardState(1, 1, 20));
            disk.failForce.set(true);
            assertThatThrownBy(wal::sync)
                    .isInstanceOf(StorageException.class)
                    .hasMessageStartingWith("I/O error syncing")
                    .hasMessageContaining("00000000000000000001.seg");
            disk.failForce.set(false);
        }
        assertReopensWithExactlyTenEntries();
    }

    @Test
    void fullDiskRightAfterARolloverKeepsTheSealedSegmentWhole() {
        int rec = WalFixtures.recordBytes(DATA);
        int hardState = RecordCodec.hardStateRecordBytes();
        int firstSegment = 10 * rec + hardState;
        int fitted = (4096 - firstSegment) / rec; // entries 11.. that still fit before the roll
        try (SegmentedWal wal = SegmentedWal.open(dir, 4096, 0, disk.factory(), AT_THE_ROLL)) {
            wal.append(entries(1, 1, 10, DATA));
            wal.setHardState(new HardState(1, 1, 10));
            wal.sync();
            // room for the rest of the first segment, zero-filling the next, its header, then a short write
            disk.bytesLeft.set(fitted * rec + 4096 + hardState + rec / 2);
            assertThatThrownBy(() -> wal.append(entries(1, 11, 200, DATA)))
                    .isInstanceOf(StorageException.class)
                    .hasMessageStartingWith("disk full writing")
                    .hasMessageContaining(String.format("%020d.seg", 11 + fitted));
            disk.bytesLeft.set(Long.MAX_VALUE);
        }
        // sealing fsynced the first segment, so its entries are durable; the torn new one is empty
        try (SegmentedWal wal = SegmentedWal.open(dir, 4096, 0)) {
            assertThat(wal.lastIndex()).isEqualTo(10 + fitted);
            assertThat(wal.hardState()).isEqualTo(new HardState(1, 1, 10));
            assertThat(wal.entries(1, 11 + fitted, Long.MAX_VALUE))
                    .containsExactlyElementsOf(entries(1, 1, 10 + fitted, DATA));
        }
    }

    @Test
    void fullDiskWhileReopeningFailsWithoutTouchingTheLog() {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.append(entries(1, 1, 10, DATA));
            wal.setHardState(new HardState(1, 1, 10));
            wal.sync();
        }
        disk.bytesLeft.set(5); // reopening rewrites the state header into the active segment
        assertThatThrownBy(() -> SegmentedWal.open(dir, SEGMENT, 0, disk.factory(), AT_THE_ROLL))
                .isInstanceOf(StorageException.class).hasMessageStartingWith("disk full writing");
        disk.bytesLeft.set(Long.MAX_VALUE);
        assertReopensWithExactlyTenEntries();
    }

    private void assertReopensWithExactlyTenEntries() {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.lastIndex()).isEqualTo(10);
            assertThat(wal.hardState()).isEqualTo(new HardState(1, 1, 10));
            assertThat(wal.entries(1, 11, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 1, 10, DATA));
        }
    }
}
