package io.leifdb.server.transport;

import io.leifdb.raft.Entry;
import io.leifdb.raft.Message;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The messages waiting for one peer's stream, bounded by count and by the bytes of the entries they
 * carry, so that a slow peer holds a bounded share of the heap whatever the size of the values.
 * A message over the byte bound is still taken when nothing waits (the core sends one such append
 * alone; refusing it would stall that peer for good). Thread-safe: one or more producers (the
 * driver) and one consumer (the peer's sender thread).
 */
final class OutboundQueue {
    /** What a message without entries is counted as: its header and fields, roughly. */
    static final long HEADER_BYTES = 64;

    private final BlockingQueue<Message> queue;
    private final long maxBytes;
    /** The weight of what {@link #queue} holds; may lag a racing poll, never below the truth. */
    private final AtomicLong bytes = new AtomicLong();

    OutboundQueue(int capacity, long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("queue byte bound must be positive: " + maxBytes);
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBytes = maxBytes;
    }

    /** How much of the byte bound {@code m} takes: the entries it carries, as the core counts them. */
    static long weight(Message m) {
        List<Entry> entries = switch (m) {
            case Message.AppendEntries a -> a.entries();
            case Message.FragmentResponse f -> f.entries();
            default -> List.of();
        };
        long w = HEADER_BYTES;
        for (Entry e : entries) {
            w += e.sizeBytes();
        }
        return w;
    }

    /** Non-blocking: false when full by count or when {@code m} would pass the byte bound. */
    boolean offer(Message m) {
        long w = weight(m);
        long after = bytes.addAndGet(w);
        if (after > maxBytes && after != w) { // alone, anything fits
            bytes.addAndGet(-w);
            return false;
        }
        if (!queue.offer(m)) {
            bytes.addAndGet(-w);
            return false;
        }
        return true;
    }

    /** The next message, waiting up to {@code timeout}; null when none came. */
    Message poll(long timeout, TimeUnit unit) throws InterruptedException {
        Message m = queue.poll(timeout, unit);
        if (m != null) {
            bytes.addAndGet(-weight(m));
        }
        return m;
    }

    /** Moves up to {@code max} waiting messages to {@code into}; returns how many. */
    int drainTo(List<Message> into, int max) {
        int from = into.size();
        int n = queue.drainTo(into, max);
        long w = 0;
        for (int i = from; i < into.size(); i++) {
            w += weight(into.get(i));
        }
        bytes.addAndGet(-w);
        return n;
    }

    /** Bytes counted against the bound now. */
    long bytes() {
        return bytes.get();
    }

    int size() {
        return queue.size();
    }
}
