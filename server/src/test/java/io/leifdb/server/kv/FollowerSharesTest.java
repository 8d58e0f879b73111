package io.leifdb.server.kv;

import static io.leifdb.server.kv.KvFixtures.TERM;
import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.CraftPolicy;
import io.leifdb.raft.Entry;
import io.leifdb.raft.ErasureCoding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-follower transform of a CRaft snapshot: what {@link FollowerShares} makes of each value
 * the leader holds must be exactly what that follower stores after applying the same write from
 * the live log (same fragment bytes, same (index, term)), so its share combines with the others'.
 */
class FollowerSharesTest {
    static final int THRESHOLD = 1024;
    static final ErasureCoding CODING = CraftPolicy.defaults().withDataShards(3).withMinCodedBytes(THRESHOLD)
            .withClearPrefix(Command::clearLength).coding(ConfState.of(Set.of(1L, 2L, 3L, 4L, 5L)));
    static final FollowerShares.Rebuild NEVER = (key, revision, own) -> CompletableFuture.failedFuture(
            new IllegalStateException("no rebuild expected"));

    @TempDir
    Path dir;
    private final List<KvStore> stores = new ArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(KvStore::close);
    }

    private KvStore store(String name) throws IOException {
        KvStore s = KvStore.open(dir.resolve(name));
        stores.add(s);
        return s;
    }

    static byte[] value(int size, int seed) {
        byte[] v = new byte[size];
        new Random(seed).nextBytes(v);
        return v;
    }

    /** What voter {@code id} (fragment id = position) receives for {@code entry} in coded mode. */
    static Entry live(Entry entry, int id) {
        Entry[] f = CODING.encode(entry);
        return f == null ? entry : f[id];
    }

    private static StoredValue stored(KvStore kv, String key) {
        return kv.stored(key).orElseThrow();
    }

    @Test
    void aWholeValueBecomesTheFragmentTheFollowerWouldHaveAppliedAndASmallOneStaysWhole() throws Exception {
        List<Entry> writes = List.of(
                Entry.normal(TERM, 1, new Command.Put("big", value(20_000, 1)).encode()),
                Entry.normal(TERM, 2, new Command.Put("small", value(THRESHOLD - 1, 2)).encode()),
                Entry.normal(TERM + 1, 3, new Command.Put("big", value(9_000, 3), Precondition.ifRevision(1)).encode()),
                Entry.normal(TERM + 1, 4, new Command.Put("fresh", value(THRESHOLD, 4), Precondition.IF_ABSENT).encode()));
        KvStore leader = store("leader");
        leader.apply(writes);
        for (int id = 1; id < 5; id++) {
            KvStore follower = store("f" + id);
            int fid = id;
            follower.apply(writes.stream().map(e -> live(e, fid)).toList());
            FollowerShares shares = new FollowerShares(CODING, id + 1, NEVER);
            assertThat(shares.fragmentId()).isEqualTo(id);
            for (String key : List.of("big", "small", "fresh")) {
                StoredValue got = shares.recode(key, stored(leader, key)).join();
                assertThat(got.toKeyValue(key)).as("%s for fragment %d", key, id).isEqualTo(follower.get(key).orElseThrow());
            }
            assertThat(follower.get("big").orElseThrow().coded()).isNotNull();
            assertThat(follower.get("small").orElseThrow().coded()).isNull();
        }
    }

    @Test
    void aValueHeldAsAnotherMembersFragmentIsRebuiltThenEncodedForTheFollower() throws Exception {
        byte[] v = value(30_000, 7);
        Entry write = Entry.normal(TERM, 1, new Command.Put("k", v, Precondition.IF_ABSENT).encode());
        KvStore leader = store("leader"); // voter 4 holds fragment 3 and leads now
        leader.apply(List.of(live(write, 3)));
        KvStore follower = store("f");
        follower.apply(List.of(live(write, 1)));
        AtomicInteger asked = new AtomicInteger();
        FollowerShares shares = new FollowerShares(CODING, 2, (key, revision, own) -> {
            asked.incrementAndGet();
            assertThat(own.index()).isEqualTo(1);
            assertThat(own.term()).isEqualTo(TERM);
            return CompletableFuture.completedFuture(v);
        });
        StoredValue got = shares.recode("k", stored(leader, "k")).join();
        assertThat(asked).hasValue(1);
        assertThat(got.toKeyValue("k")).isEqualTo(follower.get("k").orElseThrow());
        assertThat(got.coded().parse().id()).isEqualTo(1);
        assertThat(shares.summary()).startsWith("0 encoded, 1 rebuilt, 0 kept");
    }

    @Test
    void theFollowersOwnFragmentNeedsNoRebuild() throws Exception {
        Entry write = Entry.normal(TERM, 1, new Command.Put("k", value(5_000, 9)).encode());
        KvStore leader = store("leader");
        leader.apply(List.of(live(write, 2)));
        StoredValue own = stored(leader, "k");
        assertThat(new FollowerShares(CODING, 3, NEVER).recode("k", own).join()).isSameAs(own);
    }

    @Test
    void aValueThatCannotBeRebuiltKeepsTheLeadersFragment() throws Exception {
        Entry write = Entry.normal(TERM, 1, new Command.Put("k", value(5_000, 9)).encode());
        KvStore leader = store("leader");
        leader.apply(List.of(live(write, 0)));
        StoredValue held = stored(leader, "k");
        FollowerShares shares = new FollowerShares(CODING, 5, NEVER);
        assertThat(shares.recode("k", held).join()).isSameAs(held);
        assertThat(shares.summary()).contains("1 kept");
    }

    @Test
    void aWholeValueOfUnknownWriteStaysWhole() {
        StoredValue old = new StoredValue(1, 1, 1, value(50_000, 1)); // format 1: no term, no precondition
        assertThat(StoredValue.decode(old.encode()).writeKnown()).isFalse();
        assertThat(new FollowerShares(CODING, 2, NEVER).recode("k", old).join()).isSameAs(old);
    }

    @Test
    void storedWritesKeepTheirTermAndPreconditionAcrossEncoding() {
        for (Precondition pre : List.of(Precondition.NONE, Precondition.IF_ABSENT, Precondition.ifRevision(77))) {
            StoredValue v = StoredValue.whole(3, 9, 2, value(10, 1), 4, pre, null);
            StoredValue back = StoredValue.decode(v.encode());
            assertThat(back.writeKnown()).isTrue();
            assertThat(back.term()).isEqualTo(4);
            assertThat(back.pre()).isEqualTo(pre);
            assertThat(back.toKeyValue("k")).isEqualTo(v.toKeyValue("k"));
        }
    }
}
