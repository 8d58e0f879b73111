package io.leifdb.server.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * /metrics of a real 3-member cluster after writes, linearizable reads and a snapshot: the series
 * README's metrics table names are there, described, and non-zero where the work makes them so.
 */
class MetricsIT {
    private static final int WRITES = 120;
    @TempDir
    static Path dir;
    private static TestCluster cluster;
    private static int leader;

    @BeforeAll
    static void start() throws Exception {
        // A small threshold, so the writes below make the leader take a snapshot.
        cluster = TestCluster.start(3, dir, Map.of("LEIFDB_SNAPSHOT_THRESHOLD", "65536"));
        leader = cluster.awaitLeader();
        String value = "v".repeat(1024);
        for (int i = 0; i < WRITES; i++) {
            Http.Response put = Http.put(cluster.url(leader) + "/db/key-" + i, Http.valueJson(value));
            assertThat(put.status()).as(put.body()).isEqualTo(200);
            assertThat(Http.get(cluster.url(leader) + "/db/key-" + i).status()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    private static PrometheusText scrape(int node) throws Exception {
        Http.Response r = Http.get(cluster.url(node) + "/metrics");
        assertThat(r.status()).isEqualTo(200);
        return PrometheusText.parse(r.body());
    }

    @Test
    void theLeaderExplainsRaftTheWalSnapshotsAndRocksDb() throws Exception {
        // The snapshot and the followers' acknowledgements land a little after the last answer.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            PrometheusText m = scrape(leader);
            assertThat(m.value("leifdb_snapshots_taken_total")).isPositive();
            assertThat(m.family("leifdb_raft_peer_match_lag").values()).hasSize(2).allMatch(v -> v == 0.0);
        });
        PrometheusText m = scrape(leader);
        assertThat(m.value("leifdb_raft_term")).isPositive();
        assertThat(m.value("leifdb_raft_role{role=\"LEADER\"}")).isEqualTo(1.0);
        assertThat(m.value("leifdb_raft_role{role=\"FOLLOWER\"}")).isZero();
        assertThat(m.value("leifdb_raft_leader_changes_total")).isPositive();
        assertThat(m.value("leifdb_raft_proposals_total{outcome=\"committed\"}")).isGreaterThanOrEqualTo(WRITES);
        assertThat(m.value("leifdb_raft_proposals_total{outcome=\"dropped\"}")).isZero();
        assertThat(m.value("leifdb_raft_commit_index")).isGreaterThanOrEqualTo(WRITES);
        assertThat(m.value("leifdb_raft_applied_index")).isGreaterThanOrEqualTo(WRITES);
        assertThat(m.value("leifdb_raft_apply_lag")).isGreaterThanOrEqualTo(0);
        assertThat(m.family("leifdb_raft_peer_sent_bytes_total").values()).hasSize(2).allMatch(v -> v > WRITES * 1024);
        assertThat(m.value("leifdb_raft_read_index_rounds_total")).isPositive();
        assertThat(m.value("leifdb_raft_read_index_latency_seconds_count")).isPositive();
        assertThat(m.value("leifdb_raft_read_index_latency_seconds_sum")).isPositive();
        assertThat(m.value("leifdb_wal_fsync_seconds_count")).isPositive();
        assertThat(m.family("leifdb_wal_fsync_seconds_bucket")).hasSizeGreaterThan(10);
        assertThat(m.value("leifdb_wal_written_bytes_total")).isGreaterThan(WRITES * 1024);
        assertThat(m.value("leifdb_wal_segments")).isPositive();
        assertThat(m.family("leifdb_wal_entry_bytes")).hasSize(1);
        assertThat(m.value("leifdb_snapshot_size_bytes")).isPositive();
        assertThat(m.value("leifdb_snapshot_duration_seconds_count")).isPositive();
        assertThat(m.value("leifdb_rocksdb_live_data_bytes")).isPositive(); // the snapshot flushed RocksDB
        assertThat(m.value("leifdb_rocksdb_pending_compaction_bytes")).isGreaterThanOrEqualTo(0);
        assertThat(m.value("leifdb_craft_coded")).isZero(); // three members: full copies by default
        assertThat(m.value("leifdb_craft_k")).isEqualTo(1.0);
        assertThat(m.value("leifdb_http_requests_seconds_count{method=\"PUT\",route=\"db-write\",status=\"200\"}"))
                .isEqualTo(WRITES);
        assertThat(m.family("jvm_memory_used_bytes").entrySet().stream().filter(e -> e.getKey().contains("area=\"heap\""))
                .mapToDouble(Map.Entry::getValue).sum()).isPositive();
        assertThat(m.family("jvm_gc_max_data_size_bytes")).isNotEmpty();
        assertThat(m.samples().keySet().stream().filter(k -> k.startsWith("leifdb_")).map(MetricsIT::family))
                .allMatch(m.described()::contains);
    }

    @Test
    void aFollowerFsyncsAndAppliesButKnowsNoPeerLag() throws Exception {
        int follower = (leader + 1) % cluster.size();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(scrape(follower).value("leifdb_raft_applied_index")).isGreaterThanOrEqualTo(WRITES));
        PrometheusText m = scrape(follower);
        assertThat(m.value("leifdb_raft_role{role=\"FOLLOWER\"}")).isEqualTo(1.0);
        assertThat(m.value("leifdb_wal_fsync_seconds_count")).isPositive();
        assertThat(m.value("leifdb_raft_proposals_total{outcome=\"committed\"}")).isZero();
        assertThat(m.family("leifdb_raft_peer_match_lag").values()).hasSize(2).allMatch(v -> v.isNaN());
    }

    @Test
    void theCliPrintsTheFamiliesAskedFor() throws Exception {
        Path log = Files.createTempFile("leifdb-metrics-cli", ".log");
        try {
            LeifdbCommand.Outcome o = LeifdbCommand.run(log, "metrics", "--url", cluster.url(leader),
                    "leifdb_raft_term", "leifdb_wal_segments");
            assertThat(o.exit()).as(o.output()).isZero();
            PrometheusText m = PrometheusText.parse(o.output());
            assertThat(m.samples().keySet()).containsExactlyInAnyOrder("leifdb_raft_term", "leifdb_wal_segments");
            assertThat(m.value("leifdb_raft_term")).isPositive();
            assertThat(m.described()).containsExactlyInAnyOrder("leifdb_raft_term", "leifdb_wal_segments");

            LeifdbCommand.Outcome down = LeifdbCommand.run(log, "metrics", "--url", "http://127.0.0.1:1");
            assertThat(down.exit()).isEqualTo(1);
            assertThat(down.output()).startsWith("leifdb: ").contains("127.0.0.1:1").doesNotContain("Exception");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** "leifdb_x_total{a=..}" and "leifdb_x_seconds_bucket{..}" to the family name HELP describes. */
    private static String family(String series) {
        String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
        return name.replaceFirst("_(bucket|count|sum)$", "");
    }
}
