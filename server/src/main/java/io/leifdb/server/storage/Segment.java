package io.leifdb.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One segment file of the WAL. Its name is the first log index it was created for, zero padded
 * so that names sort in creation order. Only the last segment is written; older ones are sealed
 * and were fsynced when the log rolled past them.
 *
 * <p>A segment is born preallocated: full length, all zeros. Its logical {@link #end} is where the
 * records stop and the next append goes; the file is usually longer, and zero after the end.
 * Appends then overwrite allocated blocks, so an fdatasync need not also commit a new file size.
 */
final class Segment {
    static final String SUFFIX = ".seg";
    private static final int ZERO_CHUNK = 1 << 20;

    private final Path file;
    private final long name;
    private final FileChannel channel;
    /** Logical end: bytes before it are records, the next append goes here. */
    private long end;
    private boolean dirty;
    /** Set once the log rolled past this segment, after fsyncing it: nothing of it is left to sync. */
    private volatile boolean sealed;

    private Segment(Path file, long name, FileChannel channel, long end) {
        this.file = file;
        this.name = name;
        this.channel = channel;
        this.end = end;
    }

    static String fileName(long name) {
        return String.format("%020d%s", name, SUFFIX);
    }

    /** The segment name encoded in {@code file}, or -1 if it is not a segment file. */
    static long parseName(Path file) {
        String n = file.getFileName().toString();
        if (n.length() != 20 + SUFFIX.length() || !n.endsWith(SUFFIX)) return -1;
        for (int i = 0; i < 20; i++) {
            if (!Character.isDigit(n.charAt(i))) return -1;
        }
        return Long.parseLong(n.substring(0, 20));
    }

    /** Opens an existing segment for recovery, which then sets the logical end with {@link #recovered}. */
    static Segment open(ChannelFactory factory, Path file) throws IOException {
        FileChannel ch = factory.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new Segment(file, parseName(file), ch, ch.size());
    }

    /**
     * Renames a zero-filled, fsynced {@code spare} to the segment file {@code name} in {@code dir}
     * and opens it empty. The caller fsyncs the directory to make the new name durable.
     */
    static Segment adopt(ChannelFactory factory, Path spare, Path dir, long name) throws IOException {
        Path file = dir.resolve(fileName(name));
        if (Files.exists(file)) throw new FileAlreadyExistsException(file.toString());
        Files.move(spare, file, StandardCopyOption.ATOMIC_MOVE);
        FileChannel ch = factory.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new Segment(file, name, ch, 0);
    }

    Path file() {
        return file;
    }

    long name() {
        return name;
    }

    /** The logical end: the byte offset the next append goes to. */
    long end() {
        return end;
    }

    void seal() {
        sealed = true;
    }

    boolean sealed() {
        return sealed;
    }

    /**
     * Recovery found the records end at {@code offset}; only zeros follow. After a process crash
     * they may sit in the page cache only, so they count as unsynced until the next force.
     */
    void recovered(long offset) {
        end = offset;
        dirty = true;
    }

    /** Writes all of {@code buf} at the logical end. On failure the end is unchanged. */
    void append(ByteBuffer buf) throws IOException {
        long pos = end;
        while (buf.hasRemaining()) {
            pos += channel.write(buf, pos);
        }
        end = pos;
        dirty = true;
    }

    /**
     * fdatasync from another thread while the owner goes on appending: it covers every append
     * that returned before it was called. Leaves {@link #dirty} alone, which only the owner reads.
     */
    void forceConcurrently() throws IOException {
        channel.force(false);
    }

    /** fdatasync. Inside the preallocated length it flushes data only; past it, also the new length. */
    void force() throws IOException {
        if (dirty) {
            channel.force(false);
            dirty = false;
        }
    }

    boolean dirty() {
        return dirty;
    }

    /** Reads exactly {@code len} bytes at {@code pos}. */
    ByteBuffer read(long pos, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos + buf.position());
            if (n < 0) throw new IOException("unexpected end of " + file + " at " + (pos + buf.position()));
        }
        return buf.flip();
    }

    /**
     * Zeroes {@code [from, to)}, makes that durable and moves the end to {@code from}: a torn tail
     * is wiped in place, so the preallocated blocks stay allocated and a later replay sees zeros.
     */
    void erase(long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(ZERO_CHUNK, Math.max(0, to - from)));
        long pos = from;
        while (pos < to) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - pos));
            while (zeros.hasRemaining()) pos += channel.write(zeros, pos);
        }
        channel.force(false);
        end = from;
        dirty = false;
    }

    /** Cuts the file to {@code newSize} bytes and makes the cut durable (after a failed write). */
    void truncate(long newSize) throws IOException {
        channel.truncate(newSize);
        channel.force(false);
        end = newSize;
        dirty = false;
    }

    void close() throws IOException {
        channel.close();
    }

    void delete() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }

    @Override
    public String toString() {
        return file.getFileName().toString();
    }
}
