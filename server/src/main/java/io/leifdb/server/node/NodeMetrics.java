package io.leifdb.server.node;

import io.leifdb.raft.DropReason;
import io.leifdb.raft.Role;
import io.leifdb.raft.Status;
import io.leifdb.server.kv.KvStore;
import io.leifdb.server.storage.WalStats;
import io.leifdb.server.transport.GrpcTransport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The node's meters at /metrics (README, "Metrics"): Raft, the WAL, snapshots, RocksDB, CRaft, the
 * transport and the JVM. Gauges read what other parts already publish (the {@link StatusBoard},
 * {@link WalStats}, RocksDB properties), so a scrape never touches the driver.
 */
final class NodeMetrics implements AutoCloseable {
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();

    /** How often the per-peer series are brought in step with the membership. */
    static final Duration PEER_REFRESH = Duration.ofSeconds(1);
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().daemon().name("peer-meters").unstarted(r));

    /**
     * The sources a scrape reads; {@code peers} gives the other members of the configuration in force
     * with their raft addresses; {@code erasureK} is 0 without erasure coding.
     */
    record Sources(StatusBoard board, WalStats wal, KvStore kv, SnapshotStats snapshots, GrpcTransport transport,
                   Supplier<Map<Long, String>> peers, int erasureK) {
    }

    NodeMetrics(MeterRegistry registry, Sources s) {
        raft(registry, s.board());
        PeerMeters peers = new PeerMeters(registry, s.peers(), id -> matchLag(s.board().status(), id),
                id -> s.transport().sentBytesTo(id));
        peers.refresh();
        refresher.scheduleWithFixedDelay(peers::refresh, PEER_REFRESH.toMillis(), PEER_REFRESH.toMillis(),
                TimeUnit.MILLISECONDS);
        wal(registry, s.wal());
        snapshots(registry, s.snapshots());
        rocks(registry, s.kv());
        craft(registry, s.board(), s.erasureK());
        transport(registry, s.transport(), s.board());
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        heapPressure.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private static void raft(MeterRegistry r, StatusBoard board) {
        gauge(r, "leifdb.raft.term", board, b -> b.status().term(),
                "the current Raft term");
        for (Role role : Role.values()) {
            Gauge.builder("leifdb.raft.role", board, b -> b.status().role() == role ? 1 : 0)
                    .description("1 for this member's current role, 0 for the others").tag("role", role.name()).register(r);
        }
        gauge(r, "leifdb.raft.commit.index", board, b -> b.status().commit(),
                "the highest log index known committed");
        gauge(r, "leifdb.raft.applied.index", board, StatusBoard::applied,
                "the highest log index applied to RocksDB");
        gauge(r, "leifdb.raft.apply.lag", board, b -> Math.max(0, b.status().commit() - b.applied()),
                "entries committed but not yet applied here (commit index - applied index)");
        gauge(r, "leifdb.raft.last.index", board, b -> b.status().lastIndex(),
                "the last index in this member's log");
        gauge(r, "leifdb.raft.catching.up", board, b -> b.status().catchingUp() ? 1 : 0,
                "1 while this member lost acknowledged state and a leader catches it up");
    }

    static double matchLag(Status s, long peer) {
        Status.PeerStatus p = s.peers().get(peer);
        if (s.role() != Role.LEADER || p == null) return Double.NaN;
        return Math.max(0, s.lastIndex() - p.match());
    }

    private static void wal(MeterRegistry r, WalStats wal) {
        Timer fsync = Timer.builder("leifdb.wal.fsync")
                .description("WAL fsync latency: a follower's group commit, and the leader's own fsync on its sync thread")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(r);
        wal.onFsync(nanos -> fsync.record(nanos, TimeUnit.NANOSECONDS));
        counter(r, "leifdb.wal.written.bytes", wal, WalStats::writtenBytes,
                "bytes written to WAL segment files since start");
        gauge(r, "leifdb.wal.entry.bytes", wal, WalStats::entryBytes,
                "bytes of log entries since the last snapshot (LEIFDB_SNAPSHOT_THRESHOLD counts these)");
        gauge(r, "leifdb.wal.segments", wal, WalStats::segments,
                "WAL segment files, the active one included");
    }

    private static void snapshots(MeterRegistry r, SnapshotStats stats) {
        counter(r, "leifdb.snapshots.taken", stats, SnapshotStats::taken,
                "snapshots this member took (then compacted its log) since start");
        counter(r, "leifdb.snapshots.installed", stats, SnapshotStats::installed,
                "snapshots received from a leader and installed since start");
        gauge(r, "leifdb.snapshot.size.bytes", stats, SnapshotStats::lastBytes,
                "size of the newest snapshot taken or installed since start");
        Timer duration = Timer.builder("leifdb.snapshot.duration")
                .description("time to take a snapshot: checkpoint, log compaction and RocksDB compaction").register(r);
        stats.onTaken(nanos -> duration.record(nanos, TimeUnit.NANOSECONDS));
    }

    private static void rocks(MeterRegistry r, KvStore kv) {
        gauge(r, "leifdb.watch.watchers", kv, k -> k.watcherCount(), "open watches (GET /watch) on this member");
        gauge(r, "leifdb.leases.live", kv, k -> k.leases().size(), "leases granted and neither revoked nor expired");
        counter(r, "leifdb.leases.expired", kv, KvStore::leaseExpiries,
                "lease expiries this member applied since start (the leader decides them; each is a log entry)");
        gauge(r, "leifdb.rocksdb.live.data.bytes", kv, k -> property(k, "rocksdb.estimate-live-data-size"),
                "RocksDB's estimate of the live data in SST files (0 until the first flush)");
        gauge(r, "leifdb.rocksdb.memtable.bytes", kv, k -> property(k, "rocksdb.cur-size-all-mem-tables"),
                "bytes in RocksDB's memtables, applied but not yet flushed to SST files");
        gauge(r, "leifdb.rocksdb.pending.compaction.bytes", kv, k -> property(k, "rocksdb.estimate-pending-compaction-bytes"),
                "RocksDB's estimate of the bytes compaction must rewrite to settle the LSM tree");
    }

    private static double property(KvStore kv, String name) {
        var v = kv.rocksProperty(name);
        return v.isPresent() ? v.getAsLong() : Double.NaN;
    }

    private static void craft(MeterRegistry r, StatusBoard board, int erasureK) {
        Gauge.builder("leifdb.craft.coded", board, b -> coded(b, erasureK) ? 1 : 0)
                .description("1 while the leader replicates erasure-coded fragments, 0 for full copies (a follower reports the configuration)")
                .register(r);
        gauge(r, "leifdb.craft.k", board, b -> coded(b, erasureK) ? erasureK : 1,
                "data fragments per coded value (1 with full copies)");
    }

    /** As /health reports it: a leader knows its mode, a follower only what is configured. */
    private static boolean coded(StatusBoard b, int erasureK) {
        if (erasureK == 0) return false;
        return !b.isLeader() || b.codedReplication();
    }

    private static void transport(MeterRegistry r, GrpcTransport transport, StatusBoard board) {
        counter(r, "leifdb.raft.sent.bytes", transport, t -> t.stats().sentBytes(),
                "protobuf bytes of Raft messages written to peers");
        counter(r, "leifdb.raft.sent.messages", transport, t -> t.stats().sent(),
                "Raft messages written to peers");
        counter(r, "leifdb.transport.refused", transport, t -> t.stats().refused(),
                "inbound calls and messages refused: another cluster, a non-member, undecodable");
        for (DropReason reason : DropReason.values()) {
            FunctionCounter.builder("leifdb.raft.dropped.messages", board, b -> b.status().dropped().getOrDefault(reason, 0L))
                    .description("Raft messages the core refused, by reason").tag("reason", reason.name()).register(r);
        }
    }

    private static <T> void gauge(MeterRegistry r, String name, T source, ToDoubleFunction<T> value, String meaning) {
        Gauge.builder(name, source, value).description(meaning).register(r);
    }

    private static <T> void counter(MeterRegistry r, String name, T source, ToDoubleFunction<T> value, String meaning) {
        FunctionCounter.builder(name, source, value).description(meaning).register(r);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        gc.close();
        heapPressure.close();
    }
}
