package io.leifdb.server.transport;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.leifdb.server.transport.proto.HoldingsQuery;
import io.leifdb.server.transport.proto.HoldingsReply;
import io.leifdb.server.transport.proto.ShareQuery;
import io.leifdb.server.transport.proto.HeldShare;
import io.leifdb.server.transport.proto.SummaryQuery;
import io.leifdb.server.transport.proto.SummaryReply;
import io.leifdb.server.transport.proto.ShareReply;
import io.leifdb.raft.Message;
import io.leifdb.server.transport.proto.MessageBatch;
import io.leifdb.server.transport.proto.NodeInfo;
import io.leifdb.server.transport.proto.RaftMessage;
import io.leifdb.server.transport.proto.RaftTransportGrpc;
import io.leifdb.server.transport.proto.StreamEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything this node sends to one peer: a queue bounded by count and bytes, one sender thread that (re)connects
 * with Hello and backoff, and the long-lived outbound stream it drains the queue into in batches.
 * While nothing waits in the queue and the stream takes more, the caller (the driver) writes its
 * messages to the stream itself: waking the sender thread for them cost a context switch per Ready
 * (issue 18).
 */
final class PeerStream {
    private static final Logger log = LoggerFactory.getLogger(PeerStream.class);
    private static final long POLL_MILLIS = 50;

    private final GrpcTransport transport;
    private final long peerId;
    private final HostPort address;
    private final TransportOptions options;
    private final OutboundQueue queue;
    /** Messages queued and not yet written or dropped; a caller writes directly only at 0, so order holds. */
    private final AtomicInteger queued = new AtomicInteger();
    /** Held while writing to the stream, by the sender thread or a caller writing directly. */
    private final ReentrantLock writing = new ReentrantLock();
    /** Guarded by {@link #writing}. */
    private final MessageBatch.Builder batch = MessageBatch.newBuilder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder sentBytes = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicBoolean snapshotInFlight = new AtomicBoolean();
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile Outbound current;
    private ManagedChannel channel;
    private Thread sender;
    private ExecutorService snapshotSenders;

    PeerStream(GrpcTransport transport, long peerId, HostPort address, TransportOptions options) {
        this.transport = transport;
        this.peerId = peerId;
        this.address = address;
        this.options = options;
        this.queue = new OutboundQueue(options.queueCapacity(), options.queueBytes());
    }

    /** {@code tls}: mutual TLS with the peer when not null (see PeerTls), plaintext otherwise. */
    void start(EventLoopGroup eventLoops, Executor callbacks, SslContext tls) {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(address.host(), address.port());
        if (tls == null) builder.usePlaintext();
        else builder.sslContext(tls);
        channel = builder
                .channelType(NioSocketChannel.class)
                .eventLoopGroup(eventLoops)
                .executor(callbacks)
                .maxInboundMessageSize(options.maxMessageBytes())
                .keepAliveTime(options.keepAlive().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(options.keepAlive().toMillis(), TimeUnit.MILLISECONDS)
                .build();
        snapshotSenders = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("leifdb-transport-snapshot-" + peerId + "-", 0).factory());
        sender = Thread.ofPlatform().daemon().name("leifdb-transport-send-" + peerId).start(this::run);
    }

    HostPort address() {
        return address;
    }

    boolean connected() {
        return connected;
    }

    long sentCount() {
        return sent.sum();
    }

    long sentBytes() {
        return sentBytes.sum();
    }

    long droppedCount() {
        return dropped.sum();
    }

    /**
     * Non-blocking: writes {@code messages} now, in one batch as far as the byte bound allows, when
     * nothing is queued before them and the stream is ready, else queues them; drops when not
     * connected or when the queue is full by count or bytes, because Raft resends what matters.
     */
    void offer(List<Message> messages) {
        if (!connected) {
            dropped.add(messages.size());
            return;
        }
        Outbound out = current;
        if (queued.get() == 0 && out != null && writing.tryLock()) {
            try {
                // Checked again under the lock: the sender thread may have queued work in flight.
                if (queued.get() == 0 && out.writable()) {
                    writeAll(out, messages);
                    return;
                }
            } catch (RuntimeException e) {
                // A bug must not reach the caller (the driver): drop the messages as a broken stream would.
                log.error("writing to peer {} failed", peerId, e);
                batch.clear();
                dropped.add(messages.size());
                return;
            } finally {
                writing.unlock();
            }
        }
        for (Message m : messages) {
            queued.incrementAndGet();
            if (!queue.offer(m)) {
                queued.decrementAndGet();
                dropped.increment();
            }
        }
    }

    void sendSnapshot(Message.InstallSnapshot m, SnapshotSource source) {
        if (!snapshotInFlight.compareAndSet(false, true)) {
            log.debug("snapshot to {} already in flight; refusing another", peerId);
            GrpcTransport.closeQuietly(source);
            return;
        }
        try {
            snapshotSenders.execute(() -> {
                boolean ok = false;
                try {
                    ok = new SnapshotSender(RaftTransportGrpc.newStub(channel), transport.clusterId(), m, source, () -> closed).run();
                } finally {
                    snapshotInFlight.set(false);
                    transport.snapshotSent(peerId, ok);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            snapshotInFlight.set(false);
            GrpcTransport.closeQuietly(source);
        }
    }

    /** One unary GetShare call on this peer's channel (CRaft reads). */
    CompletableFuture<ShareSource.Share> fetchShare(ShareQuery q, Duration timeout) {
        CompletableFuture<ShareSource.Share> out = new CompletableFuture<>();
        RaftTransportGrpc.newStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .getShare(q, new StreamObserver<>() {
                    @Override
                    public void onNext(ShareReply r) {
                        out.complete(switch (r.getHeldCase()) {
                            case VALUE -> new ShareSource.Share(true, r.getValue().toByteArray());
                            case FRAGMENT -> new ShareSource.Share(false, r.getFragment().toByteArray());
                            case HELD_NOT_SET -> null;
                        });
                    }

                    @Override
                    public void onError(Throwable t) {
                        out.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        out.complete(null);
                    }
                });
        return out;
    }

    /** One unary ShareSummary call on this peer's channel (CRaft repair). */
    CompletableFuture<ShareSource.Summary> fetchSummary(SummaryQuery q, Duration timeout) {
        CompletableFuture<ShareSource.Summary> out = new CompletableFuture<>();
        RaftTransportGrpc.newStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .shareSummary(q, new StreamObserver<>() {
                    @Override
                    public void onNext(SummaryReply r) {
                        List<ShareSource.Held> held = new ArrayList<>(r.getHeldCount());
                        for (HeldShare h : r.getHeldList()) {
                            held.add(new ShareSource.Held(h.getKey(), h.getRevision(), h.getIndex(), h.getTerm(),
                                    h.getFragmentId(), h.getK(), h.getM()));
                        }
                        out.complete(new ShareSource.Summary(held, r.getTruncated()));
                    }

                    @Override
                    public void onError(Throwable t) {
                        out.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        out.completeExceptionally(new IOException("peer " + peerId + " sent no summary"));
                    }
                });
        return out;
    }

    /** One unary Holdings call on this peer's channel (a member starting on an empty data directory). */
    CompletableFuture<Holdings> askHoldings(HoldingsQuery q, Duration timeout) {
        CompletableFuture<Holdings> out = new CompletableFuture<>();
        RaftTransportGrpc.newStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .holdings(q, new StreamObserver<>() {
                    @Override
                    public void onNext(HoldingsReply r) {
                        try {
                            out.complete(new Holdings(r.getTerm(), r.getLastIndex()));
                        } catch (IllegalArgumentException e) { // uint64 above 2^63 - 1: not an answer we can use
                            out.completeExceptionally(e);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        out.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        out.completeExceptionally(new IOException("peer " + peerId + " sent no holdings"));
                    }
                });
        return out;
    }

    void close() {
        closed = true;
        connected = false;
        if (sender == null) return;
        sender.interrupt();
        joinQuietly(sender);
        snapshotSenders.shutdownNow();
        channel.shutdownNow();
        try {
            snapshotSenders.awaitTermination(5, TimeUnit.SECONDS);
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.drainTo(new ArrayList<>(), Integer.MAX_VALUE);
    }

    private void run() {
        long backoff = options.minBackoff().toMillis();
        try {
            while (!closed) {
                if (!hello()) {
                    Thread.sleep(backoff); // reconnect backoff; interrupted by close()
                    backoff = Math.min(backoff * 2, options.maxBackoff().toMillis());
                    continue;
                }
                backoff = options.minBackoff().toMillis();
                Outbound out = new Outbound();
                current = out;
                try {
                    out.open();
                    discardQueued(); // anything that slipped in while we were down is stale by now
                    connected = true;
                    log.debug("stream to peer {} at {} open", peerId, address.target());
                    pump(out);
                } catch (RuntimeException e) {
                    // A bug must not silence this peer for good: log, drop the stream, reconnect.
                    log.error("sender to peer {} failed", peerId, e);
                }
                connected = false;
                out.cancel();
                discardQueued();
                if (!closed) {
                    log.info("stream to peer {} at {} broke; reconnecting", peerId, address.target());
                    transport.peerUnreachable(peerId);
                }
            }
        } catch (InterruptedException e) {
            // close() interrupts us; fall through to exit
        } finally {
            connected = false;
        }
    }

    /** One Hello attempt; true when the peer answered with the id we expect. */
    private boolean hello() {
        // Our backoff governs retries, not the channel's own (which grows to minutes).
        if (channel.getState(true) == ConnectivityState.TRANSIENT_FAILURE) channel.resetConnectBackoff();
        try {
            NodeInfo reply = RaftTransportGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(options.helloTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .hello(transport.selfInfo());
            if (reply.getClusterId() != transport.clusterId()) {
                transport.refusals().refuse(address.target(), "answered as a member of cluster "
                        + ClusterIds.format(reply.getClusterId()), "Hello answer");
                return false;
            }
            if (reply.getId() != peerId) {
                transport.refusals().refuse(address.target(), "answered as node " + reply.getId()
                        + " but is configured as node " + peerId, "Hello answer");
                return false;
            }
            // Only the member we dialled at its configured address tells us its HTTP port.
            transport.learnHttpAddress(peerId, address.host(), reply.getHttpAddress());
            return true;
        } catch (StatusRuntimeException e) {
            log.trace("hello to {} failed: {}", address.target(), e.getStatus());
            return false;
        }
    }

    /** Drains the queue into the stream until it breaks or we close. */
    private void pump(Outbound out) throws InterruptedException {
        List<Message> pending = new ArrayList<>(options.maxBatchMessages());
        while (!closed && !out.broken) {
            Message first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            if (first == null) continue;
            pending.add(first);
            if (!out.awaitReady()) {
                dropped.increment();
                queued.decrementAndGet();
                return;
            }
            // Whatever queued while we waited goes out in the same batch.
            queue.drainTo(pending, options.maxBatchMessages() - 1);
            writing.lock();
            try {
                writeAll(out, pending);
            } finally {
                queued.addAndGet(-pending.size()); // under the lock: a direct write now follows these
                writing.unlock();
            }
            pending.clear();
        }
    }

    /** Encodes {@code messages} into as few batches as the byte bound allows and writes them; holds {@link #writing}. */
    private void writeAll(Outbound out, List<Message> messages) {
        int bytes = 0;
        for (Message m : messages) {
            RaftMessage encoded = MessageCodec.encode(m);
            int size = encoded.getSerializedSize();
            if (size > options.maxMessageBytes() - 16) {
                log.warn("dropping {} to {}: {} bytes exceeds the limit", m.getClass().getSimpleName(), peerId, size);
                dropped.increment();
                continue;
            }
            if (batch.getMessagesCount() > 0 && bytes + size > options.maxBatchBytes()) {
                out.write(batch);
                bytes = 0;
            }
            batch.addMessages(encoded);
            bytes += size;
        }
        if (batch.getMessagesCount() > 0) out.write(batch);
    }

    private void discardQueued() {
        List<Message> lost = new ArrayList<>();
        queue.drainTo(lost, Integer.MAX_VALUE);
        queued.addAndGet(-lost.size());
        dropped.add(lost.size());
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One outbound stream; its flags belong to it, so a late callback of an old stream cannot touch a new one. */
    private final class Outbound implements ClientResponseObserver<MessageBatch, StreamEnd> {
        private final Object readyLock = new Object();
        private volatile boolean broken;
        /** Set by gRPC inside {@link #open()}; a caller writing directly may see this stream before that. */
        private volatile ClientCallStreamObserver<MessageBatch> call;

        void open() {
            RaftTransportGrpc.newStub(channel).withOnReadyThreshold(options.maxBatchBytes() * 4).stream(this);
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<MessageBatch> requestStream) {
            call = requestStream;
            requestStream.setOnReadyHandler(this::wake);
        }

        /** Whether gRPC takes more now without buffering unboundedly. */
        boolean writable() {
            ClientCallStreamObserver<MessageBatch> c = call;
            return c != null && !broken && c.isReady();
        }

        /** Waits until gRPC will take more without buffering unboundedly; false when the stream ended. */
        boolean awaitReady() throws InterruptedException {
            synchronized (readyLock) {
                while (!call.isReady() && !broken && !closed) readyLock.wait(POLL_MILLIS);
            }
            return !broken && !closed;
        }

        void write(MessageBatch.Builder batch) {
            int n = batch.getMessagesCount();
            try {
                MessageBatch b = batch.setClusterId(transport.clusterId()).build();
                call.onNext(b);
                sent.add(n);
                sentBytes.add(b.getSerializedSize()); // memoized by protobuf: gRPC computed it to write the frame
            } catch (RuntimeException e) {
                // A cancelled call may throw here; the messages are lost like any on a broken stream.
                dropped.add(n);
                broken = true;
            }
            batch.clear();
        }

        void cancel() {
            if (call != null) call.cancel("stream closed", null);
        }

        @Override
        public void onNext(StreamEnd value) {
        }

        @Override
        public void onError(Throwable t) {
            log.debug("stream to {} failed: {}", peerId, t.toString());
            end();
        }

        @Override
        public void onCompleted() {
            end();
        }

        private void end() {
            broken = true;
            if (current == this) connected = false;
            wake();
        }

        private void wake() {
            synchronized (readyLock) {
                readyLock.notifyAll();
            }
        }
    }
}
