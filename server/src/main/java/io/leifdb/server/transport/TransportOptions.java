package io.leifdb.server.transport;

import java.time.Duration;

/**
 * Tuning knobs of {@link GrpcTransport}. Tests shrink them; production uses {@link #defaults()}.
 *
 * @param queueCapacity   messages waiting per peer before {@code send} starts dropping
 * @param queueBytes      entry bytes waiting per peer before {@code send} starts dropping (one larger
 *                        message is taken when the queue is empty)
 * @param maxBatchMessages messages written in one {@code MessageBatch}
 * @param maxBatchBytes   encoded bytes in one batch (a single larger message goes alone)
 * @param maxMessageBytes largest gRPC message accepted or sent; a larger Raft message is dropped
 * @param minBackoff      first wait after a failed Hello; doubles up to {@code maxBackoff}
 * @param helloTimeout    deadline of one Hello attempt
 * @param keepAlive       idle time before a ping checks a connection (finds paused peers)
 */
record TransportOptions(int queueCapacity, long queueBytes, int maxBatchMessages, int maxBatchBytes,
                        int maxMessageBytes, Duration minBackoff, Duration maxBackoff, Duration helloTimeout, Duration keepAlive) {
    TransportOptions {
        if (queueCapacity < 1 || queueBytes < 1 || maxBatchMessages < 1 || maxBatchBytes < 1
                || maxMessageBytes < maxBatchBytes) {
            throw new IllegalArgumentException("bad transport options");
        }
    }

    /**
     * 32 MiB of entries per peer: twice the core's budget in flight to a follower (Node), so the
     * core's flow control, not drops here, paces a slow follower, while a peer that stalls still
     * holds a bounded part of the heap (4096 messages of 1 MiB values held 4 GiB).
     */
    static TransportOptions defaults() {
        return new TransportOptions(4096, 32L << 20, 256, 1 << 20, 256 << 20,
                Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    TransportOptions withQueueCapacity(int capacity) {
        return new TransportOptions(capacity, queueBytes, maxBatchMessages, maxBatchBytes, maxMessageBytes,
                minBackoff, maxBackoff, helloTimeout, keepAlive);
    }

    TransportOptions withQueueBytes(long bytes) {
        return new TransportOptions(queueCapacity, bytes, maxBatchMessages, maxBatchBytes, maxMessageBytes,
                minBackoff, maxBackoff, helloTimeout, keepAlive);
    }
}
