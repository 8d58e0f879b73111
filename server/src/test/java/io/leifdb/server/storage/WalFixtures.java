package io.leifdb.server.storage;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Deterministic entries and file helpers shared by the WAL tests. */
final class WalFixtures {
    static final ConfState THREE = ConfState.of(Set.of(1L, 2L, 3L));

    private WalFixtures() {
    }

    /** Entry {@code index} of {@code term} whose {@code size} data bytes are derived from both. */
    static Entry entry(long term, long index, int size) {
        byte[] data = new byte[size];
        byte[] seed = (term + ":" + index + ";").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) data[i] = seed[i % seed.length];
        return new Entry(term, index, size == 0 ? EntryType.NOOP : EntryType.NORMAL, data);
    }

    static List<Entry> entries(long term, long from, long to, int size) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) out.add(entry(term, i, size));
        return out;
    }

    /** Bytes a record holding an entry of {@code size} data bytes takes on disk. */
    static int recordBytes(int size) {
        return RecordCodec.HEADER_BYTES + RecordCodec.ENTRY_OVERHEAD + size;
    }

    static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(Segment.SUFFIX)).sorted().toList();
        }
    }

    static void flipBit(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= 0x10;
        Files.write(file, bytes);
    }

    /**
     * One past the last non-zero byte of {@code file}: where the records of a preallocated segment
     * end, for fixtures whose records end in a non-zero byte (entry data derived from term and index).
     */
    static long usedBytes(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) end--;
        return end;
    }

    /** Overwrites {@code [from, to)} of {@code file} with zeros: what a write that never reached the disk leaves. */
    static void zero(Path file, long from, long to) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        java.util.Arrays.fill(bytes, (int) from, (int) to, (byte) 0);
        Files.write(file, bytes);
    }

    static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) return false;
        }
        return true;
    }

    /**
     * Runs {@code writes} on the WAL in {@code dir} and leaves there what a process crash leaves:
     * every page written, but no close, so nothing after the last sync is marked as synced.
     */
    static void crashAfter(Path dir, long segmentBytes, java.util.function.Consumer<SegmentedWal> writes) throws IOException {
        Path live = Files.createTempDirectory("wal-live");
        try {
            Files.createDirectories(dir);
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) Files.copy(p, live.resolve(p.getFileName()));
            }
            PowerLossDisk disk = new PowerLossDisk(live);
            PowerLossDisk.Snapshot crash;
            try (SegmentedWal wal = SegmentedWal.open(live, segmentBytes, 0, disk.factory(), task -> { })) {
                writes.accept(wal);
                crash = disk.snapshot();
            }
            deleteTree(dir);
            crash.writeCrashImage(dir, java.util.Set.copyOf(crash.pending()), null);
        } finally {
            deleteTree(live);
        }
    }

    /** Deletes {@code dir} and everything under it, if it exists. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void truncate(Path file, long size) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }
}
