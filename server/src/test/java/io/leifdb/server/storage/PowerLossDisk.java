package io.leifdb.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A disk that can lose power. Files opened through {@link #factory()} live on the real file system
 * (what the OS shows), and this model keeps beside each one the image that is durable and the
 * 4 KiB pages written since its last fsync. A {@link Snapshot} taken at any moment writes out the
 * image a power loss then could leave: any subset of the pending pages, in any order, and one
 * page torn after any byte. Fsync can be made to fail, synced bytes can rot, and the directory
 * can be wiped. Directory operations (create, rename, delete) are durable at once in this model.
 * No test framework here: the deterministic simulation is to drive it as well.
 */
final class PowerLossDisk {
    static final int PAGE = 4096;

    /** Page {@code index} (offset / PAGE) of {@code file}, relative to the disk's root. */
    record Page(Path file, long index) {
    }

    /** Of {@code page}, only the first {@code bytes} bytes of what was written reached the platter. */
    record Tear(Page page, int bytes) {
    }

    private final Path root;
    private final Map<Path, FileState> files = new HashMap<>();
    private boolean failForce;
    /** Counts page writes, so that pending pages can be ordered by when they were last written. */
    private long writes;
    private Runnable afterEachWrite = () -> { };

    PowerLossDisk(Path root) {
        this.root = root;
    }

    ChannelFactory factory() {
        return this::open;
    }

    /** Runs after every write and every fsync that reached this disk: the moments a crash may hit. */
    synchronized void afterEachWrite(Runnable observer) {
        afterEachWrite = observer;
    }

    /** From now on every fsync throws, and the pages it should have made durable stay pending. */
    synchronized void failForces(boolean fail) {
        failForce = fail;
    }

    /** Flips one bit of a byte that may be synced: the medium rotted, both on disk and in the model. */
    synchronized void flipBit(Path file, long offset) throws IOException {
        WalFixtures.flipBit(file, offset);
        FileState f = files.get(root.relativize(file));
        if (f == null) return;
        f.current[(int) offset] ^= 0x10;
        if (offset < f.durable.length) f.durable[(int) offset] ^= 0x10;
    }

    /** Deletes every file under the root while the node is down, and forgets them. */
    synchronized void wipe() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(root)).toList()) {
                Files.delete(p);
            }
        }
        files.clear();
    }

    /** What a power loss at this moment could leave, frozen so the workload may go on. */
    synchronized Snapshot snapshot() {
        Map<Path, FileState> copy = new HashMap<>();
        files.forEach((name, f) -> {
            if (Files.exists(root.resolve(name))) copy.put(name, f.copy());
        });
        return new Snapshot(copy);
    }

    private synchronized FileChannel open(Path file, OpenOption... options) throws IOException {
        FileChannel ch = FileChannel.open(file, options);
        Path name = root.relativize(file);
        byte[] now = Files.readAllBytes(file);
        FileState known = files.get(name);
        if (known == null || !Arrays.equals(Arrays.copyOf(known.current, known.size), now)) {
            // new to the model, or replaced behind its back (renamed over, truncated on open): durable as found
            files.put(name, new FileState(now));
        }
        return new Channel(ch, name);
    }

    private synchronized void written(Path name, ByteBuffer data, long pos) {
        files.get(name).write(data, pos, ++writes);
        afterEachWrite.run();
    }

    private synchronized void forced(Path name) throws IOException {
        if (failForce) throw new IOException("Input/output error");
        files.get(name).sync();
        afterEachWrite.run();
    }

    private synchronized void truncated(Path name, long size) {
        files.get(name).truncate((int) size);
    }

    /** One file: the bytes the OS shows, the bytes that are durable, and the pages in between. */
    private static final class FileState {
        byte[] current;
        int size;
        byte[] durable;
        /** Pages written since the last fsync, each with the disk's write count when it was last written. */
        final Map<Long, Long> pending = new HashMap<>();

        FileState(byte[] contents) {
            current = contents.clone();
            size = contents.length;
            durable = contents.clone();
        }

        FileState copy() {
            FileState c = new FileState(Arrays.copyOf(current, size));
            c.durable = durable.clone();
            c.pending.putAll(pending);
            return c;
        }

        void write(ByteBuffer data, long pos, long seq) {
            int from = (int) pos;
            int to = from + data.remaining();
            if (to > current.length) current = Arrays.copyOf(current, Math.max(to, 2 * current.length));
            data.get(current, from, data.remaining());
            size = Math.max(size, to);
            for (long p = from / PAGE; p <= (to - 1) / PAGE && to > from; p++) pending.put(p, seq);
        }

        void sync() {
            durable = Arrays.copyOf(current, size);
            pending.clear();
        }

        /** A cut is a metadata change the WAL always fsyncs at once; the model makes it durable. */
        void truncate(int newSize) {
            if (newSize >= size) return;
            Arrays.fill(current, newSize, size, (byte) 0);
            size = newSize;
            durable = Arrays.copyOf(durable, Math.min(durable.length, newSize));
            pending.keySet().removeIf(p -> p * PAGE >= newSize);
        }

        /** The durable image with {@code surviving} pages and a torn prefix of {@code tear}'s page laid over it. */
        byte[] image(Set<Long> surviving, long tornPage, int tornBytes) {
            int len = durable.length;
            for (long p : pending.keySet()) {
                if (surviving.contains(p)) len = Math.max(len, (int) Math.min(size, (p + 1) * PAGE));
                if (p == tornPage && tornBytes > 0) len = Math.max(len, (int) Math.min(size, p * PAGE + tornBytes));
            }
            byte[] out = Arrays.copyOf(durable, len);
            for (long p : pending.keySet()) {
                int from = (int) (p * PAGE);
                int to = surviving.contains(p) ? (int) Math.min(len, (p + 1) * PAGE)
                        : p == tornPage ? (int) Math.min(len, p * PAGE + tornBytes) : from;
                if (to > from) System.arraycopy(current, from, out, from, to - from);
            }
            return out;
        }
    }

    /** The disk at one moment, from which crash images are made. */
    static final class Snapshot {
        private final Map<Path, FileState> files;

        private Snapshot(Map<Path, FileState> files) {
            this.files = files;
        }

        /** Pages written since their file's last fsync, over all files, the last written last. */
        List<Page> pending() {
            List<Map.Entry<Page, Long>> all = new ArrayList<>();
            files.forEach((name, f) -> f.pending.forEach((p, seq) -> all.add(Map.entry(new Page(name, p), seq))));
            all.sort(Map.Entry.comparingByValue());
            return all.stream().map(Map.Entry::getKey).toList();
        }

        /** Bytes of {@code page} that the last write changed or appended, i.e. where a tear makes a difference. */
        int pageBytes(Page page) {
            FileState f = files.get(page.file());
            return (int) Math.min(PAGE, f.size - page.index() * PAGE);
        }

        /** Writes the image a power loss leaves into the empty directory {@code dir}; {@code tear} may be null. */
        void writeCrashImage(Path dir, Set<Page> surviving, Tear tear) {
            try {
                Files.createDirectories(dir);
                for (var e : files.entrySet()) {
                    Set<Long> pages = new java.util.HashSet<>();
                    for (Page p : surviving) if (p.file().equals(e.getKey())) pages.add(p.index());
                    boolean torn = tear != null && tear.page().file().equals(e.getKey());
                    byte[] image = e.getValue().image(pages, torn ? tear.page().index() : -1, torn ? tear.bytes() : 0);
                    Path target = dir.resolve(e.getKey());
                    Files.createDirectories(target.getParent());
                    Files.write(target, image, StandardOpenOption.CREATE_NEW);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final class Channel extends ForwardingChannel {
        private final Path name;

        Channel(FileChannel real, Path name) {
            super(real);
            this.name = name;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            ByteBuffer copy = src.duplicate();
            int n = real.write(src, position);
            written(name, copy.limit(copy.position() + n), position);
            return n;
        }

        /** No real fsync: durability is what this model says, which keeps exhaustive tests fast. */
        @Override
        public void force(boolean metaData) throws IOException {
            forced(name);
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            truncated(name, size);
            return this;
        }
    }
}
