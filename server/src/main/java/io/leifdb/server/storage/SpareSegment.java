package io.leifdb.server.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The next segment, zero-filled to full length and fsynced ahead of need, so that rolling over is
 * a rename on the writer's thread rather than a zero-fill of the whole segment.
 *
 * <p>It lives as {@value #FILE_NAME} until {@link #take} renames it; recovery deletes a file of
 * that name unread, since a crash may have left it half written. One spare at a time: the WAL
 * calls {@link #prepare} after each roll and {@link #take} at the next. Not thread-safe beyond
 * that hand-over; the WAL's writer thread makes every call.
 */
final class SpareSegment implements AutoCloseable {
    static final String FILE_NAME = "next-segment.prealloc";
    private static final int CHUNK = 1 << 20;
    private static final Logger log = LoggerFactory.getLogger(SpareSegment.class);

    private final ChannelFactory factory;
    private final Path dir;
    private final Path file;
    private final long bytes;
    private final Executor executor;
    /** The thread this spare owns and stops on close; null when the executor was handed in. */
    private final ExecutorService owned;
    private FutureTask<Void> pending;
    private volatile boolean closing;

    private SpareSegment(ChannelFactory factory, Path dir, long bytes, Executor executor, ExecutorService owned) {
        this.factory = factory;
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
        this.bytes = bytes;
        this.executor = executor;
        this.owned = owned;
    }

    /** Prepares spares on a daemon thread of its own, stopped by {@link #close}. */
    static SpareSegment background(ChannelFactory factory, Path dir, long bytes) {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "wal-spare-segment");
            t.setDaemon(true);
            return t;
        });
        return new SpareSegment(factory, dir, bytes, thread, thread);
    }

    /**
     * Prepares spares on {@code executor}, which this does not own. A task the executor never runs
     * is run by {@link #take} instead, so a do-nothing executor means "preallocate at the roll".
     */
    static SpareSegment on(Executor executor, ChannelFactory factory, Path dir, long bytes) {
        return new SpareSegment(factory, dir, bytes, executor, null);
    }

    /** Starts making the next spare unless one is already on its way. */
    void prepare() {
        if (pending != null || closing) return;
        pending = fillTask();
        executor.execute(pending);
    }

    /**
     * Turns the spare into the empty segment {@code name}, waiting for it if it is still being
     * filled, or filling it here if nobody started. A failed background fill is retried once here
     * (compaction may have freed space since), so the error that escapes is a current one.
     */
    Segment take(long name) throws IOException {
        FutureTask<Void> task = pending != null ? pending : fillTask();
        pending = null;
        task.run(); // no-op if the worker already ran it or is running it
        try {
            task.get();
        } catch (ExecutionException e) {
            log.warn("WAL: preparing the next segment in the background failed ({}); retrying now", e.getCause().toString());
            fill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the next segment to be preallocated");
        }
        return Segment.adopt(factory, file, dir, name);
    }

    private FutureTask<Void> fillTask() {
        return new FutureTask<>(() -> {
            fill();
            return null;
        });
    }

    /** Writes {@link #bytes} zeros in large chunks and fsyncs once; a failure leaves no file behind. */
    private void fill() throws IOException {
        try (FileChannel ch = factory.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(CHUNK, bytes));
            long pos = 0;
            while (pos < bytes) {
                if (closing) throw new InterruptedIOException("WAL closed while preallocating " + file);
                zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - pos));
                while (zeros.hasRemaining()) pos += ch.write(zeros, pos);
            }
            ch.force(true); // the length and the zeros are durable before the file may become a segment
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Stops a fill in progress (within one chunk) and removes the spare; it is rebuilt on the next open. */
    @Override
    public void close() throws IOException {
        closing = true;
        if (pending != null) pending.cancel(false);
        pending = null;
        if (owned != null) {
            owned.shutdown();
            try {
                if (!owned.awaitTermination(30, TimeUnit.SECONDS)) owned.shutdownNow();
            } catch (InterruptedException e) {
                owned.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        Files.deleteIfExists(file);
    }
}
