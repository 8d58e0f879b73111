package io.leifdb.server.kv;

import static io.leifdb.server.kv.KvFixtures.TERM;
import static io.leifdb.server.kv.KvFixtures.delete;
import static io.leifdb.server.kv.KvFixtures.put;
import static io.leifdb.server.kv.KvFixtures.str;
import static io.leifdb.server.kv.KvFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watchers over the store: live changes, resuming from the history without gaps or repeats, overflow, compaction. */
class WatchTest {
    private static final Duration NOW = Duration.ZERO;
    @TempDir
    Path dir;

    private KvStore open(long historyRevisions) throws IOException {
        return KvStore.open(dir.resolve("kv"), new KvOptions(true, 16L << 20, historyRevisions));
    }

    /** Everything the watcher hands out until it has nothing more right now. */
    private static List<String> drain(Watcher w) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (List<Change> batch = w.next(NOW); !batch.isEmpty(); batch = w.next(NOW)) {
            for (Change c : batch) {
                out.add(c.revision() + ":" + c.type() + ":" + c.key() + (c.type() == Change.Type.PUT ? "=" + str(c.value()) : ""));
            }
        }
        return out;
    }

    @Test
    void liveChangesArriveInOrderFilteredByKeyOrPrefix() throws Exception {
        try (KvStore store = open(1000); Watcher all = store.watch(null, "", -1); Watcher one = store.watch("a/1", null, -1);
             Watcher dir = store.watch(null, "a/", -1)) {
            store.apply(List.of(put(1, "a/1", "x"), put(2, "b", "y"), delete(3, "a/1"), delete(4, "never-there")));
            assertThat(drain(all)).containsExactly("1:PUT:a/1=x", "2:PUT:b=y", "3:DELETE:a/1");
            assertThat(drain(one)).containsExactly("1:PUT:a/1=x", "3:DELETE:a/1");
            assertThat(drain(dir)).containsExactly("1:PUT:a/1=x", "3:DELETE:a/1");
            assertThat(all.lastRevision()).isEqualTo(3);
        }
    }

    @Test
    void aWatchFromARevisionReplaysTheHistoryThenGoesLiveWithoutRepeats() throws Exception {
        try (KvStore store = open(1000)) {
            store.apply(List.of(put(1, "k", "1"), put(2, "k", "2"), put(3, "k", "3")));
            try (Watcher w = store.watch("k", null, 1)) {
                // Applied after registration but before the history is read: in both, handed out once.
                store.apply(List.of(put(4, "k", "4")));
                assertThat(drain(w)).containsExactly("2:PUT:k=2", "3:PUT:k=3", "4:PUT:k=4");
                store.apply(List.of(put(5, "k", "5")));
                assertThat(drain(w)).containsExactly("5:PUT:k=5");
            }
        }
    }

    @Test
    void aTransactionsChangesShareItsRevisionAndTheHistorySurvivesARestart() throws Exception {
        Txn t = new Txn(List.of(), List.of(new Txn.Put("x", utf8("1")), new Txn.Put("y", utf8("2")),
                new Txn.Delete("x")), List.of());
        try (KvStore store = open(1000)) {
            store.apply(List.of(put(1, "x", "0"), Entry.normal(TERM, 2, t.encode())));
        }
        try (KvStore store = open(1000); Watcher w = store.watch(null, "", 0)) {
            assertThat(drain(w)).containsExactly("1:PUT:x=0", "2:PUT:x=1", "2:PUT:y=2", "2:DELETE:x");
        }
    }

    @Test
    void aWatcherThatFallsAWholeBufferBehindIsEndedAndResumesFromItsLastRevision() throws Exception {
        try (KvStore store = open(100_000)) {
            Watcher slow = store.watch(null, "", -1);
            assertThat(drain(slow)).isEmpty(); // past its (empty) history read: from here on it lives off its buffer
            for (int i = 1; i <= KvStore.WATCH_BUFFER + 10; i++) {
                store.apply(List.of(put(i, "k" + (i % 7), "v" + i)));
            }
            List<String> got = drain(slow);
            assertThat(got).hasSize(KvStore.WATCH_BUFFER);
            assertThat(slow.ended()).hasValue(Watcher.End.OVERFLOW);
            assertThat(slow.lastRevision()).isEqualTo(KvStore.WATCH_BUFFER);
            assertThat(store.watcherCount()).isEqualTo(1);
            slow.close();
            assertThat(store.watcherCount()).isZero();
            try (Watcher again = store.watch(null, "", slow.lastRevision())) {
                assertThat(drain(again)).hasSize(10);
            }
        }
    }

    @Test
    void revisionsOlderThanTheHistoryAreRefusedWithTheOldestKept() throws Exception {
        try (KvStore store = open(10)) {
            for (int i = 1; i <= 30; i++) {
                store.apply(List.of(put(i, "k", "v" + i)));
            }
            long floor = store.historyFloor();
            assertThat(floor).isBetween(21L - 10 / 8, 21L);
            assertThatThrownBy(() -> store.watch("k", null, floor - 2))
                    .isInstanceOfSatisfying(HistoryCompactedException.class, e -> assertThat(e.oldestRevision()).isEqualTo(floor));
            try (Watcher w = store.watch("k", null, floor - 1)) {
                assertThat(drain(w)).hasSize((int) (30 - floor + 1)).first().asString().startsWith(floor + ":");
            }
            assertThat(store.watcherCount()).isZero();
        }
    }
}
