package io.leifdb.server.kv;

import static io.leifdb.server.kv.FollowerSharesTest.CODING;
import static io.leifdb.server.kv.FollowerSharesTest.NEVER;
import static io.leifdb.server.kv.FollowerSharesTest.live;
import static io.leifdb.server.kv.KvFixtures.TERM;
import static io.leifdb.server.kv.KvFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.Entry;
import io.leifdb.raft.craft.Fragment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A put's entry records its value's {@link Utf8.Kind} in the clear part every fragment keeps, so a
 * replica holding a fragment knows the value's JSON form before gathering it; so does a recode (repair).
 * Entries and stored values written before kinds were recorded still read, say they recorded none, and
 * are rebuilt byte for byte as they were written (a snapshot's fragment must combine with the live log's).
 */
class ValueKindTest {
    /** A put as today's entries were written before kinds: version 1, op 1, no precondition, key "k", "hi". */
    private static final byte[] PUT_BEFORE_KINDS = {1, 1, 0, 1, 'k', 2, 'h', 'i'};

    @TempDir
    Path dir;
    private final OpenStores stores = new OpenStores();

    @AfterEach
    void close() {
        stores.close();
    }

    /** The fragment voter 2 stores of an entry of {@code data} (at least the coding threshold long). */
    private static Fragment fragment(byte[] data) {
        return Fragment.fromBytes(live(Entry.normal(TERM, 1, data), 1).data());
    }

    @Test
    void aNewPutRecordsItsValuesKindInTheClearPart() {
        byte[] big = new byte[5_000];
        Arrays.fill(big, (byte) 'a');
        byte[] escapes = utf8("\u4e2d\"\n".repeat(2_000));
        byte[] binary = FollowerSharesTest.value(5_000, 3);
        binary[0] = (byte) 0xFF;
        for (byte[] value : List.of(big, escapes, binary)) {
            Command.Put put = new Command.Put("k/\u00e9", value, Precondition.ifRevision(9));
            Utf8.Kind kind = Utf8.scan(value);
            assertThat(put.kind()).isEqualTo(kind);
            byte[] data = put.encode();
            assertThat(Command.decode(data)).isEqualTo(put);
            assertThat(Command.clearLength(data)).isEqualTo(data.length - value.length);
            byte[] clear = Arrays.copyOf(data, Command.clearLength(data));
            assertThat(Command.decodeClear(clear, value.length).kind()).isEqualTo(kind);
            assertThat(CodedValue.kind(fragment(data))).isEqualTo(kind);
        }
        assertThat(Utf8.scan(escapes)).isEqualTo(Utf8.Kind.NEEDS_ESCAPES);
        assertThat(Utf8.scan(binary)).isEqualTo(Utf8.Kind.NOT_UTF8);
    }

    @Test
    void anEntryFromBeforeKindsReadsWithNoneAndEncodesAsItWas() {
        Command.Put old = (Command.Put) Command.decode(PUT_BEFORE_KINDS);
        assertThat(old).isEqualTo(new Command.Put("k", utf8("hi"), Precondition.NONE, null));
        assertThat(old.encode()).isEqualTo(PUT_BEFORE_KINDS);
        assertThat(Command.clearLength(PUT_BEFORE_KINDS)).isEqualTo(6);
        assertThat(Command.decodeClear(Arrays.copyOf(PUT_BEFORE_KINDS, 6), 2).kind()).isNull();

        byte[] bigOld = new Command.Put("k", FollowerSharesTest.value(5_000, 4), Precondition.NONE, null).encode();
        assertThat(bigOld[1]).isEqualTo((byte) 1);
        assertThat(CodedValue.kind(fragment(bigOld))).as("gathered whole for JSON, as before").isNull();
        byte[] recodeOld = new Recode("k", 4, FollowerSharesTest.value(5_000, 5), null).encode();
        assertThat(recodeOld[0]).isEqualTo(Recode.FORMAT);
        assertThat(CodedValue.kind(fragment(recodeOld))).isNull();
    }

    @Test
    void aRecodeRecordsItsKindAndOneFromBeforeKindsReadsAsItWas() {
        byte[] binary = FollowerSharesTest.value(5_000, 6);
        binary[0] = (byte) 0xFE;
        byte[] data = new Recode("k", 4, binary).encode();
        assertThat(data[0]).isEqualTo(Recode.FORMAT_KIND);
        assertThat(Recode.decode(data).kind()).isEqualTo(Utf8.Kind.NOT_UTF8);
        assertThat(Command.clearLength(data)).isEqualTo(data.length - binary.length);
        assertThat(CodedValue.kind(fragment(data))).isEqualTo(Utf8.Kind.NOT_UTF8);

        byte[] before = {6, 4, 1, 'k', 2, 'h', 'i'}; // format 6: revision 4, key "k", value "hi"
        Recode old = Recode.decode(before);
        assertThat(old.kind()).isNull();
        assertThat(old.encode()).isEqualTo(before);
        assertThat(Command.clearLength(before)).isEqualTo(5);
        assertThat(Recode.decodeClear(Arrays.copyOf(before, 5), 2).kind()).isNull();
    }

    @Test
    void aRecodedValueFromBeforeKindsReadsAndRebuildsItsRecodeAsItWas() {
        // Format 5 as written before: header, term 4, at 9, value.
        byte[] raw = ByteBuffer.allocate(1 + 5 * 8 + 2).put((byte) 5).putLong(1).putLong(2).putLong(1).putLong(4)
                .putLong(9).put(utf8("hi")).array();
        StoredValue old = StoredValue.decode(raw);
        assertThat(old.recoded()).isTrue();
        assertThat(old.kind()).isNull();
        assertThat(old.encode()).isEqualTo(raw);
        assertThat(old.recode("k").encode()).isEqualTo(new byte[] {6, 2, 1, 'k', 2, 'h', 'i'});

        StoredValue now = StoredValue.recoded(1, 2, 1, utf8("h\"i"), 9, 4, Utf8.Kind.NEEDS_ESCAPES);
        StoredValue back = StoredValue.decode(now.encode());
        assertThat(back.kind()).isEqualTo(Utf8.Kind.NEEDS_ESCAPES);
        assertThat(back.at()).isEqualTo(9);
        assertThat(back.value()).isEqualTo(utf8("h\"i"));
        assertThat(back.recode("k").encode()).isEqualTo(new Recode("k", 2, utf8("h\"i")).encode());
    }

    @Test
    void anUnknownKindIsRejected() {
        byte[] data = new Command.Put("k", utf8("hi")).encode();
        assertThat(data[5]).isEqualTo((byte) 0); // PLAIN, right after the key
        data[5] = 7;
        assertThatThrownBy(() -> Command.decode(data)).hasMessageContaining("kind");
        assertThat(Command.clearLength(data)).isEqualTo(data.length); // no command: never coded
    }

    @Test
    void aStoredWriteFromBeforeKindsReadsAndRebuildsItsEntryAsItWas() {
        // Format 3 as written before: header, term 4, pre byte 0 (none, no kind), value.
        byte[] raw = ByteBuffer.allocate(1 + 4 * 8 + 1 + 2).put((byte) 3).putLong(1).putLong(2).putLong(1).putLong(4)
                .put((byte) 0).put(utf8("hi")).array();
        StoredValue old = StoredValue.decode(raw);
        assertThat(old.writeKnown()).isTrue();
        assertThat(old.kind()).isNull();
        assertThat(old.value()).isEqualTo(utf8("hi"));
        assertThat(old.encode()).isEqualTo(raw);
        assertThat(old.put("k").encode()).isEqualTo(PUT_BEFORE_KINDS);

        for (Utf8.Kind kind : Utf8.Kind.values()) {
            for (Precondition pre : List.of(Precondition.NONE, Precondition.IF_ABSENT, Precondition.ifRevision(77))) {
                StoredValue v = StoredValue.whole(3, 9, 2, utf8("v"), 4, pre, kind);
                StoredValue back = StoredValue.decode(v.encode());
                assertThat(back.kind()).isEqualTo(kind);
                assertThat(back.pre()).isEqualTo(pre);
                assertThat(back.put("k")).isEqualTo(v.put("k"));
            }
        }
        raw[1 + 4 * 8] = (byte) 0x40; // a kind code past the known ones
        assertThatThrownBy(() -> StoredValue.decode(raw)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSnapshotGivesAFollowerTheFragmentTheLiveLogGaveForOldAndNewPuts() throws Exception {
        byte[] v = FollowerSharesTest.value(20_000, 8);
        List<Entry> writes = List.of(
                Entry.normal(TERM, 1, new Command.Put("old", v, Precondition.NONE, null).encode()),
                Entry.normal(TERM, 2, new Command.Put("new", v, Precondition.IF_ABSENT).encode()),
                Entry.normal(TERM, 3, new Command.Put("text", utf8("\u00e9\"".repeat(5_000))).encode()),
                Entry.normal(TERM, 4, new Command.Put("recodedOld", v).encode()),
                Entry.normal(TERM, 5, new Command.Put("recodedNew", v).encode()),
                Entry.normal(TERM, 6, new Recode("recodedOld", 4, v, null).encode()),
                Entry.normal(TERM, 7, new Recode("recodedNew", 5, v).encode()));
        KvStore leader = stores.open(dir.resolve("leader"));
        leader.apply(writes);
        KvStore follower = stores.open(dir.resolve("follower"));
        follower.apply(writes.stream().map(e -> live(e, 2)).toList());
        FollowerShares shares = new FollowerShares(CODING, 3, NEVER);
        for (String key : List.of("old", "new", "text", "recodedOld", "recodedNew")) {
            StoredValue got = shares.recode(key, leader.stored(key).orElseThrow()).join();
            assertThat(got.toKeyValue(key)).as(key).isEqualTo(follower.get(key).orElseThrow());
        }
        assertThat(CodedValue.kind(follower.get("old").orElseThrow().coded().parse())).isNull();
        assertThat(CodedValue.kind(follower.get("new").orElseThrow().coded().parse())).isEqualTo(Utf8.Kind.NOT_UTF8);
        assertThat(CodedValue.kind(follower.get("text").orElseThrow().coded().parse()))
                .isEqualTo(Utf8.Kind.NEEDS_ESCAPES);
        assertThat(leader.stored("recodedOld").orElseThrow().recoded()).isTrue();
        assertThat(CodedValue.kind(follower.get("recodedOld").orElseThrow().coded().parse())).isNull();
        assertThat(CodedValue.kind(follower.get("recodedNew").orElseThrow().coded().parse()))
                .isEqualTo(Utf8.Kind.NOT_UTF8);
    }
}
