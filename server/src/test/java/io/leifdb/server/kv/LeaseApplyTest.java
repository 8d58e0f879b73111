package io.leifdb.server.kv;

import static io.leifdb.server.kv.KvFixtures.TERM;
import static io.leifdb.server.kv.KvFixtures.delete;
import static io.leifdb.server.kv.KvFixtures.put;
import static io.leifdb.server.kv.KvFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases in the store: grants, attached keys, expiry and revocation at one index, watchers, restarts, snapshots. */
class LeaseApplyTest {
    @TempDir
    Path dir;

    private static Entry lease(long index, LeaseCommand c) {
        return Entry.normal(TERM, index, c.encode());
    }

    private static Entry grant(long index, long ttlMillis) {
        return lease(index, new LeaseCommand.Grant(ttlMillis));
    }

    private static Entry leasedPut(long index, String key, String value, long leaseId) {
        return lease(index, new LeaseCommand.Put(key, utf8(value), Precondition.NONE, leaseId, 0));
    }

    private static List<String> drain(Watcher w) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (List<Change> batch = w.next(Duration.ZERO); !batch.isEmpty(); batch = w.next(Duration.ZERO)) {
            for (Change c : batch) out.add(c.revision() + ":" + c.type() + ":" + c.key());
        }
        return out;
    }

    @Test
    void aGrantsIdIsItsIndexAndAnExpiryDeletesEveryKeyAtItsOwnIndex() throws Exception {
        try (KvStore store = KvStore.open(dir.resolve("kv")); Watcher w = store.watch(null, "", -1)) {
            ApplyResult r = store.apply(List.of(grant(1, 30_000), leasedPut(2, "a", "1", 1), leasedPut(3, "b", "2", 1),
                    put(4, "plain", "3")));
            assertThat(r.outcome(1)).contains(new ApplyResult.Applied(1, 1));
            assertThat(store.leases().get(1)).contains(new Lease(1, 30_000, List.of("a", "b")));
            assertThat(store.leases().leaseOf("a")).isEqualTo(1);

            store.apply(List.of(lease(5, new LeaseCommand.Expire(1))));
            assertThat(store.get("a")).isEmpty();
            assertThat(store.get("b")).isEmpty();
            assertThat(store.get("plain")).isPresent();
            assertThat(store.leases().size()).isZero();
            assertThat(store.leaseExpiries()).isEqualTo(1);
            assertThat(drain(w)).containsExactly("2:PUT:a", "3:PUT:b", "4:PUT:plain", "5:EXPIRE:a", "5:EXPIRE:b");
        }
    }

    @Test
    void twoReplicasApplyingTheSameLogHoldTheSameKeysAndLeases() throws Exception {
        List<Entry> log = List.of(grant(1, 5_000), leasedPut(2, "x", "1", 1), grant(3, 9_000), leasedPut(4, "y", "2", 3),
                lease(5, new LeaseCommand.Put("z", utf8("3"), Precondition.NONE, 0, 7_000)),
                lease(6, new LeaseCommand.Expire(3)), lease(7, new LeaseCommand.Expire(3)));
        try (KvStore a = KvStore.open(dir.resolve("a")); KvStore b = KvStore.open(dir.resolve("b"))) {
            ApplyResult ra = a.apply(log);
            b.apply(log.subList(0, 3));
            b.apply(log.subList(3, log.size()));
            assertThat(KvFixtures.dump(a)).isEqualTo(KvFixtures.dump(b)).containsOnlyKeys("x", "z");
            assertThat(a.leases().all()).containsExactlyElementsOf(b.leases().all());
            assertThat(a.leases().get(5)).contains(new Lease(5, 7_000, List.of("z")));
            // The second expiry of lease 3 (an old leader's, say) changes nothing.
            assertThat(ra.outcome(7).orElseThrow()).isInstanceOf(ApplyResult.Refused.class);
        }
    }

    @Test
    void aPlainWriteOrDeleteTakesItsKeyOutOfTheLeaseAndRevokeDeletesTheRest() throws Exception {
        try (KvStore store = KvStore.open(dir.resolve("kv")); Watcher w = store.watch(null, "", -1)) {
            store.apply(List.of(grant(1, 30_000), leasedPut(2, "a", "1", 1), leasedPut(3, "b", "1", 1),
                    leasedPut(4, "c", "1", 1), put(5, "a", "plain"), delete(6, "b")));
            assertThat(store.leases().get(1).orElseThrow().keys()).containsExactly("c");
            store.apply(List.of(lease(7, new LeaseCommand.Revoke(1))));
            assertThat(store.get("a")).isPresent();
            assertThat(store.get("c")).isEmpty();
            assertThat(drain(w)).endsWith("7:DELETE:c");
            assertThat(store.leaseExpiries()).isZero();
        }
    }

    @Test
    void anUnknownLeaseIsRefusedAndChangesNothing() throws Exception {
        try (KvStore store = KvStore.open(dir.resolve("kv"))) {
            ApplyResult r = store.apply(List.of(leasedPut(1, "a", "1", 42), lease(2, new LeaseCommand.Revoke(42))));
            assertThat(r.outcome(1).orElseThrow()).isInstanceOfSatisfying(ApplyResult.Refused.class,
                    f -> assertThat(f.code()).isEqualTo("lease_not_found"));
            assertThat(r.outcome(2).orElseThrow()).isInstanceOf(ApplyResult.Refused.class);
            assertThat(store.get("a")).isEmpty();
            assertThat(store.appliedIndex()).isEqualTo(2);
        }
    }

    @Test
    void aLeasePutHonoursItsPrecondition() throws Exception {
        try (KvStore store = KvStore.open(dir.resolve("kv"))) {
            store.apply(List.of(put(1, "a", "0"), grant(2, 30_000)));
            ApplyResult r = store.apply(List.of(lease(3, new LeaseCommand.Put("a", utf8("1"), Precondition.IF_ABSENT, 2, 0))));
            assertThat(r.outcome(3)).contains(new ApplyResult.PreconditionFailed(3, 1));
            assertThat(store.leases().get(2).orElseThrow().keys()).isEmpty();
        }
    }

    @Test
    void leasesSurviveARestartAndASnapshotInstall() throws IOException {
        try (KvStore store = KvStore.open(dir.resolve("leader/kv"))) {
            store.apply(List.of(grant(1, 12_000), leasedPut(2, "k/1", "v", 1), leasedPut(3, "k/2", "v", 1)));
        }
        try (KvStore leader = KvStore.open(dir.resolve("leader/kv"));
             KvStore follower = KvStore.open(dir.resolve("follower/kv"))) {
            assertThat(leader.leases().get(1)).contains(new Lease(1, 12_000, List.of("k/1", "k/2")));
            SnapshotInfo snap = SnapshotStore.open(dir.resolve("leader/snapshots"), leader).take(3, TERM, new byte[0]);
            follower.apply(List.of(grant(1, 99_000)));
            follower.installSnapshot(snap.dir());
            assertThat(follower.leases().get(1)).contains(new Lease(1, 12_000, List.of("k/1", "k/2")));
            assertThat(follower.leases().leaseOf("k/2")).isEqualTo(1);
            follower.apply(List.of(lease(4, new LeaseCommand.Expire(1))));
            assertThat(KvFixtures.dump(follower)).isEmpty();
        }
    }

    @Test
    void aBackupImageCarriesTheLeases() throws IOException {
        try (KvStore store = KvStore.open(dir.resolve("kv"))) {
            store.apply(List.of(grant(1, 12_000), leasedPut(2, "k", "v", 1)));
            try (BackupImage image = BackupImage.take(store, dir.resolve("scratch"), (key, revision, coded) ->
                    java.util.concurrent.CompletableFuture.failedFuture(new AssertionError("no coded values here")));
                 RocksHandle copy = RocksHandle.open(image.dir(), false, KvOptions.DEFAULT)) {
                // A restore installs this image as a snapshot, which reads the leases back (see the test above).
                assertThat(LeaseTable.read(copy).get(1)).contains(new Lease(1, 12_000, List.of("k")));
            }
        }
    }

    @Test
    void theLeaseCommandsRoundTripAndGarbageIsRefused() {
        List<LeaseCommand> all = List.of(new LeaseCommand.Grant(1_000), new LeaseCommand.Revoke(7),
                new LeaseCommand.Expire(9), new LeaseCommand.Put("k", utf8("v"), Precondition.ifRevision(4), 3, 0),
                new LeaseCommand.Put("k", new byte[0], Precondition.IF_ABSENT, 0, 2_000));
        for (LeaseCommand c : all) assertThat(LeaseCommand.decode(c.encode())).isEqualTo(c);
        byte[] grant = new LeaseCommand.Grant(1_000).encode();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LeaseCommand.decode(java.util.Arrays.copyOf(grant, grant.length + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LeaseCommand.decode(new byte[] {5, 9, 1}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
