package io.leifdb.server.storage;

import io.leifdb.raft.driver.SyncTicket;
import static io.leifdb.server.storage.WalFixtures.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.HardState;
import io.leifdb.server.storage.PowerLossDisk.Page;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the power-loss disk: after an fsync fails nothing more is written, synced or
 * acknowledged, and whatever of the unsynced pages then survives, the synced log comes back.
 * A wiped directory opens as an empty log.
 */
class FsyncFailureTest {
    private static final int DATA = 100;
    private static final long SEGMENT = 8192;

    @TempDir
    Path tmp;

    @Test
    void failedSyncStopsTheLogAndEveryCrashImageHoldsExactlyTheSyncedPrefixOrMore() {
        Path live = tmp.resolve("live");
        PowerLossDisk disk = new PowerLossDisk(live);
        PowerLossDisk.Snapshot crash;
        try (SegmentedWal wal = SegmentedWal.open(live, SEGMENT, 0, disk.factory(), task -> { })) {
            syncTenThenWriteThirtyMore(wal);
            disk.failForces(true);
            assertThatThrownBy(wal::sync).isInstanceOf(StorageException.class).hasMessageStartingWith("I/O error syncing");
            assertThatThrownBy(() -> wal.append(entries(1, 41, 41, DATA))).hasMessageContaining("earlier failure");
            assertThatThrownBy(wal::sync).hasMessageContaining("earlier failure");
            assertThatThrownBy(wal::startSync).hasMessageContaining("earlier failure");
            crash = disk.snapshot();
        }
        assertThat(crash.pending()).as("the failed fsync left pages in doubt").isNotEmpty();
        assertEveryImageRecoversTheSyncedTen(crash);
    }

    /** Entries 1..10 and their hard state durable; 11..40 written and not yet synced. */
    private static void syncTenThenWriteThirtyMore(SegmentedWal wal) {
        wal.append(entries(1, 1, 10, DATA));
        wal.setHardState(new HardState(1, 1, 10));
        wal.sync();
        wal.append(entries(1, 11, 40, DATA));
    }

    @Test
    void failedTicketForceOnTheSyncerThreadIsNeverAcknowledged() throws Exception {
        Path live = tmp.resolve("live");
        PowerLossDisk disk = new PowerLossDisk(live);
        PowerLossDisk.Snapshot crash;
        try (SegmentedWal wal = SegmentedWal.open(live, SEGMENT, 0, disk.factory(), task -> { })) {
            syncTenThenWriteThirtyMore(wal);
            SyncTicket ticket = wal.startSync();
            disk.failForces(true);
            Thread syncer = new Thread(() -> assertThatThrownBy(ticket::force).isInstanceOf(IOException.class));
            syncer.start();
            syncer.join();
            assertThatThrownBy(() -> wal.finishSync(ticket)).isInstanceOf(StorageException.class)
                    .hasMessageStartingWith("I/O error syncing");
            assertThatThrownBy(() -> wal.append(entries(1, 41, 41, DATA))).hasMessageContaining("earlier failure");
            crash = disk.snapshot();
        }
        assertEveryImageRecoversTheSyncedTen(crash);
    }

    @Test
    void wipedDirectoryOpensAsAnEmptyLog() throws IOException {
        Path live = tmp.resolve("live");
        PowerLossDisk disk = new PowerLossDisk(live);
        try (SegmentedWal wal = SegmentedWal.open(live, SEGMENT, 0, disk.factory(), task -> { })) {
            wal.append(entries(1, 1, 10, DATA));
            wal.sync();
        }
        disk.wipe();
        try (SegmentedWal wal = SegmentedWal.open(live, SEGMENT, 0, disk.factory(), task -> { })) {
            assertThat(wal.lastIndex()).isZero();
            assertThat(wal.hardState()).isEqualTo(HardState.EMPTY);
        }
    }

    /** Entries 1..10 and their hard state were synced; 11..40 were written but their fsync failed. */
    @SuppressWarnings("try") // the silenced log is a scope guard: holding it is its use
    private void assertEveryImageRecoversTheSyncedTen(PowerLossDisk.Snapshot crash) {
        List<Page> pending = crash.pending();
        Path image = tmp.resolve("image");
        for (int mask = 0; mask < 1 << pending.size(); mask++) {
            WalFixtures.deleteTree(image);
            crash.writeCrashImage(image, PowerLossRecoveryTest.subset(pending, mask), null);
            try (LogCapture.Silenced quiet = LogCapture.silence(WalRecovery.class);
                 SegmentedWal wal = SegmentedWal.open(image, SEGMENT, 0, new PowerLossDisk(image).factory(), t -> { })) {
                assertThat(wal.lastIndex()).as("mask %d", mask).isBetween(10L, 40L);
                assertThat(wal.entries(1, wal.lastIndex() + 1, Long.MAX_VALUE))
                        .containsExactlyElementsOf(entries(1, 1, wal.lastIndex(), DATA));
                assertThat(wal.hardState()).isEqualTo(new HardState(1, 1, 10));
            }
        }
    }
}
