package io.leifdb.server.storage;

import static io.leifdb.server.storage.WalFixtures.entries;

import io.leifdb.raft.Entry;
import io.leifdb.raft.HardState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends, hard states and syncs that fill one segment and roll into the next, with the spare
 * made at a moment of the test's choosing; records a crash point at every write and fsync.
 */
final class PowerLossWorkload {
    /** A crash at one moment: the disk then, and what the log may hold after it. */
    record CrashPoint(String step, PowerLossDisk.Snapshot disk, long syncedLast, List<Entry> written,
                      List<HardState> hardStates) {
    }

    final List<CrashPoint> crashes = new ArrayList<>();
    private final PowerLossDisk disk;
    private final long segmentBytes;
    private final int dataBytes;
    private final Path dir;
    private final List<Runnable> spareTasks = new ArrayList<>();
    private final List<Entry> written = new ArrayList<>();
    /** Hard states that recovery may return: the synced one first, then every one set since. */
    private final List<HardState> hardStates = new ArrayList<>(List.of(HardState.EMPTY));
    private long syncedLast;
    private String step = "open";
    private SegmentedWal wal;

    PowerLossWorkload(Path dir, long segmentBytes, int dataBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.dataBytes = dataBytes;
        this.disk = new PowerLossDisk(dir);
    }

    void run() {
        disk.afterEachWrite(this::crashPoint);
        try (SegmentedWal w = SegmentedWal.open(dir, segmentBytes, 0, disk.factory(), spareTasks::add)) {
            wal = w;
            hardState(new HardState(1, 1, 0));
            append(1, 3);
            sync();
            append(4, 40); // several pages in flight at once
            hardState(new HardState(1, 1, 3));
            sync();
            for (long i = 41; i <= 48; i++) append(i, i); // one write per entry, none synced
            step = "spare";
            spareTasks.removeFirst().run(); // the spare's zero-fill in flight beside the active segment
            sync();
            for (long i = 49; i < 97; i += 6) { // rolls into a second segment, syncing every other batch
                append(i, i + 5);
                hardState(new HardState(1, 1, i));
                if (i % 4 == 1) sync();
            }
            sync();
            append(97, 103);
            crashPoint();
        }
    }

    private void append(long from, long to) {
        step = "append " + from + ".." + to;
        List<Entry> batch = entries(1, from, to, dataBytes);
        written.addAll(batch);
        wal.append(batch);
    }

    private void hardState(HardState hs) {
        step = "hard state " + hs;
        hardStates.add(hs);
        wal.setHardState(hs);
    }

    private void sync() {
        step = "sync after " + written.size();
        wal.sync();
        syncedLast = written.size();
        hardStates.subList(0, hardStates.size() - 1).clear();
    }

    private void crashPoint() {
        crashes.add(new CrashPoint(step + " (write " + crashes.size() + ")", disk.snapshot(), syncedLast,
                List.copyOf(written), List.copyOf(hardStates)));
    }
}
