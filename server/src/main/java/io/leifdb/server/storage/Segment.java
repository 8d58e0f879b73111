package io.leifdb.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One segment file of the WAL. Its name is the first log index it was created for, zero padded
 * so that names sort in creation order. Only the last segment is written; older ones are sealed
 * and were fsynced when the log rolled past them.
 */
final class Segment {
    static final String SUFFIX = ".seg";

    private final Path file;
    private final long name;
    private final FileChannel channel;
    private long size;
    private boolean dirty;

    private Segment(Path file, long name, FileChannel channel, long size) {
        this.file = file;
        this.name = name;
        this.channel = channel;
        this.size = size;
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

    static Segment open(ChannelFactory factory, Path file) throws IOException {
        FileChannel ch = factory.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new Segment(file, parseName(file), ch, ch.size());
    }

    static Segment create(ChannelFactory factory, Path dir, long name) throws IOException {
        Path file = dir.resolve(fileName(name));
        FileChannel ch = factory.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE_NEW);
        return new Segment(file, name, ch, 0);
    }

    Path file() {
        return file;
    }

    long name() {
        return name;
    }

    long size() {
        return size;
    }

    /** Appends all of {@code buf} at the end of the file. On failure the size is unchanged. */
    void append(ByteBuffer buf) throws IOException {
        long pos = size;
        while (buf.hasRemaining()) {
            pos += channel.write(buf, pos);
        }
        size = pos;
        dirty = true;
    }

    /** fdatasync: the file length is part of what it makes durable, so appends survive. */
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

    /** Cuts the file to {@code newSize} bytes and makes the cut durable. */
    void truncate(long newSize) throws IOException {
        channel.truncate(newSize);
        channel.force(false);
        size = newSize;
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
