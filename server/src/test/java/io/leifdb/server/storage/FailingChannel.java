package io.leifdb.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real file channel that runs out of disk space after a byte budget (writing what fits, like a
 * short write, then failing) or fails fsync on demand. Shared switches let a test flip them while
 * the WAL holds the channels.
 */
final class FailingChannel extends ForwardingChannel {
    /** Switches shared by every channel a {@link #factory} opens. */
    static final class Disk {
        final AtomicLong bytesLeft = new AtomicLong(Long.MAX_VALUE);
        final AtomicBoolean failForce = new AtomicBoolean();

        ChannelFactory factory() {
            return (file, options) -> new FailingChannel(FileChannel.open(file, options), this);
        }
    }

    private final Disk disk;

    private FailingChannel(FileChannel real, Disk disk) {
        super(real);
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
    public void force(boolean metaData) throws IOException {
        if (disk.failForce.get()) throw new IOException("Input/output error");
        real.force(metaData);
    }
}
