package io.leifdb.server.kv;

import static io.leifdb.server.kv.KvFixtures.TERM;
import static io.leifdb.server.kv.KvFixtures.put;
import static io.leifdb.server.kv.KvFixtures.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.craft.Fragment;
import io.leifdb.raft.craft.FragmentCodec;
import io.leifdb.raft.craft.ReedSolomonCoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CRaft on a follower: a FRAGMENT entry is a put whose key is applied in full and whose value stays coded. */
class KvStoreFragmentTest {
    private static final FragmentCodec CODEC = new FragmentCodec(new ReedSolomonCoder(3, 2));

    @TempDir
    Path dir;
    private final List<KvStore> stores = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        for (int i = 0; i < 5; i++) stores.add(KvStore.open(dir.resolve("kv" + i)));
    }

    @AfterEach
    void close() {
        stores.forEach(KvStore::close);
    }

    private static byte[] value(int size) {
        byte[] v = new byte[size];
        new Random(size).nextBytes(v);
        return v;
    }

    /** Fragment i of the entry at {@code index}, as replica i receives it. */
    private static Entry[] fragments(long index, Command command) {
        byte[] data = command.encode();
        Fragment[] f = CODEC.encode(data, Command.clearLength(data));
        Entry[] out = new Entry[f.length];
        for (int i = 0; i < f.length; i++) out[i] = new Entry(TERM, index, EntryType.FRAGMENT, f[i].toBytes());
        return out;
    }

    @Test
    void clearPrefixIsEverythingButAPutsValue() {
        byte[] v = value(1000);
        byte[] put = new Command.Put("clé/1", v, Precondition.ifRevision(300)).encode();
        assertThat(Command.clearLength(put)).isEqualTo(put.length - v.length);
        assertThat(Arrays.copyOfRange(put, Command.clearLength(put), put.length)).isEqualTo(v);
        byte[] del = new Command.Delete("k").encode();
        assertThat(Command.clearLength(del)).isEqualTo(del.length);
        assertThat(Command.clearLength(new byte[]{9, 9, 9, 9})).isEqualTo(4); // not a command: never coded
        assertThat(Command.clearLength(new byte[]{1, 1, 0, 1, 'k', 5, 1})).isEqualTo(7); // truncated value
    }

    @Test
    void followerKeepsKeyAndRevisionsInFullAndTheValueAsItsFragment() throws IOException {
        byte[] v = value(64 << 10);
        Entry[] f = fragments(2, new Command.Put("big", v));
        for (int i = 0; i < 5; i++) {
            ApplyResult r = stores.get(i).apply(List.of(put(1, "big", "small"), f[i]));
            assertThat(r.outcomes()).containsExactly(new ApplyResult.Applied(1, 1), new ApplyResult.Applied(2, 2));
        }
        List<Fragment> gathered = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            KeyValue kv = stores.get(i).get("big").orElseThrow();
            assertThat(kv.value()).isEmpty();
            assertThat(kv.createRevision()).isEqualTo(1);
            assertThat(kv.modRevision()).isEqualTo(2);
            assertThat(kv.version()).isEqualTo(2);
            assertThat(kv.coded().index()).isEqualTo(2);
            assertThat(kv.coded().term()).isEqualTo(TERM);
            assertThat(kv.coded().parse().id()).isEqualTo(i);
            // about 1/k of the value, plus the key in clear
            assertThat(kv.coded().fragment().length).isLessThan(v.length / 3 + 64);
            if (i >= 2) gathered.add(kv.coded().parse());
        }
        byte[] data = CODEC.decode(gathered);
        byte[] rebuilt = Arrays.copyOfRange(data, gathered.getFirst().clear().length, data.length);
        assertThat(rebuilt).isEqualTo(v);
    }

    @Test
    void codedPutChecksItsPreconditionAgainstTheClearRevisions() throws IOException {
        KvStore s = stores.getFirst();
        s.apply(List.of(put(1, "k", "a")));
        Entry stale = fragments(2, new Command.Put("k", value(5000), Precondition.ifRevision(7)))[0];
        Entry fresh = fragments(3, new Command.Put("k", value(5000), Precondition.ifRevision(1)))[0];
        ApplyResult r = s.apply(List.of(stale, fresh));
        assertThat(r.outcomes()).containsExactly(new ApplyResult.PreconditionFailed(2, 1),
                new ApplyResult.Applied(3, 3));
        assertThat(s.get("k").orElseThrow().modRevision()).isEqualTo(3);
    }

    @Test
    void fullCopyAfterAFragmentMakesTheValueWholeAgainAndSurvivesReopen() throws IOException {
        KvStore s = stores.getFirst();
        s.apply(List.of(fragments(1, new Command.Put("k", value(5000)))[0], put(2, "k", "plain")));
        assertThat(s.get("k").orElseThrow().coded()).isNull();
        assertThat(str(s.get("k").orElseThrow().value())).isEqualTo("plain");
        s.apply(List.of(fragments(3, new Command.Put("k", value(6000)))[0]));
        s.close();
        stores.set(0, KvStore.open(dir.resolve("kv0")));
        KeyValue kv = stores.getFirst().get("k").orElseThrow();
        assertThat(kv.coded().index()).isEqualTo(3);
        assertThat(kv.version()).isEqualTo(3);
        assertThat(stores.getFirst().list("", null, 10).items()).extracting(KeyValue::coded).isNotNull();
    }

    @Test
    void fragmentWhoseClearPartIsNoPutIsRejectedNotApplied() throws IOException {
        byte[] junk = "not a command at all".getBytes(StandardCharsets.UTF_8);
        Entry bad = new Entry(TERM, 1, EntryType.FRAGMENT, CODEC.encode(junk, 3)[0].toBytes());
        ApplyResult r = stores.getFirst().apply(List.of(bad));
        assertThat(r.outcomes().getFirst()).isInstanceOf(ApplyResult.Rejected.class);
        assertThat(stores.getFirst().appliedIndex()).isEqualTo(1);
    }
}
