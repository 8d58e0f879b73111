package io.leifdb.server.transport;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.leifdb.raft.Message;
import io.leifdb.server.tls.TlsIdentity;
import io.leifdb.server.transport.proto.RaftTransportGrpc;
import io.leifdb.server.transport.proto.NodeInfo;
import io.leifdb.server.transport.proto.ShareQuery;
import io.leifdb.server.transport.proto.SummaryQuery;
import io.leifdb.server.transport.proto.HoldingsQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Raft messages between members over gRPC. Each node keeps one long-lived outbound stream to
 * every peer and writes all its messages for that peer there, batched, so AppendEntries pipeline
 * without a round trip each; replies come back on the peer's own stream to us. Snapshots travel
 * on a separate chunked stream.
 *
 * <p>Delivery is best effort, as Raft expects: messages to a peer arrive in send order while its
 * stream stays up; a full queue, a down peer or a broken stream loses messages (counted in
 * {@link #stats()}). All methods are thread-safe.
 */
public final class GrpcTransport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GrpcTransport.class);

    /**
     * What the transport hands to the node. Callbacks run on transport threads, concurrently for
     * different peers; they must return quickly (enqueue and go) and must not throw (a throw is
     * logged and the message lost). None runs after {@link #close()} returns.
     */
    public interface Listener {
        /**
         * An inbound message addressed to this node, from a caller that named our cluster;
         * {@code origin} is the caller's socket address, for logs. Called in arrival order per sending peer.
         */
        void onMessage(Message m, String origin);

        /** The outcome of {@link #sendSnapshot}: {@code ok} once the peer staged every file. */
        void snapshotSent(long peer, boolean ok);

        /** The stream to {@code peer} broke; messages queued for it were dropped (§5.3 retries). */
        void onPeerUnreachable(long peer);

        /**
         * Called on a transport thread when a peer starts a snapshot transfer (I/O is fine here);
         * the header reaches {@link #onMessage} only after {@link SnapshotSink#finish()} returns.
         * Transfers from different senders may overlap, each with its own sink. A throw rejects the transfer.
         */
        SnapshotSink openSnapshotSink(Message.InstallSnapshot header) throws IOException;
    }

    /**
     * Counters since start: messages written to peers' streams, dropped before that, and delivered
     * to the listener; {@code sentBytes} is the protobuf size of what was written to the streams
     * (Raft messages only, not snapshots or share reads; HTTP/2 and TLS framing not included);
     * {@code refused} counts calls and messages refused for their cluster id, sender or address.
     */
    public record Stats(long sent, long dropped, long received, long sentBytes, long refused) {
    }

    /** The raft and HTTP {@code host:port} a member announced in its Hello. */
    public record Announced(String raftAddress, String httpAddress) {
    }

    private final long clusterId;
    private final long selfId;
    private final NodeInfo self;
    private final RefusalLog refusals = new RefusalLog(log, Duration.ofSeconds(10), System::nanoTime);
    private final HostPort bindAddress;
    private final Optional<TlsIdentity> tls;
    private final Listener listener;
    private final TransportOptions options;
    /** Replaced, never mutated in place, when a member's address changes ({@link #setPeerAddress}). */
    private final Map<Long, PeerStream> peers = new ConcurrentHashMap<>();
    /** What each member said of itself in its latest Hello to us: where it listens now (issue 13). */
    private final Map<Long, Announced> announced = new ConcurrentHashMap<>();
    private final Map<Long, String> httpAddresses = new ConcurrentHashMap<>();
    private final LongAdder unroutable = new LongAdder();
    /** What streams closed by a move or a removal had counted. */
    private final LongAdder retiredSent = new LongAdder();
    private final LongAdder retiredDropped = new LongAdder();
    private final LongAdder retiredBytes = new LongAdder();
    private final LongAdder received = new LongAdder();
    private volatile ShareSource shares = ShareSource.NONE;
    /** Null until the node knows what it holds: peers asking meanwhile get UNAVAILABLE, never a guess. */
    private volatile Supplier<Holdings> holdings;
    private final Object lifecycle = new Object();
    private volatile boolean started;
    private volatile boolean closed;
    private EventLoopGroup eventLoops;
    private ExecutorService rpcExecutor;
    private Server server;
    private SslContext clientTls;

    /**
     * @param clusterId         the cluster's id ({@link ClusterIds}): sent on every call, and required of every caller
     * @param selfId            this node's id (positive)
     * @param selfRaftAddress   {@code host:port} to bind and to announce; port 0 picks a free port
     * @param selfHttpAddress   announced to peers in Hello, e.g. for follower redirects
     * @param peerRaftAddresses every member's {@code host:port}; an entry for {@code selfId} is ignored
     * @throws IllegalArgumentException on a non-positive id or an address that is not host:port
     */
    public GrpcTransport(long clusterId, long selfId, String selfRaftAddress, String selfHttpAddress,
                         Map<Long, String> peerRaftAddresses, Listener listener) {
        this(clusterId, selfId, selfRaftAddress, selfHttpAddress, peerRaftAddresses, listener,
                PeerNetwork.plaintext(selfRaftAddress));
    }

    /** As above, binding and securing the Raft port as {@code network} says. */
    public GrpcTransport(long clusterId, long selfId, String selfRaftAddress, String selfHttpAddress,
                         Map<Long, String> peerRaftAddresses, Listener listener, PeerNetwork network) {
        this(clusterId, selfId, selfRaftAddress, selfHttpAddress, peerRaftAddresses, listener, TransportOptions.defaults(),
                network);
    }

    private static final ServerCallExecutorSupplier STREAM_ON_EVENT_LOOP = new ServerCallExecutorSupplier() {
        @Override
        public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
            return call.getMethodDescriptor().getFullMethodName()
                    .equals(RaftTransportGrpc.getStreamMethod().getFullMethodName()) ? MoreExecutors.directExecutor() : null;
        }
    };

    GrpcTransport(long clusterId, long selfId, String selfRaftAddress, String selfHttpAddress,
                  Map<Long, String> peerRaftAddresses, Listener listener, TransportOptions options) {
        this(clusterId, selfId, selfRaftAddress, selfHttpAddress, peerRaftAddresses, listener, options,
                PeerNetwork.plaintext(selfRaftAddress));
    }

    GrpcTransport(long clusterId, long selfId, String selfRaftAddress, String selfHttpAddress,
                  Map<Long, String> peerRaftAddresses, Listener listener, TransportOptions options, PeerNetwork network) {
        if (selfId <= 0) throw new IllegalArgumentException("node id must be positive, got " + selfId);
        if (clusterId == 0) throw new IllegalArgumentException("cluster id must not be 0");
        this.clusterId = clusterId;
        this.selfId = selfId;
        this.bindAddress = HostPort.parse(network.bindAddress());
        this.tls = network.tls();
        this.self = NodeInfo.newBuilder().setId(selfId).setClusterId(clusterId).setRaftAddress(selfRaftAddress.strip())
                .setHttpAddress(selfHttpAddress == null ? "" : selfHttpAddress).build();
        this.listener = listener;
        this.options = options;
        peerRaftAddresses.forEach((id, address) -> {
            if (id <= 0) throw new IllegalArgumentException("node id must be positive, got " + id);
            if (id != selfId) peers.put(id, new PeerStream(this, id, HostPort.parse(address), options));
        });
    }

    /**
     * Binds the gRPC server on the host and port of {@code selfRaftAddress} (0.0.0.0 for every
     * interface), then starts connecting to every peer in the background. Returns once bound.
     *
     * @throws IOException           when the port cannot be bound
     * @throws IllegalStateException when called twice or after close
     */
    public void start() throws IOException {
        synchronized (lifecycle) {
            if (started || closed) throw new IllegalStateException("transport already started or closed");
            eventLoops = new MultiThreadIoEventLoopGroup(2,
                    new DefaultThreadFactory("leifdb-transport-netty", true), NioIoHandler.newFactory());
            rpcExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("leifdb-transport-rpc-", 0).factory());
            try {
                NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(bindAddress.host(), bindAddress.port()));
                clientTls = tls.isPresent() ? PeerTls.client(tls.get()) : null;
                if (tls.isPresent()) builder.sslContext(PeerTls.server(tls.get()));
                server = builder
                        .channelType(NioServerSocketChannel.class)
                        .bossEventLoopGroup(eventLoops)
                        .workerEventLoopGroup(eventLoops)
                        .executor(rpcExecutor)
                        // Raft message batches only queue for the driver, so they run on the event loop
                        // instead of paying a thread hand-off per batch; every other call keeps rpcExecutor.
                        .callExecutor(STREAM_ON_EVENT_LOOP)
                        .maxInboundMessageSize(options.maxMessageBytes())
                        .permitKeepAliveTime(options.keepAlive().toMillis() / 2, TimeUnit.MILLISECONDS)
                        // The last interceptor runs first: RemotePeer names the caller for CertifiedMember's refusals.
                        .addService(ServerInterceptors.intercept(new InboundService(this), new CertifiedMember(this),
                                new RemotePeer()))
                        .build()
                        .start();
            } catch (IOException | RuntimeException e) {
                releaseRuntime();
                throw e instanceof IOException io ? io
                        : new IOException("cannot bind raft port " + bindAddress.target(), e);
            }
            started = true;
            for (PeerStream p : peers.values()) p.start(eventLoops, rpcExecutor, clientTls);
            log.info("raft transport of node {} listening on {}{}", selfId, bindAddress.host() + ":" + boundPort(),
                    tls.isPresent() ? " (mutual TLS)" : "");
        }
    }

    /**
     * Reaches member {@code id} at {@code raftAddress} from now on: a new member gets a stream, a
     * moved one a fresh stream to its new address (messages queued for the old one are dropped, as on
     * any broken stream). The same address again changes nothing. Thread-safe.
     *
     * @throws IllegalArgumentException when {@code raftAddress} is not host:port or the id is not positive
     */
    public void setPeerAddress(long id, String raftAddress) {
        if (id <= 0) throw new IllegalArgumentException("node id must be positive, got " + id);
        HostPort address = HostPort.parse(raftAddress);
        if (id == selfId) return;
        PeerStream old;
        synchronized (lifecycle) {
            if (closed) return;
            old = peers.get(id);
            if (old != null && old.address().equals(address)) return;
            PeerStream fresh = new PeerStream(this, id, address, options);
            peers.put(id, fresh);
            httpAddresses.remove(id); // learned again from the new address's Hello
            if (started) fresh.start(eventLoops, rpcExecutor, clientTls);
        }
        if (old != null) {
            log.info("member {} moved: raft traffic now goes to {} (was {})", id, address.target(), old.address().target());
            retire(old);
        }
    }

    /**
     * Stops dialling member {@code id}, which left the configuration: its stream closes (queued
     * messages are dropped), later messages to it count as unroutable, and nothing retries its
     * address any more. {@link #setPeerAddress} dials it again should it come back. Thread-safe.
     */
    public void removePeer(long id) {
        PeerStream old;
        synchronized (lifecycle) {
            old = peers.remove(id);
            httpAddresses.remove(id);
        }
        if (old != null) {
            log.info("member {} left the configuration: no longer dialled at {}", id, old.address().target());
            retire(old);
        }
    }

    /** Closes a stream no longer in {@link #peers}, keeping its counts in the totals so that counters never go back. */
    private void retire(PeerStream old) {
        old.close();
        retiredSent.add(old.sentCount());
        retiredDropped.add(old.droppedCount());
        retiredBytes.add(old.sentBytes());
    }

    /** The raft address this node dials for {@code id}, if it knows one. */
    public Optional<String> peerAddress(long id) {
        PeerStream p = peers.get(id);
        return p == null ? Optional.empty() : Optional.of(p.address().target());
    }

    /** The members this node dials at {@code address}. */
    java.util.Set<Long> peersAt(HostPort address) {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        peers.forEach((id, p) -> {
            if (p.address().host().equalsIgnoreCase(address.host()) && p.address().port() == address.port()) ids.add(id);
        });
        return ids;
    }

    /** What each member that said Hello to us lately announced as its addresses. */
    public Map<Long, Announced> announced() {
        return Map.copyOf(announced);
    }

    /** The port the server listens on (useful when configured with port 0). */
    public int boundPort() {
        if (server == null) throw new IllegalStateException("transport not started");
        return ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
    }

    /**
     * Writes {@code m} to its peer's stream, or queues it, and returns at once; never blocks and never
     * throws. Dropped (and counted) when the peer is unknown, not connected, or its queue is full. Any
     * message type may go here; an InstallSnapshot sent this way carries only its inline data.
     */
    public void send(Message m) {
        send(List.of(m));
    }

    /** {@link #send(Message)} for each of {@code messages}, in order; those to one peer go in one batch when they can. */
    public void send(List<Message> messages) {
        if (messages.isEmpty()) return;
        long to = messages.getFirst().to();
        boolean onePeer = true;
        for (Message m : messages) onePeer &= m.to() == to;
        if (onePeer) {
            offer(to, messages);
            return;
        }
        Map<Long, List<Message>> byPeer = new LinkedHashMap<>();
        for (Message m : messages) byPeer.computeIfAbsent(m.to(), k -> new ArrayList<>()).add(m);
        byPeer.forEach(this::offer);
    }

    private void offer(long to, List<Message> messages) {
        PeerStream p = peers.get(to);
        if (p == null || !started || closed) {
            unroutable.add(messages.size());
            return;
        }
        p.offer(messages);
    }

    /**
     * Streams {@code source} to {@code m.to()} in the background, then calls
     * {@link Listener#snapshotSent}. Returns at once. {@code source} is always closed. While a
     * transfer to that peer is in flight a second one is refused: its source is closed and only
     * the first transfer's outcome is reported. An unknown peer fails the transfer; before
     * {@link #start()} or after {@link #close()} nothing is reported.
     */
    public void sendSnapshot(Message.InstallSnapshot m, SnapshotSource source) {
        PeerStream p = peers.get(m.to());
        if (p == null || !started || closed) {
            closeQuietly(source);
            reportLater(m.to());
            return;
        }
        p.sendSnapshot(m, source);
    }

    /** Reports a failed transfer off the caller's thread, on an executor that close() drains. */
    private void reportLater(long peer) {
        synchronized (lifecycle) {
            if (!started || closed) return;
            try {
                rpcExecutor.execute(() -> snapshotSent(peer, false));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing: no callbacks any more
            }
        }
    }

    /**
     * A member's HTTP address: the host of its configured raft address and the port it reported
     * when we dialled it (Hello's answer), or this node's own. Empty until learned.
     */
    public Optional<String> httpAddressOf(long id) {
        if (id == selfId) return Optional.of(self.getHttpAddress()).filter(s -> !s.isEmpty());
        return Optional.ofNullable(httpAddresses.get(id));
    }

    /** Whether the outbound stream to {@code peer} is open (Hello succeeded and it has not broken). */
    public boolean isConnected(long peer) {
        PeerStream p = peers.get(peer);
        return p != null && p.connected();
    }

    /** Who answers peers' {@link #fetchShare} calls; by default nothing is held. */
    public void shareSource(ShareSource source) {
        this.shares = source;
    }

    ShareSource shareSource() {
        return shares;
    }

    /**
     * CRaft reads: asks {@code peer} for its share of the value a put of {@code key} wrote at
     * ({@code index}, {@code term}). Completes with null when the peer does not hold it, and
     * exceptionally when it cannot be reached within {@code timeout}.
     */
    public CompletableFuture<ShareSource.Share> fetchShare(long peer, String key, long revision, long index, long term,
                                                          Duration timeout) {
        return fetchShare(peer, key, revision, index, term, 0, 0, timeout);
    }

    /**
     * As above, for {@code shardLength} bytes of the fragment's shard from {@code shardOffset} (0: all of
     * it). The peer may send the whole fragment instead (a member from before ranges does).
     */
    public CompletableFuture<ShareSource.Share> fetchShare(long peer, String key, long revision, long index, long term,
                                                          int shardOffset, int shardLength, Duration timeout) {
        PeerStream p = peers.get(peer);
        if (p == null || !started || closed) {
            return CompletableFuture.failedFuture(new IOException("peer " + peer + " unknown or transport down"));
        }
        return p.fetchShare(ShareQuery.newBuilder().setClusterId(clusterId).setFrom(selfId).setKey(key).setIndex(index)
                .setTerm(term).setRevision(revision).setShardOffset(shardOffset).setShardLength(shardLength).build(),
                timeout);
    }

    /**
     * CRaft repair: asks {@code peer} what it stores of the keys after {@code afterKey} up to
     * {@code lastKey} (at most {@code limit}). Fails when the peer cannot be reached within {@code timeout}.
     */
    public CompletableFuture<ShareSource.Summary> fetchSummary(long peer, String afterKey, String lastKey, int limit,
                                                              Duration timeout) {
        PeerStream p = peers.get(peer);
        if (p == null || !started || closed) {
            return CompletableFuture.failedFuture(new IOException("peer " + peer + " unknown or transport down"));
        }
        return p.fetchSummary(SummaryQuery.newBuilder().setClusterId(clusterId).setFrom(selfId).setAfterKey(afterKey)
                .setLastKey(lastKey).setLimit(limit).build(), timeout);
    }

    /** Who answers peers' {@link #askHoldings} calls; must be thread-safe and quick (it runs on transport threads). */
    public void holdingsSource(Supplier<Holdings> source) {
        this.holdings = source;
    }

    /** What this node holds now, or null when it does not know yet. */
    Holdings holdings() {
        Supplier<Holdings> source = holdings;
        return source == null ? null : source.get();
    }

    /**
     * Asks {@code peer} what it holds (its term and last index). Completes exceptionally when the
     * peer cannot be reached within {@code timeout}, refuses us, or does not know yet.
     */
    public CompletableFuture<Holdings> askHoldings(long peer, Duration timeout) {
        PeerStream p = peers.get(peer);
        if (p == null || !started || closed) {
            return CompletableFuture.failedFuture(new IOException("peer " + peer + " unknown or transport down"));
        }
        return p.askHoldings(HoldingsQuery.newBuilder().setClusterId(clusterId).setFrom(selfId).build(), timeout);
    }

    /** Protobuf bytes written to {@code peer}'s stream since start; 0 for an unknown peer. */
    public long sentBytesTo(long peer) {
        PeerStream p = peers.get(peer);
        return p == null ? 0 : p.sentBytes();
    }

    public Stats stats() {
        long sent = retiredSent.sum();
        long dropped = unroutable.sum() + retiredDropped.sum();
        long bytes = retiredBytes.sum();
        for (PeerStream p : peers.values()) {
            bytes += p.sentBytes();
            sent += p.sentCount();
            dropped += p.droppedCount();
        }
        return new Stats(sent, dropped, received.sum(), bytes, refusals.count());
    }

    /**
     * Stops the server, every peer stream and every snapshot transfer, and waits for their
     * threads; pending messages are dropped. Idempotent; no listener callback runs after it returns.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) return;
            closed = true;
            for (PeerStream p : peers.values()) p.close();
            if (server != null) {
                server.shutdownNow();
                awaitQuietly(() -> server.awaitTermination(5, TimeUnit.SECONDS));
            }
            releaseRuntime();
        }
    }

    private void releaseRuntime() {
        if (rpcExecutor != null) {
            rpcExecutor.shutdownNow();
            awaitQuietly(() -> rpcExecutor.awaitTermination(5, TimeUnit.SECONDS));
        }
        if (eventLoops != null) {
            eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    // ---- package-private hooks for the peer streams and the inbound service ----

    long selfId() {
        return selfId;
    }

    long clusterId() {
        return clusterId;
    }

    RefusalLog refusals() {
        return refusals;
    }

    /** Whether {@code id} is a configured member other than us: only those may Hello, snapshot or read shares. */
    boolean isPeer(long id) {
        return peers.containsKey(id);
    }

    /** Whether a caller named our cluster; refuses (and logs, rate-limited) when not. */
    boolean ourCluster(long callerClusterId, String peer, String what) {
        if (callerClusterId == clusterId) return true;
        refusals.refuse(peer, "cluster id " + ClusterIds.format(callerClusterId) + " is not ours ("
                + ClusterIds.format(clusterId) + ")", what);
        return false;
    }

    NodeInfo selfInfo() {
        return self;
    }

    /**
     * The member at configured host {@code raftHost} reported {@code reported} as its HTTP address:
     * keep its port on the configured host, so a redirect never leads off the host we dial for Raft.
     */
    void learnHttpAddress(long id, String raftHost, String reported) {
        if (id == selfId || reported.isEmpty()) return;
        try {
            httpAddresses.put(id, new HostPort(raftHost, HostPort.parse(reported).port()).target());
        } catch (IllegalArgumentException e) {
            log.warn("member {} reported an HTTP address that is not host:port: {}", id, reported);
        }
    }

    /** A member's Hello (already checked to be ours and allowed to claim its id) said where it listens. */
    void heardHello(long id, String raftAddress, String httpAddress) {
        if (id == selfId || raftAddress.isEmpty()) return;
        announced.put(id, new Announced(raftAddress, httpAddress));
    }

    /** Hands an inbound message to the listener on the calling gRPC thread (no extra hop). */
    void deliver(Message m, String origin) {
        if (closed) return;
        received.increment();
        try {
            listener.onMessage(m, origin);
        } catch (RuntimeException e) {
            log.warn("listener failed on {} from {}", m.getClass().getSimpleName(), m.from(), e);
        }
    }

    SnapshotSink openSnapshotSink(Message.InstallSnapshot header) throws IOException {
        if (closed) throw new IOException("transport closed");
        return listener.openSnapshotSink(header);
    }

    void snapshotSent(long peer, boolean ok) {
        if (closed) return;
        try {
            listener.snapshotSent(peer, ok);
        } catch (RuntimeException e) {
            log.warn("listener failed on snapshotSent({}, {})", peer, ok, e);
        }
    }

    void peerUnreachable(long peer) {
        if (closed) return;
        try {
            listener.onPeerUnreachable(peer);
        } catch (RuntimeException e) {
            log.warn("listener failed on onPeerUnreachable({})", peer, e);
        }
    }

    static void closeQuietly(SnapshotSource source) {
        try {
            source.close();
        } catch (IOException | RuntimeException e) {
            log.warn("closing snapshot source failed", e);
        }
    }

    private interface Await {
        boolean await() throws InterruptedException;
    }

    private static void awaitQuietly(Await a) {
        try {
            if (!a.await()) log.warn("transport shutdown timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
