package io.leifdb.server.node;

import io.leifdb.server.config.DataDir;
import io.leifdb.raft.ConfState;
import io.leifdb.raft.CraftPolicy;
import io.leifdb.raft.ErasureCoding;
import io.leifdb.raft.ReplicationPolicy;
import io.leifdb.raft.HardState;
import io.leifdb.raft.Message;
import io.leifdb.raft.AutoPromotion;
import io.leifdb.raft.RaftConfig;
import io.leifdb.server.config.Config;
import io.leifdb.server.http.HttpApi;
import io.leifdb.server.kv.Command;
import io.leifdb.server.kv.FollowerShares;
import io.leifdb.server.config.AuthSettings;
import io.leifdb.server.kv.AddressBook;
import io.leifdb.server.kv.KvStore;
import io.leifdb.server.kv.SnapshotStore;
import io.leifdb.server.storage.SegmentedWal;
import io.leifdb.server.transport.ClusterIds;
import io.leifdb.server.transport.GrpcTransport;
import io.leifdb.server.transport.PeerNetwork;
import io.leifdb.server.transport.SnapshotSink;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;

/**
 * One LeifDB process: storage, the Raft core on its driver thread, the gRPC transport and the
 * HTTP API. A single node is a one-member cluster; nothing is mocked.
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    static final long TICK_MILLIS = 50;
    static final int ELECTION_TICKS = 20;   // 1 s base, drawn in [1 s, 2 s) per election
    /**
     * Entry bytes a leader keeps in flight to one follower: far above bandwidth times round trip
     * (1.3 s of a 100 Mbit/s link), so a healthy follower never waits on it, while a slow one holds
     * at most this much of the leader's heap, not 512 messages of up to 1 MiB (issue 14's bench).
     */
    static final long MAX_INFLIGHT_BYTES = 16L << 20;
    static final int HEARTBEAT_TICKS = 2;   // 100 ms
    /** A learner this many entries or fewer behind the leader's log is promoted when LEIFDB_AUTO_PROMOTE is on. */
    static final long AUTO_PROMOTE_MAX_LAG = 1000;
    /** The process status when the HTTP listener dies under a running node. */
    public static final int EXIT_LISTENER_DIED = 3;

    private final Config config;
    private SegmentedWal wal;
    private KvStore kv;
    private GrpcTransport transport;
    private DriverLoop driver;
    private Outbox outbox;
    private Thread driverThread;
    private HttpApi http;
    private PeriodicBackups periodicBackups;
    private NodeMetrics metrics;
    private final AuthSettings authSettings;
    private NodeAuth auth;
    private AddressKeeper addressKeeper;
    private RepairScrub repairScrub;

    public Node(Config config) {
        this(config, AuthSettings.OFF);
    }

    public Node(Config config, AuthSettings authSettings) {
        this.config = config;
        this.authSettings = authSettings;
    }

    /** Opens storage, joins the cluster and serves HTTP; returns once all are up. */
    public void start() throws IOException {
        DataDir.create(config.dataDir());
        wal = SegmentedWal.open(config.dataDir().resolve("wal"), segmentBytes(config.snapshotThreshold()),
                SegmentedWal.DEFAULT_CACHE_BYTES);
        kv = KvStore.open(config.dataDir().resolve("kv"));
        Identity id = identity();
        long clusterId = id.clusterId();
        // A joined member's id derives from no list: the list (if any) would only name phantom members.
        Members members = new Members(id.memberId(), config.self(), config.httpAddress(),
                ClusterIdentity.joined(config.dataDir()) ? java.util.List.of() : config.memberNodes(),
                id.joined().map(JoinRequest.Joined::members).orElse(kv.addresses()),
                TICK_MILLIS, ELECTION_TICKS);
        CatchUpMarker marker = new CatchUpMarker(config.dataDir());
        if (id.joined().isEmpty() && wal.lastIndex() == 0 && wal.hardState().equals(HardState.EMPTY)
                && wal.confState().voters().isEmpty()) {
            marker.write(); // an empty directory: a new cluster's or a wiped member's (FreshStart tells which)
            // A fresh member: every member derives the same initial membership from LEIFDB_MEMBER_NODES.
            wal.setConfState(ConfState.of(members.bootstrapIds()));
            wal.sync();
        }
        SnapshotStore snapshots = SnapshotStore.open(config.dataDir().resolve("snapshots"), kv);
        CraftPolicy policy = policy(config);
        AtomicReference<DriverLoop> driverRef = new AtomicReference<>();
        transport = new GrpcTransport(clusterId, members.selfId(), config.self(), config.httpAddress(), members.peers(),
                new TransportListener(driverRef, snapshots), new PeerNetwork(config.raftBindAddress(), config.tls().peer()));
        boolean catchingUp = FreshStart.resolveOver(transport, marker, wal, members.peers(), members.selfId());
        RaftConfig rc = new RaftConfig(members.selfId(), ELECTION_TICKS, HEARTBEAT_TICKS, 1 << 20, 512,
                true, true, System.nanoTime() ^ members.selfId(), 0, policy)
                .withMaxInflightBytes(MAX_INFLIGHT_BYTES)
                .withKnownServers(members.ids()) // a stale membership must still hear the configured members (§4.1)
                .withCatchingUp(catchingUp)
                .withAutoPromotion(autoPromotion(config));
        members.httpAddresses(transport::httpAddressOf);
        members.connectivity(transport::isConnected);
        FragmentGatherer gatherer = new FragmentGatherer(kv, transport, members.peers().keySet().stream().toList(),
                e -> driverRef.get().post(e));
        transport.shareSource(gatherer);
        PeerDialling dialling = new PeerDialling(members.selfId(), dialer(transport), members::raftAddressOf,
                members.peers().keySet());
        JoinMarker joining = new JoinMarker(config.dataDir(), members.selfId());
        joining.applied(wal.confState()); // a crash came between applying its addition and removing the marker
        StatusBoard board = new StatusBoard(members.selfId(), members::httpAddressOf, dialling::membersChanged,
                joining::present);
        RocksStateMachine sm = new RocksStateMachine(kv, snapshots, wal, config.snapshotThreshold(), config.retainSnapshots(),
                book -> dialling.bookApplied(members.adopt(book)), ownFragment(policy, members.selfId()), joining::applied);
        outbox = new Outbox(transport, snapshots, e -> driverRef.get().post(e), followerShares(policy, gatherer));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LeaseKeeper leases = new LeaseKeeper(System::nanoTime, kv::leases);
        driver = new DriverLoop(rc, wal, sm, outbox, TICK_MILLIS, board, marker, new DriverMeters(registry), leases);
        driverRef.set(driver);
        FreshStart.answerFromBoard(transport, wal, board);
        driverThread = Thread.ofPlatform().name("raft-driver").start(driver);
        // The membership in the log, not the list: a cluster shrunk to this one voter leads at once too.
        if (board.conf().voters().equals(java.util.Set.of(members.selfId()))) driver.post(new DriverEvent.Campaign());

        addressKeeper = new AddressKeeper(driver, board, members, transport::announced);
        addressKeeper.start();

        metrics = new NodeMetrics(registry, new NodeMetrics.Sources(board, wal.stats(), kv, sm.stats, transport,
                () -> members.peersIn(board.conf()), config.erasureCoding() ? config.effectiveErasureK() : 0));
        http = new HttpApi(registry);
        NodeBackups backups = new NodeBackups(kv, config.dataDir(), clusterId, Version.get(), gatherer::value);
        auth = new NodeAuth(driver, board, kv, authSettings);
        repairScrub = new RepairScrub(members.selfId(), kv, transport, board, driver::post, gatherer,
                () -> clusterCoding(board, policy).on(),
                () -> board.codedReplication() ? Math.max(1, clusterCoding(board, policy).minCodedBytes()) : Long.MAX_VALUE);
        repairScrub.register(registry);
        repairScrub.start();
        NodeBackend backend = new NodeBackend(driver, board, kv, members, Version.get(),
                new NodeCoding(driver, board, policy, repairScrub::figures), gatherer, backups, auth, clusterId, leases);
        http.start(config, backend, Node::listenerDied);
        periodicBackups = PeriodicBackups.start(config.backups(), backend);
        log.info("LeifDB {} node {} serving {}://{} (raft {}, data {})", Version.get(), members.selfId(),
                config.tls().client().isPresent() ? "https" : "http", config.httpAddress(), config.self(), config.dataDir());
    }

    /** Who this data directory says this member is, and of which cluster; a joining node asks the cluster first. */
    private record Identity(long clusterId, long memberId, java.util.Optional<JoinRequest.Joined> joined) {
    }

    /**
     * Bootstrap members take the id their address derives and the cluster id the member list derives
     * (every fresh member agrees without talking); a node with LEIFDB_JOIN and nothing yet received
     * draws a random id, stores it, and asks the cluster to add it. A directory from before member ids
     * stores its derived id now (see {@link MemberId}).
     */
    private Identity identity() throws IOException {
        java.nio.file.Path dir = config.dataDir();
        boolean nothingReceived = kv.appliedIndex() == 0 && wal.lastIndex() == 0 && wal.snapshotMeta().index() == 0;
        boolean mustJoin = !ClusterIdentity.present(dir) ? config.join().isPresent()
                : ClusterIdentity.joined(dir) && nothingReceived;
        if (!mustJoin) {
            if (config.join().isPresent()) {
                log.info("{} is ignored: this data directory already belongs to a cluster", Config.JOIN);
            }
            long clusterId = ClusterIdentity.load(dir, config.memberNodes());
            return new Identity(clusterId, MemberId.loadOrDerive(dir, config.self()), java.util.Optional.empty());
        }
        if (config.join().isEmpty()) {
            throw new IllegalStateException("this member joined a cluster but has received nothing from it yet: start it"
                    + " with " + Config.JOIN + " again (the HTTP address of any member)");
        }
        java.util.Optional<Long> stored = MemberId.stored(dir);
        long memberId = stored.isPresent() ? stored.get() : MemberId.random();
        if (stored.isEmpty()) MemberId.store(dir, memberId); // before asking, so a retry after a crash is the same request
        JoinMarker.write(dir); // before asking: until it applies its own addition, a membership without it is no removal
        log.info("joining the cluster through {} as new member {}", config.join().get(), memberId);
        JoinRequest.Joined joined = new JoinRequest(config.join().get(), memberId,
                new AddressBook.Addresses(config.self(), config.httpAddress())).run();
        ClusterIdentity.storeJoined(dir, joined.clusterId());
        log.info("added to cluster {} as learner {}; {} other members", ClusterIds.format(joined.clusterId()), memberId,
                joined.members().entries().size());
        return new Identity(joined.clusterId(), memberId, java.util.Optional.of(joined));
    }

    /** The transport's streams as {@link PeerDialling} drives them; an unusable book entry is logged, never thrown. */
    private static PeerDialling.Dialer dialer(GrpcTransport transport) {
        return new PeerDialling.Dialer() {
            @Override
            public void dial(long id, String raftAddress) {
                try {
                    transport.setPeerAddress(id, raftAddress);
                } catch (IllegalArgumentException e) {
                    log.warn("address book entry of member {} is not usable: {}", id, e.getMessage());
                }
            }

            @Override
            public void hangUp(long id) {
                transport.removePeer(id);
            }
        };
    }

    /** Hands {@code e} to the driver thread (tests drive core paths that have no API yet). */
    void post(DriverEvent e) {
        driver.post(e);
    }

    /** LEIFDB_AUTO_PROMOTE as the core's rule: on, a learner within {@link #AUTO_PROMOTE_MAX_LAG} entries is promoted. */
    static AutoPromotion autoPromotion(Config config) {
        return config.autoPromote() ? AutoPromotion.within(AUTO_PROMOTE_MAX_LAG) : AutoPromotion.OFF;
    }

    /**
     * A node clients cannot reach must not stay leader, so it exits; a supervisor restarts it and Raft
     * elects another leader meanwhile (docs/architecture.md, "HTTP listener"). Off the listener's thread,
     * since exiting runs the shutdown hook that stops the listener.
     */
    private static void listenerDied() {
        log.error("exiting with status {}: the HTTP listener died", EXIT_LISTENER_DIED);
        Thread.ofPlatform().name("listener-died").start(() -> System.exit(EXIT_LISTENER_DIED));
    }

    /**
     * CRaft always, so that every member follows the coding the cluster recorded in its log whatever
     * its own variables say; LEIFDB_ERASURE_CODING, LEIFDB_ERASURE_K and LEIFDB_ERASURE_THRESHOLD are
     * only what a first leader records. Every fragment keeps a command's key and precondition in
     * clear (so a follower applies them), and only values of at least the threshold are coded.
     */
    static CraftPolicy policy(Config config) {
        CraftPolicy p = CraftPolicy.defaults()
                .withCoding(config.erasureCoding())
                .withAdaptiveK(config.erasureAdaptive())
                .withMinCodedBytes((int) Math.min(config.erasureThreshold(), Integer.MAX_VALUE))
                .withClearPrefix(Command::clearLength);
        return config.erasureK().isPresent() ? p.withDataShards(config.erasureK().getAsInt()) : p;
    }

    /**
     * CRaft snapshots: what each follower holds of the snapshot's values, under the code the
     * core uses for the snapshot's voters; none (the snapshot as it is) without erasure coding.
     */
    private static BiFunction<Long, ConfState, FollowerShares> followerShares(ReplicationPolicy policy,
                                                                                 FragmentGatherer gatherer) {
        return (peer, conf) -> {
            ErasureCoding coding = policy.coding(conf);
            if (coding == null || coding.k() < 2 || coding.fragmentId(peer) < 0) return null;
            return new FollowerShares(coding, peer, gatherer::value);
        };
    }

    /** CRaft: this member's fragment id under the code for a membership's voters, which a snapshot install keeps. */
    private static ToIntFunction<ConfState> ownFragment(ReplicationPolicy policy, long self) {
        return conf -> {
            ErasureCoding coding = policy.coding(conf);
            return coding == null ? -1 : coding.fragmentId(self);
        };
    }

    /** The coding parameters the cluster recorded, or this process's variables until a leader records them. */
    private static io.leifdb.raft.CodingParams clusterCoding(StatusBoard board, CraftPolicy policy) {
        return board.conf().coding() != null ? board.conf().coding() : policy.variables();
    }

    /** Compaction frees whole segments, so segments must be well below the snapshot threshold. */
    static long segmentBytes(long snapshotThreshold) {
        return Math.clamp(snapshotThreshold / 4, 64L << 10, SegmentedWal.DEFAULT_SEGMENT_BYTES);
    }

    @Override
    public void close() {
        if (periodicBackups != null) periodicBackups.close();
        if (auth != null) auth.close();
        if (addressKeeper != null) addressKeeper.close();
        if (repairScrub != null) repairScrub.close();
        if (http != null) http.stop();
        if (driver != null) driver.stop();
        if (driverThread != null) {
            try {
                driverThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (outbox != null) outbox.close();
        if (transport != null) transport.close();
        if (kv != null) kv.close();
        if (wal != null) wal.close();
        if (metrics != null) metrics.close();
    }

    /** Inbound traffic goes straight into the driver's inbox: no work on transport threads. */
    private record TransportListener(AtomicReference<DriverLoop> driver, SnapshotStore snapshots)
            implements GrpcTransport.Listener {
        @Override
        public void onMessage(Message m, String origin) {
            DriverLoop d = driver.get();
            if (d != null) d.post(new DriverEvent.Inbound(m, origin)); // null while FreshStart asks: Raft resends
        }

        @Override
        public void snapshotSent(long peer, boolean ok) {
            driver.get().post(new DriverEvent.SnapshotSent(peer, ok));
        }

        @Override
        public void onPeerUnreachable(long peer) {
            DriverLoop d = driver.get();
            if (d != null) d.post(new DriverEvent.Unreachable(peer));
        }

        @Override
        public SnapshotSink openSnapshotSink(Message.InstallSnapshot header) throws IOException {
            return new ReceivedSnapshot(snapshots.receive());
        }
    }
}
