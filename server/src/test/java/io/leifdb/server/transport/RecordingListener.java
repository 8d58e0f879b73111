package io.leifdb.server.transport;

import io.leifdb.raft.Message;
import io.leifdb.server.kv.SnapshotChunk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A transport listener for tests: records every callback, and stages snapshots in memory. */
final class RecordingListener implements GrpcTransport.Listener {
    final List<Message> messages = new CopyOnWriteArrayList<>();
    final List<Long> unreachable = new CopyOnWriteArrayList<>();
    final Map<Long, Boolean> snapshotResults = new ConcurrentHashMap<>();
    final List<MemorySink> sinks = new CopyOnWriteArrayList<>();
    /** When set, onMessage waits for it, which holds up the gRPC stream like a stalled node. */
    volatile CountDownLatch gate;
    volatile boolean refuseSnapshots;

    @Override
    public void onMessage(Message m, String origin) {
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        messages.add(m);
    }

    @Override
    public void snapshotSent(long peer, boolean ok) {
        snapshotResults.put(peer, ok);
    }

    @Override
    public void onPeerUnreachable(long peer) {
        unreachable.add(peer);
    }

    @Override
    public SnapshotSink openSnapshotSink(Message.InstallSnapshot header) throws IOException {
        if (refuseSnapshots) throw new IOException("disk full");
        MemorySink sink = new MemorySink();
        sinks.add(sink);
        return sink;
    }

    <T extends Message> List<T> received(Class<T> type) {
        return messages.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Keeps each file's bytes; records whether it was finished or aborted. */
    static final class MemorySink implements SnapshotSink {
        final Map<String, ByteArrayOutputStream> files = new ConcurrentHashMap<>();
        final List<SnapshotChunk> chunks = new CopyOnWriteArrayList<>();
        volatile boolean finished;
        volatile boolean aborted;

        @Override
        public void accept(SnapshotChunk chunk) {
            chunks.add(chunk);
            files.computeIfAbsent(chunk.file(), f -> new ByteArrayOutputStream()).writeBytes(chunk.data());
        }

        @Override
        public void finish() {
            finished = true;
        }

        @Override
        public void abort() {
            aborted = true;
        }
    }

    /** Yields a fixed list of chunks and records that it was closed. */
    static final class ListSource implements SnapshotSource {
        private final List<SnapshotChunk> chunks;
        private int next;
        volatile boolean closed;

        ListSource(List<SnapshotChunk> chunks) {
            this.chunks = chunks;
        }

        @Override
        public SnapshotChunk next() {
            return next < chunks.size() ? chunks.get(next++) : null;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
