package io.leifdb.server.kv;

import static io.leifdb.server.kv.FollowerSharesTest.CODING;
import static io.leifdb.server.kv.FollowerSharesTest.NEVER;
import static io.leifdb.server.kv.FollowerSharesTest.live;
import static io.leifdb.server.kv.FollowerSharesTest.value;
import static io.leifdb.server.kv.KvFixtures.TERM;
import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.craft.Fragment;
import io.leifdb.raft.craft.FragmentCodec;
import io.leifdb.raft.craft.ReedSolomonCoder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRaft repair's recode entry: applied only while the key holds the revision it names, it swaps
 * the replica's share for the recode entry's and changes nothing a client sees (revisions, version,
 * value, watch events), on every replica alike whether it holds the value whole or as a fragment;
 * the watch history's record of the repaired put takes the same share.
 */
class RecodeApplyTest {
    private static final long RECODE_TERM = TERM + 2;

    @TempDir
    Path dir;
    private final OpenStores stores = new OpenStores();

    @AfterEach
    void close() {
        stores.close();
    }

    private KvStore store(String name) throws IOException {
        return stores.open(dir.resolve(name));
    }

    private static Entry recode(long index, String key, long revision, byte[] value) {
        return Entry.normal(RECODE_TERM, index, new Recode(key, revision, value).encode());
    }

    @Test
    void aRecodeKeepsRevisionsVersionAndValueAndNoWatcherSeesIt() throws Exception {
        byte[] v = value(20_000, 1);
        List<Entry> writes = List.of(
                Entry.normal(TERM, 1, new Command.Put("k", value(9_000, 2)).encode()),
                Entry.normal(TERM, 2, new Command.Put("k", v).encode()));
        KvStore leader = store("leader");
        leader.apply(writes);
        KeyValue before = leader.get("k").orElseThrow();
        try (Watcher w = leader.watch("k", null, -1)) {
            ApplyResult r = leader.apply(List.of(recode(3, "k", 2, v)));
            assertThat(r.outcomes()).containsExactly(new ApplyResult.Applied(3, 2));
            assertThat(w.next(Duration.ofMillis(50))).isEmpty();
        }
        assertThat(leader.get("k").orElseThrow()).isEqualTo(before);
        assertThat(leader.appliedIndex()).isEqualTo(3);
        StoredValue stored = leader.stored("k").orElseThrow();
        assertThat(stored.recoded()).isTrue();
        assertThat(stored.at()).isEqualTo(3);
        assertThat(StoredValue.decode(stored.encode())).usingRecursiveComparison().isEqualTo(stored);
    }

    @Test
    void aFollowerStoresItsFragmentOfTheRecodeEntryUnderTheRecodesPosition() throws Exception {
        byte[] v = value(20_000, 3);
        Entry write = Entry.normal(TERM, 1, new Command.Put("k", v).encode());
        Entry recode = recode(2, "k", 1, v);
        KvStore follower = store("f");
        follower.apply(List.of(live(write, 0))); // a duplicate of the leader's share, say
        follower.apply(List.of(live(recode, 3)));
        KeyValue got = follower.get("k").orElseThrow();
        assertThat(got.modRevision()).isEqualTo(1);
        assertThat(got.createRevision()).isEqualTo(1);
        assertThat(got.version()).isEqualTo(1);
        assertThat(got.coded().index()).isEqualTo(2);
        assertThat(got.coded().term()).isEqualTo(RECODE_TERM);
        assertThat(got.coded().parse().id()).isEqualTo(3);
        assertThat(got.coded().fragment()).isEqualTo(live(recode, 3).data());
        StoredValue stored = follower.stored("k").orElseThrow();
        assertThat(StoredValue.decode(stored.encode())).usingRecursiveComparison().isEqualTo(stored);
    }

    @Test
    void aStaleRecodeChangesNothingOnAnyReplica() throws Exception {
        byte[] v = value(20_000, 4);
        List<Entry> log = List.of(
                Entry.normal(TERM, 1, new Command.Put("k", v).encode()),
                Entry.normal(TERM, 2, new Command.Put("k", value(20_000, 5)).encode()),
                Entry.normal(TERM, 3, new Command.Put("gone", v).encode()),
                Entry.normal(TERM, 4, new Command.Delete("gone").encode()),
                recode(5, "k", 1, v),
                recode(6, "gone", 3, v));
        for (int id = 0; id < 5; id++) {
            int fid = id;
            KvStore s = store("r" + id);
            ApplyResult r = s.apply(log.stream().map(e -> fid == 0 ? e : live(e, fid)).toList());
            assertThat(r.outcomes().subList(4, 6)).as("replica %d", id).containsExactly(
                    new ApplyResult.PreconditionFailed(5, 2), new ApplyResult.PreconditionFailed(6, 0));
            assertThat(s.get("k").orElseThrow().modRevision()).isEqualTo(2);
            assertThat(s.stored("k").orElseThrow().recoded()).isFalse();
            assertThat(s.get("gone")).isEmpty();
        }
    }

    @Test
    void aSnapshotCopyOfARecodedValueIsTheFollowersFragmentOfTheRecodeEntry() throws Exception {
        byte[] v = value(30_000, 6);
        List<Entry> log = List.of(Entry.normal(TERM, 1, new Command.Put("k", v).encode()), recode(2, "k", 1, v));
        KvStore leader = store("leader");
        leader.apply(log);
        for (int id = 1; id < 5; id++) {
            int fid = id;
            KvStore follower = store("f" + id);
            follower.apply(log.stream().map(e -> live(e, fid)).toList());
            StoredValue copy = new FollowerShares(CODING, id + 1, NEVER).recode("k", leader.stored("k").orElseThrow()).join();
            assertThat(copy.toKeyValue("k")).as("fragment %d", id).isEqualTo(follower.get("k").orElseThrow());
        }
    }

    @Test
    void theClearPrefixOfARecodeIsEverythingButTheValue() {
        byte[] v = value(5_000, 7);
        byte[] data = new Recode("a/b", 42, v).encode();
        int clear = Command.clearLength(data);
        assertThat(data.length - clear).isEqualTo(v.length);
        Recode back = Recode.decodeClear(java.util.Arrays.copyOf(data, clear), v.length);
        assertThat(back.key()).isEqualTo("a/b");
        assertThat(back.revision()).isEqualTo(42);
        assertThat(Recode.of(live(Entry.normal(TERM, 9, data), 2)).key()).isEqualTo("a/b");
        assertThat(Recode.of(new Entry(TERM, 9, EntryType.NORMAL, new Command.Put("a", v).encode()))).isNull();
    }

    /** Everything a watch from {@code after} replays right now. */
    private static List<Change> replay(KvStore s, String key, long after) throws InterruptedException {
        List<Change> out = new ArrayList<>();
        try (Watcher w = s.watch(key, null, after)) {
            for (List<Change> b = w.next(Duration.ZERO); !b.isEmpty(); b = w.next(Duration.ZERO)) out.addAll(b);
        }
        return out;
    }

    @Test
    void aFollowersHistoryOfARecodedPutHoldsItsFragmentNotTheWholeValueAndAReplayStillReadsIt() throws Exception {
        byte[] old = value(20_000, 8);
        byte[] v = value(20_000, 9);
        // Full mode: every replica took both puts whole; then the scrub recodes the current one.
        List<Entry> log = List.of(Entry.normal(TERM, 1, new Command.Put("k", old).encode()),
                Entry.normal(TERM, 2, new Command.Put("k", v).encode()), recode(3, "k", 2, v));
        List<KvStore> replicas = new ArrayList<>();
        for (int id = 0; id < 5; id++) {
            int fid = id;
            KvStore s = store("r" + id);
            s.apply(log.subList(0, 2));
            s.apply(log.subList(2, 3).stream().map(e -> fid == 0 ? e : live(e, fid)).toList());
            replicas.add(s);
        }
        assertThat(replay(replicas.get(0), "k", 0)).as("the leader keeps both whole")
                .containsExactly(new Change(Change.Type.PUT, "k", old, 1, 1, 1, false),
                        new Change(Change.Type.PUT, "k", v, 2, 1, 2, false));
        FragmentCodec codec = new FragmentCodec(new ReedSolomonCoder(CODING.k(), CODING.m()));
        List<Fragment> gathered = new ArrayList<>();
        for (int id = 1; id < 5; id++) {
            List<Change> got = replay(replicas.get(id), "k", 0);
            assertThat(got).as("replica %d", id).containsExactly(new Change(Change.Type.PUT, "k", old, 1, 1, 1, false),
                    new Change(Change.Type.PUT, "k", new byte[0], 2, 1, 2, true));
            assertThat(replay(replicas.get(id), "k", 1)).isEqualTo(got.subList(1, 2));
            // A valueCoded event is read with a GET, which gathers k shares of the revision the event names.
            KeyValue kv = replicas.get(id).get("k").orElseThrow();
            assertThat(kv.modRevision()).isEqualTo(got.get(1).revision());
            if (gathered.size() < CODING.k()) gathered.add(kv.coded().parse());
        }
        assertThat(Recode.decode(codec.decode(gathered)).value()).isEqualTo(v);
    }

    @Test
    void aRecodeAppliedInTheBatchOfItsPutRewritesTheRecordBeforeItIsWritten() throws Exception {
        byte[] v = value(20_000, 10);
        Entry write = Entry.normal(TERM, 1, new Command.Put("k", v).encode());
        KvStore follower = store("f");
        follower.apply(List.of(write, live(recode(2, "k", 1, v), 2)));
        assertThat(replay(follower, "k", 0)).containsExactly(new Change(Change.Type.PUT, "k", new byte[0], 1, 1, 1, true));
    }

    @Test
    void aWholeRecodeOfAFragmentGivesItsHistoryRecordTheValueBackAndAStaleOneTouchesNothing() throws Exception {
        byte[] v = value(20_000, 11);
        KvStore follower = store("f");
        follower.apply(List.of(live(Entry.normal(TERM, 1, new Command.Put("k", v).encode()), 1)));
        assertThat(replay(follower, "k", 0)).containsExactly(new Change(Change.Type.PUT, "k", new byte[0], 1, 1, 1, true));
        // Coding off: the scrub recodes the fragment whole.
        follower.apply(List.of(recode(2, "k", 1, v), Entry.normal(TERM, 3, new Command.Put("other", v).encode())));
        assertThat(replay(follower, "k", 0)).containsExactly(new Change(Change.Type.PUT, "k", v, 1, 1, 1, false));
        follower.apply(List.of(live(recode(4, "other", 1, v), 1)));
        assertThat(replay(follower, "other", 0)).containsExactly(new Change(Change.Type.PUT, "other", v, 3, 3, 1, false));
    }
}
