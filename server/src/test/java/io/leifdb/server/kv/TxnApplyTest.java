package io.leifdb.server.kv;

import static io.leifdb.server.kv.KvFixtures.TERM;
import static io.leifdb.server.kv.KvFixtures.put;
import static io.leifdb.server.kv.KvFixtures.str;
import static io.leifdb.server.kv.KvFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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
}
