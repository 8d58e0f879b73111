package io.leifdb.server.kv;

import static io.leifdb.server.kv.KvFixtures.TERM;
import static io.leifdb.server.kv.KvFixtures.delete;
import static io.leifdb.server.kv.KvFixtures.put;
import static io.leifdb.server.kv.KvFixtures.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvStoreApplyTest {
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

    @Test
    void freshStoreIsEmptyAtIndexZero() {
        assertThat(store.appliedIndex()).isZero();
        assertThat(store.appliedTerm()).isZero();
        assertThat(store.get("k")).isEmpty();
        assertThat(store.confData()).isEmpty();
    }

    @Test
    void putsTrackCreateAndModRevisionsAndVersion() throws IOException {
        ApplyResult r = store.apply(List.of(put(1, "a/b", "one"), put(2, "other", "x"), put(3, "a/b", "two")));
        assertThat(r.appliedIndex()).isEqualTo(3);
        assertThat(r.appliedTerm()).isEqualTo(TERM);
        assertThat(r.outcomes()).containsExactly(new ApplyResult.Applied(1, 1), new ApplyResult.Applied(2, 2),
                new ApplyResult.Applied(3, 3));
        KeyValue kv = store.get("a/b").orElseThrow();
        assertThat(str(kv.value())).isEqualTo("two");
        assertThat(kv.createRevision()).isEqualTo(1);
        assertThat(kv.modRevision()).isEqualTo(3);
        assertThat(kv.version()).isEqualTo(2);
        assertThat(store.appliedIndex()).isEqualTo(3);
        assertThat(store.appliedTerm()).isEqualTo(TERM);
    }

    @Test
    void deleteRemovesAndRecreateStartsANewLife() throws IOException {
        store.apply(List.of(put(1, "k", "v1"), put(2, "k", "v2")));
        store.apply(List.of(delete(3, "k")));
        assertThat(store.get("k")).isEmpty();
        store.apply(List.of(put(4, "k", "v3")));
        KeyValue kv = store.get("k").orElseThrow();
        assertThat(kv.createRevision()).isEqualTo(4);
        assertThat(kv.version()).isEqualTo(1);
    }

    @Test
    void deletingAMissingKeySucceeds() throws IOException {
        ApplyResult r = store.apply(List.of(delete(1, "never")));
        assertThat(r.outcome(1)).contains(new ApplyResult.Applied(1, 1));
        assertThat(store.appliedIndex()).isEqualTo(1);
    }

    @Test
    void ifRevisionWritesOnlyWhenTheRevisionMatches() throws IOException {
        store.apply(List.of(put(1, "k", "v1"), put(2, "k", "v2")));
        ApplyResult stale = store.apply(List.of(put(3, "k", "lost", Precondition.ifRevision(1))));
        assertThat(stale.outcome(3)).contains(new ApplyResult.PreconditionFailed(3, 2));
        assertThat(str(store.get("k").orElseThrow().value())).isEqualTo("v2");
        assertThat(store.appliedIndex()).isEqualTo(3);

        ApplyResult fresh = store.apply(List.of(put(4, "k", "won", Precondition.ifRevision(2))));
        assertThat(fresh.outcome(4)).contains(new ApplyResult.Applied(4, 4));
        assertThat(str(store.get("k").orElseThrow().value())).isEqualTo("won");
    }

    @Test
    void ifRevisionOnAMissingKeyFailsWithRevisionZero() throws IOException {
        ApplyResult r = store.apply(List.of(put(1, "k", "v", Precondition.ifRevision(1)),
                delete(2, "k", Precondition.ifRevision(1))));
        assertThat(r.outcomes()).containsExactly(new ApplyResult.PreconditionFailed(1, 0),
                new ApplyResult.PreconditionFailed(2, 0));
        assertThat(store.get("k")).isEmpty();
    }

    @Test
    void conditionalDeleteHonoursTheRevision() throws IOException {
        store.apply(List.of(put(1, "k", "v")));
        assertThat(store.apply(List.of(delete(2, "k", Precondition.ifRevision(7)))).outcome(2))
                .contains(new ApplyResult.PreconditionFailed(2, 1));
        assertThat(store.get("k")).isPresent();
        assertThat(store.apply(List.of(delete(3, "k", Precondition.ifRevision(1)))).outcome(3))
                .contains(new ApplyResult.Applied(3, 3));
        assertThat(store.get("k")).isEmpty();
    }

    @Test
    void ifAbsentCreatesOnce() throws IOException {
        ApplyResult r = store.apply(List.of(put(1, "k", "first", Precondition.IF_ABSENT),
                put(2, "k", "second", Precondition.IF_ABSENT)));
        // The second sees the first although both sit in one batch, not yet in RocksDB.
        assertThat(r.outcomes()).containsExactly(new ApplyResult.Applied(1, 1),
                new ApplyResult.PreconditionFailed(2, 1));
        assertThat(str(store.get("k").orElseThrow().value())).isEqualTo("first");
    }

    @Test
    void laterEntriesOfABatchSeeEarlierDeletes() throws IOException {
        store.apply(List.of(put(1, "k", "v")));
        ApplyResult r = store.apply(List.of(delete(2, "k"), put(3, "k", "again", Precondition.IF_ABSENT)));
        assertThat(r.outcome(3)).contains(new ApplyResult.Applied(3, 3));
        assertThat(store.get("k").orElseThrow().createRevision()).isEqualTo(3);
    }

    @Test
    void noopAndConfigOnlyAdvanceTheAppliedIndex() throws IOException {
        byte[] conf = {1, 2, 3};
        ApplyResult r = store.apply(List.of(Entry.noop(4, 1), KvFixtures.config(2, conf), Entry.noop(5, 3)));
        assertThat(r.outcomes()).isEmpty();
        assertThat(store.appliedIndex()).isEqualTo(3);
        assertThat(store.appliedTerm()).isEqualTo(5);
        assertThat(store.confData()).hasValueSatisfying(c -> assertThat(c).containsExactly(1, 2, 3));
        assertThat(KvFixtures.dump(store)).isEmpty();
    }

    @Test
    void alreadyAppliedEntriesAreSkipped() throws IOException {
        store.apply(List.of(put(1, "k", "v1"), put(2, "k", "v2")));
        ApplyResult r = store.apply(List.of(put(1, "k", "v1"), put(2, "k", "v2"), put(3, "k", "v3")));
        assertThat(r.outcomes()).containsExactly(new ApplyResult.Applied(3, 3));
        assertThat(store.get("k").orElseThrow().version()).isEqualTo(3);
    }

    @Test
    void aGapAfterTheAppliedIndexIsRefusedAndChangesNothing() throws IOException {
        store.apply(List.of(put(1, "k", "v1")));
        assertThatThrownBy(() -> store.apply(List.of(put(2, "k", "v2"), put(4, "k", "v4"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("4");
        assertThat(store.appliedIndex()).isEqualTo(1);
        assertThat(str(store.get("k").orElseThrow().value())).isEqualTo("v1");
    }

    @Test
    void anUndecodableEntryIsRejectedButStillAdvances() throws IOException {
        ApplyResult r = store.apply(List.of(Entry.normal(TERM, 1, new byte[] {42, 1, 0}), put(2, "k", "v")));
        assertThat(r.outcome(1)).hasValueSatisfying(o -> assertThat(o).isInstanceOf(ApplyResult.Rejected.class));
        assertThat(r.outcome(2)).contains(new ApplyResult.Applied(2, 2));
        assertThat(store.appliedIndex()).isEqualTo(2);
    }

    @Test
    void emptyBatchKeepsState() throws IOException {
        store.apply(List.of(put(1, "k", "v")));
        ApplyResult r = store.apply(List.of());
        assertThat(r.appliedIndex()).isEqualTo(1);
        assertThat(r.outcomes()).isEmpty();
    }

    @Test
    void valuesAreStoredByteExact() throws IOException {
        byte[] value = new byte[256];
        for (int i = 0; i < value.length; i++) value[i] = (byte) i;
        store.apply(List.of(Entry.normal(TERM, 1, new Command.Put("bin", value).encode()),
                Entry.normal(TERM, 2, new Command.Put("empty", new byte[0]).encode())));
        assertThat(store.get("bin").orElseThrow().value()).isEqualTo(value);
        assertThat(store.get("empty").orElseThrow().value()).isEmpty();
        assertThat(store.get("bin ")).isEmpty();
    }

    @Test
    void closedStoreRefusesCalls() {
        store.close();
        assertThatThrownBy(() -> store.get("k")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.apply(List.of(put(1, "k", "v")))).isInstanceOf(IllegalStateException.class);
    }
}
