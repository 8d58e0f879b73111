package io.leifdb.server.kv;

import static io.leifdb.server.kv.FollowerSharesTest.CODING;
import static io.leifdb.server.kv.FollowerSharesTest.live;
import static io.leifdb.server.kv.FollowerSharesTest.value;
import static io.leifdb.server.kv.KvFixtures.TERM;
import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Entry;
import io.leifdb.raft.craft.Fragment;
import io.leifdb.raft.craft.FragmentCodec;
import io.leifdb.raft.craft.ReedSolomonCoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CRaft snapshot sent to each of four followers, end to end through the chunked, CRC-checked
 * transfer and the install: every follower ends up with the state it would hold from the live
 * log, its copy is about 1/k of the leader's, and any k followers' fragments rebuild each value.
 */
class FollowerSnapshotTest {
    private static final int KEYS = 40;

    @TempDir
    Path dir;
    private final List<KvStore> stores = new ArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(KvStore::close);
    }

    private KvStore store(String name) throws IOException {
        KvStore s = KvStore.open(dir.resolve(name).resolve("kv"));
        stores.add(s);
        return s;
    }

    @Test
    void eachFollowerInstallsExactlyTheFragmentsLiveReplicationWouldHaveGivenIt() throws Exception {
        // The leader (voter 1, fragment 0) wrote most values itself and applied some as a follower.
        List<Entry> writes = new ArrayList<>();
        Map<String, byte[]> truth = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            String key = "key" + i;
            byte[] v = value(i % 5 == 0 ? 100 : 16_000 + i, i);
            writes.add(Entry.normal(TERM, i + 1, new Command.Put(key, v).encode()));
            truth.put(key, v);
        }
        List<Entry> leaderLog = new ArrayList<>();
        for (Entry e : writes) leaderLog.add(e.index() <= 10 ? live(e, 0) : e);
        KvStore leaderKv = store("leader");
        leaderKv.apply(leaderLog);
        SnapshotStore leaderSnaps = SnapshotStore.open(dir.resolve("leader/snapshots"), leaderKv);
        SnapshotInfo snapshot = leaderSnaps.take(KEYS, TERM, new byte[] {7});
        FollowerShares.Rebuild fromTruth = (key, revision, own) -> CompletableFuture.completedFuture(truth.get(key));

        Map<Integer, KvStore> installed = new HashMap<>();
        for (int id = 1; id < 5; id++) {
            KvStore kv = store("f" + id);
            SnapshotStore snaps = SnapshotStore.open(dir.resolve("f" + id + "/snapshots"), kv);
            SnapshotInfo received;
            long copyBytes;
            try (SnapshotReader reader = leaderSnaps.readerFor(snapshot, new FollowerShares(CODING, id + 1, fromTruth));
                 SnapshotWriter writer = snaps.receive()) {
                copyBytes = reader.info().sizeBytes();
                while (reader.hasNext()) writer.accept(reader.next());
                received = writer.finish();
            }
            assertThat(copyBytes).as("copy for fragment %d vs the leader's %d bytes", id, snapshot.sizeBytes())
                    .isLessThan(snapshot.sizeBytes() / 2);
            kv.installSnapshot(received.dir());
            assertThat(kv.appliedIndex()).isEqualTo(KEYS);
            assertThat(received.confData()).containsExactly(7);

            KvStore liveKv = store("live" + id);
            int fid = id;
            liveKv.apply(writes.stream().map(e -> live(e, fid)).toList());
            for (int i = 0; i < KEYS; i++) {
                String key = "key" + i;
                assertThat(kv.get(key)).as("%s on fragment %d", key, id).isEqualTo(liveKv.get(key));
            }
            installed.put(id, kv);
        }
        // The copies are transient, and the leader's own snapshot is untouched.
        assertThat(KvFixtures.childNames(dir.resolve("leader/snapshots"))).containsExactly(KEYS + "-" + TERM);
        SnapshotManifest.read(snapshot.dir()).verify(snapshot.dir());

        FragmentCodec codec = new FragmentCodec(new ReedSolomonCoder(CODING.k(), CODING.m()));
        for (int i = 1; i < KEYS; i += 5) {
            String key = "key" + i;
            for (int[] trio : new int[][] {{1, 2, 3}, {2, 3, 4}, {1, 3, 4}}) {
                List<Fragment> shares = new ArrayList<>();
                for (int id : trio) shares.add(installed.get(id).get(key).orElseThrow().coded().parse());
                byte[] data = codec.decode(shares);
                assertThat(data).as("%s from fragments %s", key, Arrays.toString(trio)).isNotNull();
                byte[] v = Arrays.copyOfRange(data, shares.getFirst().clear().length, data.length);
                assertThat(v).isEqualTo(truth.get(key));
            }
        }
    }
}
