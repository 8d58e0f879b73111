package io.leifdb.server.kv;

import static io.leifdb.server.kv.KvFixtures.TERM;
import static io.leifdb.server.kv.KvFixtures.put;
import static io.leifdb.server.kv.KvFixtures.str;
import static io.leifdb.server.kv.KvFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.CodingParams;
import io.leifdb.raft.ConfState;
import io.leifdb.raft.ConfStateCodec;
import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A transaction entry as every replica applies it: same branch, same revisions, one atomic batch. */
class TxnApplyTest {
    @TempDir
    Path dir;
    private KvStore store;

    @BeforeEach
    void open() throws IOException {
        store = KvStore.open(dir.resolve("kv"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Entry txn(long index, Txn t) {
        return Entry.normal(TERM, index, t.encode());
    }

    @Test
    void codecRoundTripsEveryKindOfCompareAndOp() {
        Txn t = new Txn(List.of(Txn.Compare.ofValue("a", Txn.CompareOp.LESS, utf8("9")),
                Txn.Compare.ofNumber("b", Txn.Target.CREATE_REVISION, Txn.CompareOp.NOT_EQUAL, 300)),
                List.of(new Txn.Put("a", utf8("1")), new Txn.Delete("b")), List.of(new Txn.Get("ключ")));
        assertThat(TxnCodec.decode(t.encode())).isEqualTo(t);
        byte[] data = t.encode();
        assertThatThrownBy(() -> TxnCodec.decode(Arrays.copyOf(data, data.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        // A transaction is never coded: CRaft's clear prefix is all of it.
        assertThat(Command.clearLength(data)).isEqualTo(data.length);
    }

    @Test
    void successBranchWritesEveryKeyAtTheEntrysIndex() throws IOException {
        store.apply(List.of(put(1, "a", "100"), put(2, "c", "x")));
        Txn t = new Txn(List.of(Txn.Compare.ofValue("a", Txn.CompareOp.EQUAL, utf8("100")),
                Txn.Compare.ofNumber("a", Txn.Target.VERSION, Txn.CompareOp.EQUAL, 1),
                Txn.Compare.ofNumber("new", Txn.Target.VERSION, Txn.CompareOp.EQUAL, 0)),
                List.of(new Txn.Put("a", utf8("50")), new Txn.Delete("c"), new Txn.Put("new", utf8("n")),
                        new Txn.Get("a")),
                List.of());
        ApplyResult r = store.apply(List.of(txn(3, t)));
        TxnResult result = ((ApplyResult.TxnApplied) r.outcome(3).orElseThrow()).result();
        assertThat(result.succeeded()).isTrue();
        assertThat(result.revision()).isEqualTo(3);
        assertThat(result.results()).hasSize(4);
        assertThat(result.results().get(1)).isEqualTo(new TxnResult.DeleteResult("c", true));
        KeyValue seen = ((TxnResult.GetResult) result.results().get(3)).found().orElseThrow();
        assertThat(str(seen.value())).as("a get sees the earlier put").isEqualTo("50");
        KeyValue a = store.get("a").orElseThrow();
        assertThat(a.modRevision()).isEqualTo(3);
        assertThat(a.createRevision()).isEqualTo(1);
        assertThat(a.version()).isEqualTo(2);
        assertThat(store.get("c")).isEmpty();
        assertThat(store.get("new").orElseThrow().createRevision()).isEqualTo(3);
    }

    @Test
    void failureBranchRunsWhenACompareFailsAndWritesNothingElse() throws IOException {
        store.apply(List.of(put(1, "a", "100")));
        Txn t = new Txn(List.of(Txn.Compare.ofNumber("a", Txn.Target.REVISION, Txn.CompareOp.GREATER, 1)),
                List.of(new Txn.Put("a", utf8("never"))), List.of(new Txn.Get("a"), new Txn.Get("absent")));
        TxnResult result = ((ApplyResult.TxnApplied) store.apply(List.of(txn(2, t))).outcome(2).orElseThrow()).result();
        assertThat(result.succeeded()).isFalse();
        assertThat(((TxnResult.GetResult) result.results().get(0)).found()).isPresent();
        assertThat(((TxnResult.GetResult) result.results().get(1)).found()).isEmpty();
        assertThat(str(store.get("a").orElseThrow().value())).isEqualTo("100");
        assertThat(store.appliedIndex()).isEqualTo(2);
    }

    @Test
    void anAbsentKeysValueIsOnlyUnequalToAnything() throws IOException {
        for (Txn.CompareOp op : Txn.CompareOp.values()) {
            Txn t = new Txn(List.of(Txn.Compare.ofValue("none", op, utf8(""))), List.of(), List.of());
            long index = store.appliedIndex() + 1;
            TxnResult r = ((ApplyResult.TxnApplied) store.apply(List.of(txn(index, t))).outcome(index).orElseThrow())
                    .result();
            assertThat(r.succeeded()).as(op.name()).isEqualTo(op == Txn.CompareOp.NOT_EQUAL);
        }
    }

    @Test
    void aDamagedTransactionIsRejectedOnEveryReplicaAlike() throws IOException {
        ApplyResult r = store.apply(List.of(Entry.normal(TERM, 1, new byte[] {TxnCodec.FORMAT, 9})));
        assertThat(r.outcome(1).orElseThrow()).isInstanceOf(ApplyResult.Rejected.class);
        assertThat(store.appliedIndex()).isEqualTo(1);
    }

    // Issue 14: a value compare is decided from the membership applied before it, so every member gives the
    // same verdict: refused while a member may hold the value as a fragment (coding on, or storedK above 1).
    private static final ConfState CODED_FIVE = ConfState.of(Set.of(1L, 2L, 3L, 4L, 5L));

    private static Entry config(long index, CodingParams p) {
        return new Entry(TERM, index, EntryType.CONFIG, ConfStateCodec.encode(CODED_FIVE.withCoding(p)));
    }

    private static Entry guarded(long index, Txn.Compare compare) {
        return Entry.normal(TERM, index, new Txn(List.of(compare), List.of(new Txn.Put("b", utf8("yes"))), List.of()).encode());
    }

    private static final Txn.Compare VALUE_EQ = Txn.Compare.ofValue("a", Txn.CompareOp.EQUAL, utf8("1"));
    private static final Txn.Compare VERSION_EQ = Txn.Compare.ofNumber("a", Txn.Target.VERSION, Txn.CompareOp.EQUAL, 1);

    @Test
    void aValueCompareIsRefusedAlikeWhileValuesMayBeCodedAndDecidedOnceAllAreWhole() throws IOException {
        store.apply(List.of(put(1, "a", "1"), config(2, new CodingParams(true, 0, 0, 3))));
        ApplyResult coded = store.apply(List.of(guarded(3, VALUE_EQ), guarded(4, VERSION_EQ)));
        assertThat(coded.outcome(3).orElseThrow()).isInstanceOf(ApplyResult.Rejected.class);
        assertThat(((ApplyResult.Rejected) coded.outcome(3).orElseThrow()).reason()).contains("storedK");
        assertThat(((ApplyResult.TxnApplied) coded.outcome(4).orElseThrow()).result().succeeded())
                .as("metadata is in clear in every share").isTrue();
        // Coding off, but fragments written before may be left: still refused, in the same batch as the change.
        ApplyResult off = store.apply(List.of(config(5, new CodingParams(false, 0, 0, 3)), guarded(6, VALUE_EQ)));
        assertThat(off.outcome(6).orElseThrow()).isInstanceOf(ApplyResult.Rejected.class);
        // The repair scrub recorded that every voter holds every value whole.
        ApplyResult whole = store.apply(List.of(config(7, new CodingParams(false, 0, 0, 1)), guarded(8, VALUE_EQ)));
        assertThat(((ApplyResult.TxnApplied) whole.outcome(8).orElseThrow()).result().succeeded()).isTrue();
        assertThat(new String(store.get("b").orElseThrow().value(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("yes");
    }

    @Test
    void aClusterThatNeverRecordedCodingComparesValues() throws IOException {
        store.apply(List.of(put(1, "a", "1"), new Entry(TERM, 2, EntryType.CONFIG, ConfStateCodec.encode(CODED_FIVE))));
        ApplyResult r = store.apply(List.of(guarded(3, VALUE_EQ)));
        assertThat(((ApplyResult.TxnApplied) r.outcome(3).orElseThrow()).result().succeeded()).isTrue();
    }
}
