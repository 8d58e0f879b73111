package io.leifdb.bench.wal;

import io.leifdb.raft.Entry;
import io.leifdb.raft.SnapshotMeta;
import io.leifdb.server.storage.SegmentedWal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * WAL append throughput with one fsync per batch (group commit), beside the raw rate of the same
 * disk: a plain FileChannel write + force of the same bytes per batch, measured in the same run,
 * both appending to a growing file ("raw") and overwriting a preallocated one ("pre", where the
 * fdatasync need not commit a new file size). The three alternate in short slices so that a
 * noisy, shared disk weighs on all alike. Prints figures; asserts nothing.
 *
 * <p>Usage: {@code WalBench [--dir DIR] [--seconds N] [--entry-bytes N]}. DIR (default: a fresh
 * directory under the working directory) should be on the disk the data directory will use.
 */
public final class WalBench {
    private static final int[] BATCHES = {1, 16, 256};
    private static final int SLICES = 6;
    /** Bytes a WAL record adds around an entry's data: frame header 9, term 8, index 8, type 1. */
    private static final int RECORD_OVERHEAD = 26;

    private WalBench() {
    }

    /** Accumulates one side's batches, bytes, time and per-batch latency (write + fsync). */
    static final class Tally {
        final Histogram latencyNanos = new Histogram(3);
        long batches;
        long entries;
        long bytes;
        long nanos;

        double mbPerSec() {
            return bytes / (nanos / 1e9) / 1e6;
        }

        double perSec(long n) {
            return n / (nanos / 1e9);
        }

        String latency() {
            return String.format("%.0f/%.0f", latencyNanos.getValueAtPercentile(50) / 1e3,
                    latencyNanos.getValueAtPercentile(99) / 1e3);
        }
    }

    public static void main(String[] args) throws IOException {
        Path base = Path.of(".");
        double seconds = 3;
        int entryBytes = 256;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> base = Path.of(value(args, ++i, "--dir"));
                case "--seconds" -> seconds = Double.parseDouble(value(args, ++i, "--seconds"));
                case "--entry-bytes" -> entryBytes = Integer.parseInt(value(args, ++i, "--entry-bytes"));
                default -> {
                    System.err.println("unknown argument " + args[i] + "; allowed: --dir DIR --seconds N --entry-bytes N");
                    System.exit(2);
                }
            }
        }
        Path dir = Files.createTempDirectory(Files.createDirectories(base), "walbench-");
        try {
            run(dir, seconds, entryBytes);
        } finally {
            deleteTree(dir);
        }
    }

    private static void run(Path dir, double seconds, int entryBytes) throws IOException {
        System.out.printf("WAL bench: %d-byte entries, one fsync per batch, %.1f s per figure, dir %s%n",
                entryBytes, seconds, dir.toAbsolutePath().normalize());
        System.out.printf("%6s | %12s %9s %9s %13s | %9s %9s %13s | %9s %13s | %7s %7s%n", "batch", "wal entry/s",
                "wal MB/s", "wal syn/s", "wal p50/p99us", "raw MB/s", "raw syn/s", "raw p50/p99us", "pre syn/s",
                "pre p50/p99us", "wal/raw", "wal/pre");
        byte[] data = new byte[entryBytes];
        ThreadLocalRandom.current().nextBytes(data);
        for (int batch : BATCHES) {
            int batchBytes = batch * (entryBytes + RECORD_OVERHEAD);
            Tally wal = new Tally();
            Tally raw = new Tally();
            Tally pre = new Tally();
            long slice = (long) (seconds * 1e9 / SLICES);
            try (WalSide w = new WalSide(dir.resolve("wal-" + batch), data, batch);
                 RawSide r = new RawSide(dir.resolve("raw-" + batch + ".dat"), batchBytes, false);
                 RawSide p = new RawSide(dir.resolve("pre-" + batch + ".dat"), batchBytes, true)) {
                w.run(Math.min(500_000_000L, slice), new Tally()); // JIT warm-up, not counted
                for (int s = 0; s < SLICES; s++) {
                    r.run(slice, raw);
                    p.run(slice, pre);
                    w.run(slice, wal);
                }
            }
            System.out.printf("%6d | %12.0f %9.2f %9.0f %13s | %9.2f %9.0f %13s | %9.0f %13s | %7.2f %7.2f%n", batch,
                    wal.perSec(wal.entries), wal.mbPerSec(), wal.perSec(wal.batches), wal.latency(),
                    raw.mbPerSec(), raw.perSec(raw.batches), raw.latency(), pre.perSec(pre.batches), pre.latency(),
                    wal.mbPerSec() / raw.mbPerSec(), wal.mbPerSec() / pre.mbPerSec());
        }
        System.out.println("MB = 10^6 bytes of WAL records (entry data plus " + RECORD_OVERHEAD
                + " bytes framing); raw writes the same bytes per fsync. Latency is write + fsync per batch.");
    }

    /** The WAL side: append a batch, sync; compact now and then so the disk use stays bounded. */
    private static final class WalSide implements AutoCloseable {
        private final Path dir;
        private final SegmentedWal wal;
        private final byte[] data;
        private final int batch;
        private long next = 1;

        WalSide(Path dir, byte[] data, int batch) {
            this.dir = dir;
            this.wal = SegmentedWal.open(dir);
            this.data = data;
            this.batch = batch;
        }

        void run(long nanos, Tally t) {
            long start = System.nanoTime();
            long now = start;
            while (now - start < nanos) {
                List<Entry> entries = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) entries.add(Entry.normal(1, next + i, data));
                wal.append(entries);
                wal.sync();
                long after = System.nanoTime();
                t.latencyNanos.recordValue(after - now);
                now = after;
                next += batch;
                t.batches++;
                t.entries += batch;
                t.bytes += (long) batch * (data.length + RECORD_OVERHEAD);
                if (wal.logBytes() > 2 * SegmentedWal.DEFAULT_SEGMENT_BYTES) {
                    wal.compact(new SnapshotMeta(wal.lastIndex(), 1, wal.confState()));
                }
            }
            t.nanos += now - start;
        }

        @Override
        public void close() throws IOException {
            wal.close();
            deleteTree(dir);
        }
    }

    /**
     * The raw side: the same bytes per batch with a plain positional write and fdatasync, either
     * appending (the file grows) or overwriting a file zero-filled to a segment's size up front.
     */
    private static final class RawSide implements AutoCloseable {
        private final Path file;
        private final FileChannel ch;
        private final ByteBuffer buf;
        private final boolean preallocated;
        private long pos;

        RawSide(Path file, int batchBytes, boolean preallocated) throws IOException {
            this.file = file;
            this.ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            this.preallocated = preallocated;
            byte[] bytes = new byte[batchBytes];
            ThreadLocalRandom.current().nextBytes(bytes);
            this.buf = ByteBuffer.wrap(bytes);
            if (preallocated) zeroFill();
        }

        private void zeroFill() throws IOException {
            ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
            for (long at = 0; at < SegmentedWal.DEFAULT_SEGMENT_BYTES; ) {
                zeros.clear();
                while (zeros.hasRemaining()) at += ch.write(zeros, at);
            }
            ch.force(true);
        }

        void run(long nanos, Tally t) throws IOException {
            long start = System.nanoTime();
            long now = start;
            while (now - start < nanos) {
                buf.clear();
                while (buf.hasRemaining()) pos += ch.write(buf, pos);
                ch.force(false);
                long after = System.nanoTime();
                t.latencyNanos.recordValue(after - now);
                now = after;
                t.batches++;
                t.entries++;
                t.bytes += buf.capacity();
                if (pos + buf.capacity() > SegmentedWal.DEFAULT_SEGMENT_BYTES) { // like a segment roll
                    if (!preallocated) ch.truncate(0); // the preallocated file is overwritten from the start
                    pos = 0;
                }
            }
            t.nanos += now - start;
        }

        @Override
        public void close() throws IOException {
            ch.close();
            Files.deleteIfExists(file);
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            System.err.println(flag + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
