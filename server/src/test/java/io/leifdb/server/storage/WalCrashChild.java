package io.leifdb.server.storage;

import io.leifdb.raft.Entry;
import io.leifdb.raft.HardState;
import io.leifdb.raft.SnapshotMeta;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process {@link WalCrashTest} kills with SIGKILL: it appends, syncs and only then prints
 * "synced N", so every printed index was durable before the parent could see it. It compacts now
 * and then so that crashes also land around segment deletion.
 */
public final class WalCrashChild {
    private WalCrashChild() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long segmentBytes = Long.parseLong(args[1]);
        PrintStream out = System.out;
        try (SegmentedWal wal = SegmentedWal.open(dir, segmentBytes, 1 << 20)) {
            long next = wal.lastIndex() + 1;
            while (true) { // runs until killed
                int batch = (int) (next % 13) + 1;
                List<Entry> entries = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) entries.add(expected(next + i));
                wal.append(entries);
                long last = next + batch - 1;
                wal.setHardState(new HardState(1, 1, last));
                wal.sync();
                out.println("synced " + last);
                out.flush();
                if (last - wal.firstIndex() > 300) {
                    long to = last - 100;
                    wal.compact(new SnapshotMeta(to, 1, WalFixtures.THREE));
                }
                next = last + 1;
            }
        }
    }

    /** The entry at {@code index}: its size and bytes are a function of the index alone. */
    static Entry expected(long index) {
        return WalFixtures.entry(1, index, (int) (index * 37 % 700));
    }
}
