package io.leifdb.server.storage;

import static io.leifdb.server.storage.WalFixtures.entries;
import static io.leifdb.server.storage.WalFixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A suffix replacement is atomic across a crash. CRaft needs it: a follower that upgrades its
 * fragment at index i to a full copy gets [i, last] from the core (the upgraded entry and the
 * acknowledged entries behind it, re-written), and losing the tail after i would lose entries
 * that counted toward commit.
 */
class WalReplaceTest {
    private static final long SEGMENT = 1 << 20;

    @TempDir
    Path dir;

    private static Entry fragment(long term, long index) {
        return new Entry(term, index, EntryType.FRAGMENT, ("fragment of " + index).getBytes());
    }

    /** Entries 1..6 with fragments at 3..6, then the core's upgrade batch: full 3, the old 4..6 again. */
    private static List<Entry> upgrade() {
        List<Entry> batch = new ArrayList<>();
        batch.add(entry(1, 3, 40));
        for (long i = 4; i <= 6; i++) batch.add(fragment(1, i));
        return batch;
    }

    private static List<Entry> before() {
        List<Entry> log = new ArrayList<>(entries(1, 1, 2, 40));
        for (long i = 3; i <= 6; i++) log.add(fragment(1, i));
        return log;
    }

    private static List<Entry> after() {
        List<Entry> log = new ArrayList<>(entries(1, 1, 2, 40));
        log.addAll(upgrade());
        return log;
    }

    @Test
    void upgradeInTheMiddleKeepsTheEntriesBehindIt() throws IOException {
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            wal.append(before());
            wal.append(upgrade());
            wal.sync();
            assertThat(wal.entries(1, 7, Long.MAX_VALUE)).usingRecursiveComparison().isEqualTo(after());
        }
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.entries(1, 7, Long.MAX_VALUE)).usingRecursiveComparison().isEqualTo(after());
            wal.append(List.of(entry(2, 7, 10)));
            wal.sync();
        }
        try (SegmentedWal wal = SegmentedWal.open(dir, SEGMENT, 0)) {
            assertThat(wal.lastIndex()).isEqualTo(7);
            assertThat(wal.entries(3, 4, Long.MAX_VALUE).getFirst().type()).isEqualTo(EntryType.NORMAL);
        }
    }

    @Test
    @SuppressWarnings("try") // the log capture is a scope guard: holding it is its use
    void crashAtAnyByteOfAReplacementLeavesTheOldSuffixOrTheNewOneNeverAPrefix() throws IOException {
        Path live = dir.resolve("live");
        long start;
        try (SegmentedWal wal = SegmentedWal.open(live, SEGMENT, 0)) {
            wal.append(before());
            wal.sync();
        }
        Path seg = WalFixtures.segmentFiles(live).getFirst();
        start = WalFixtures.usedBytes(seg);
        WalFixtures.crashAfter(live, SEGMENT, wal -> { // no close: the replacement is the last thing written
            wal.append(upgrade());
            wal.sync();
        });
        byte[] full = Files.readAllBytes(seg);
        long end = WalFixtures.usedBytes(seg);
        int oldSeen = 0;
        int newSeen = 0;
        for (long cut = start; cut <= end; cut++) {
            Path copy = dir.resolve("cut-" + cut);
            Files.createDirectories(copy);
            byte[] torn = full.clone();
            Arrays.fill(torn, (int) cut, (int) end, (byte) 0); // what never reached the disk reads as zeros
            Files.write(copy.resolve(seg.getFileName()), torn);
            try (LogCapture ignored = new LogCapture(WalRecovery.class);
                 SegmentedWal wal = SegmentedWal.open(copy, SEGMENT, 0)) {
                assertThat(wal.lastIndex()).as("cut at %d", cut).isEqualTo(6);
                List<Entry> got = wal.entries(1, 7, Long.MAX_VALUE);
                if (got.get(2).type() == EntryType.FRAGMENT) {
                    assertThat(got).as("cut at %d", cut).usingRecursiveComparison().isEqualTo(before());
                    oldSeen++;
                } else {
                    assertThat(got).as("cut at %d", cut).usingRecursiveComparison().isEqualTo(after());
                    newSeen++;
                }
                // The log goes on from whatever survived, and a second recovery agrees.
                wal.append(List.of(entry(2, 7, 10)));
                wal.sync();
            }
            try (LogCapture ignored = new LogCapture(WalRecovery.class);
                 SegmentedWal wal = SegmentedWal.open(copy, SEGMENT, 0)) {
                assertThat(wal.lastIndex()).as("reopen after cut at %d", cut).isEqualTo(7);
                assertThat(wal.entries(4, 8, Long.MAX_VALUE)).as("cut at %d", cut).extracting(Entry::type)
                        .containsExactly(EntryType.FRAGMENT, EntryType.FRAGMENT, EntryType.FRAGMENT, EntryType.NORMAL);
            }
        }
        assertThat(newSeen).as("only the complete replacement counts").isEqualTo(1);
        assertThat(oldSeen).isEqualTo((int) (end - start));
    }
}
