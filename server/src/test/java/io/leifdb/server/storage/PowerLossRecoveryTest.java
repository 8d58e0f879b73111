package io.leifdb.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.leifdb.server.storage.PowerLossDisk.Page;
import io.leifdb.server.storage.PowerLossDisk.Tear;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every state a power loss can leave, enumerated: at every write and fsync of a workload, every
 * subset of the 4 KiB pages written since the last fsync survives or not (the active segment's
 * and the spare segment's alike), and then the last page written is also torn at every
 * {@value #TEAR_STEP}-byte step. Each image must reopen, with every synced entry and hard state,
 * and with nothing that was not written in that order: the log is a prefix of what was appended.
 */
class PowerLossRecoveryTest {
    private static final int DATA = 100;
    private static final long SEGMENT = 8192;
    private static final int TEAR_STEP = 32;

    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("try") // the silenced log is a scope guard: holding it is its use
    void everyPowerLossStateReopensWithEverySyncedEntryAndOnlyAPrefixOfTheWrittenLog() {
        PowerLossWorkload w = new PowerLossWorkload(tmp.resolve("live"), SEGMENT, DATA);
        w.run();
        assertThat(w.crashes).hasSizeGreaterThan(40);
        assertThat(w.crashes.stream().mapToInt(c -> c.disk().pending().size()).max().orElseThrow())
                .as("some crash points have several pages in flight").isGreaterThanOrEqualTo(3);
        assertThat(w.crashes.stream().anyMatch(c -> c.disk().pending().stream()
                .anyMatch(p -> p.file().toString().equals(SpareSegment.FILE_NAME))))
                .as("the spare segment's zero-fill is in flight at some crash point").isTrue();
        int images = 0;
        Path image = tmp.resolve("image");
        try (LogCapture.Silenced quiet = LogCapture.silence(WalRecovery.class)) {
        for (int c = 0; c < w.crashes.size(); c++) {
            PowerLossWorkload.CrashPoint point = w.crashes.get(c);
            List<Page> pending = point.disk().pending();
            for (int mask = 0; mask < 1 << pending.size(); mask++) {
                Set<Page> surviving = subset(pending, mask);
                recoverAndCheck(point, surviving, null, image);
                images++;
                Page last = pending.isEmpty() ? null : pending.getLast();
                if (last == null || surviving.contains(last)) continue;
                for (int b = TEAR_STEP; b < point.disk().pageBytes(last); b += TEAR_STEP) {
                    recoverAndCheck(point, surviving, new Tear(last, b), image);
                    images++;
                }
            }
        }
        }
        System.out.printf("power loss: %d crash points, %d images%n", w.crashes.size(), images);
        assertThat(images).isGreaterThan(1000);
    }

    static Set<Page> subset(List<Page> pages, int mask) {
        Set<Page> out = new HashSet<>();
        for (int i = 0; i < pages.size(); i++) if ((mask & 1 << i) != 0) out.add(pages.get(i));
        return out;
    }

    private static void recoverAndCheck(PowerLossWorkload.CrashPoint point, Set<Page> surviving, Tear tear, Path dir) {
        WalFixtures.deleteTree(dir);
        point.disk().writeCrashImage(dir, surviving, tear);
        String what = point.step() + ", surviving " + surviving + (tear == null ? "" : ", " + tear);
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0, new PowerLossDisk(dir).factory(), task -> { })) {
            long last = wal.lastIndex();
            assertThat(last).as("synced entries survive: %s", what).isGreaterThanOrEqualTo(point.syncedLast());
            assertThat(last).as("nothing unwritten: %s", what).isLessThanOrEqualTo(point.written().size());
            assertThat(wal.entries(1, last + 1, Long.MAX_VALUE)).as("a prefix of the written log: %s", what)
                    .containsExactlyElementsOf(point.written().subList(0, (int) last));
            assertThat(point.hardStates()).as("a hard state at least as new as the synced one: %s", what)
                    .contains(wal.hardState());
        } catch (StorageException e) {
            fail("refused a state a power loss can leave (" + what + "): " + e.getMessage());
        }
    }
}
