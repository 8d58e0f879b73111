package io.leifdb.bench.jmh;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Entry;
import io.leifdb.raft.SnapshotMeta;
import io.leifdb.server.storage.SegmentedWal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The segmented WAL's group commit under JMH: append a batch of 256-byte entries, then one fsync.
 * The primary score is batches (= fsyncs) per second; the {@code entries} secondary score is
 * entries per second. The plain-main WAL benchmark in io.leifdb.bench.wal compares against the
 * raw disk; this one exists so the WAL shows up beside the other micro-benchmarks.
 *
 * <p>The log lives in a fresh directory under {@code -Dleifdb.jmh.dir} (default: java.io.tmpdir),
 * which must be on a real disk for the figures to mean anything (tmpfs makes fsync free).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WalBench {
    static final int PAYLOAD_BYTES = 256;
    /** Compact once the log holds this much, as snapshots would, so a long run keeps disk use flat. */
    private static final long COMPACT_AT_BYTES = 32L << 20;
    private static final ConfState ONE_VOTER = ConfState.of(Set.of(1L));

    @Param({"1", "16", "256"})
    public int batch;

    private Path dir;
    private SegmentedWal wal;
    private byte[] payload;
    private long nextIndex;
    private final List<Entry> entries = new ArrayList<>();

    /** Counts entries so JMH reports entries/s beside batches/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Written {
        public long entries;

        @Setup(Level.Iteration)
        public void reset() {
            entries = 0;
        }
    }

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = TempDirs.create("leifdb-jmh-wal");
        wal = SegmentedWal.open(dir);
        payload = Payloads.bytes(PAYLOAD_BYTES, 11);
        nextIndex = wal.lastIndex() + 1;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        try {
            if (wal != null) {
                wal.close();
            }
        } finally {
            TempDirs.delete(dir);
        }
    }

    @Benchmark
    public long appendSync(Written written) {
        entries.clear();
        for (int i = 0; i < batch; i++) {
            entries.add(Entry.normal(1, nextIndex++, payload));
        }
        wal.append(entries);
        wal.sync();
        written.entries += batch;
        if (wal.logBytes() >= COMPACT_AT_BYTES) {
            long last = nextIndex - 1;
            wal.compact(new SnapshotMeta(last, 1, ONE_VOTER));
        }
        return nextIndex;
    }
}
