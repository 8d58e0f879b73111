package io.leifdb.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real file channel that runs out of disk space after a byte budget (writing what fits, like a
 * short write, then failing) or fails fsync on demand. Shared switches let a test flip them while
 * the WAL holds the channels.
 */
final class FailingChannel extends FileChannel {
    /** Switches shared by every channel a {@link #factory} opens. */
    static final class Disk {
        final AtomicLong bytesLeft = new AtomicLong(Long.MAX_VALUE);
        final AtomicBoolean failForce = new AtomicBoolean();

        ChannelFactory factory() {
            return (file, options) -> new FailingChannel(FileChannel.open(file, options), this);
        }
    }

    private final FileChannel real;
    private final Disk disk;

    private FailingChannel(FileChannel real, Disk disk) {
        this.real = real;
        this.disk = disk;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        long left = disk.bytesLeft.get();
        if (left <= 0) throw new IOException("No space left on device");
        int n = (int) Math.min(src.remaining(), left);
        ByteBuffer part = src.slice(src.position(), n);
        int written = real.write(part, position);
        src.position(src.position() + written);
        disk.bytesLeft.addAndGet(-written);
        return written;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = write(src, real.position());
        real.position(real.position() + n);
        return n;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        if (disk.failForce.get()) throw new IOException("Input/output error");
        real.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return real.read(dsts, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        throw new UnsupportedOperationException("gathering write");
    }

    @Override
    public long position() throws IOException {
        return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        real.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return real.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        real.truncate(size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        throw new UnsupportedOperationException("transferFrom");
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return real.read(dst, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return real.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return real.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        real.close();
    }
}
