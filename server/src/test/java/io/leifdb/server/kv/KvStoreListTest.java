package io.leifdb.server.kv;

import static io.leifdb.server.kv.KvFixtures.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvStoreListTest {
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

    private void putAll(String... keys) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (String k : keys) entries.add(put(store.appliedIndex() + entries.size() + 1, k, "v-" + k));
        store.apply(entries);
    }

    private static List<String> keys(Page page) {
        return page.items().stream().map(KeyValue::key).toList();
    }

    @Test
    void listsKeysUnderAPrefixInByteOrder() throws IOException {
        putAll("users/2", "users/10", "users/1", "user", "usersX", "groups/1");
        Page page = store.list("users/", null, 100);
        assertThat(keys(page)).containsExactly("users/1", "users/10", "users/2");
        assertThat(page.next()).isEmpty();
    }

    @Test
    void orderIsUtf8ByteOrderNotJavaStringOrder() throws IOException {
        // U+FF5E sorts after U+1F600 in UTF-16 (Java's order) but before it in UTF-8 bytes.
        putAll("\uD83D\uDE00", "\uFF5E", "z");
        assertThat(keys(store.list("", null, 10))).containsExactly("z", "\uFF5E", "\uD83D\uDE00");
    }

    @Test
    void paginatesWithTheNextCursor() throws IOException {
        for (int i = 0; i < 10; i++) putAll(String.format("p/%02d", i));
        putAll("q/after");
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            Page page = store.list("p/", after, 3);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(3);
            seen.addAll(keys(page));
            after = page.next().orElse(null);
            pages++;
        } while (after != null);
        assertThat(pages).isEqualTo(4);
        assertThat(seen).containsExactly("p/00", "p/01", "p/02", "p/03", "p/04", "p/05", "p/06", "p/07", "p/08",
                "p/09");
    }

    @Test
    void aFullLastPageHasNoCursor() throws IOException {
        putAll("a", "b", "c");
        Page page = store.list("", null, 3);
        assertThat(keys(page)).containsExactly("a", "b", "c");
        assertThat(page.next()).isEmpty();
        Page first = store.list("", null, 2);
        assertThat(first.next()).contains("b");
    }

    @Test
    void afterKeyIsExclusiveAndNeedNotExist() throws IOException {
        putAll("a", "b", "d");
        assertThat(keys(store.list("", "b", 10))).containsExactly("d");
        assertThat(keys(store.list("", "c", 10))).containsExactly("d");
        assertThat(keys(store.list("", "", 10))).containsExactly("a", "b", "d");
        // A cursor before the prefix starts at the prefix.
        assertThat(keys(store.list("b", "a", 10))).containsExactly("b");
    }

    @Test
    void itemsCarryValuesAndRevisions() throws IOException {
        putAll("k");
        KeyValue kv = store.list("k", null, 1).items().get(0);
        assertThat(kv).isEqualTo(store.get("k").orElseThrow());
    }

    @Test
    void limitMustBePositive() {
        assertThatThrownBy(() -> store.list("", null, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readersRunAlongsideApply() throws Exception {
        ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                results.add(readers.submit(() -> {
                    long lastVersion = 0;
                    for (int i = 0; i < 200; i++) {
                        long v = store.get("counter").map(KeyValue::version).orElse(0L);
                        // Versions only grow: a reader never sees an older write after a newer one.
                        assertThat(v).isGreaterThanOrEqualTo(lastVersion);
                        lastVersion = v;
                        store.list("", null, 5);
                    }
                    return lastVersion;
                }));
            }
            for (int i = 1; i <= 200; i++) store.apply(List.of(put(i, "counter", "v" + i)));
            for (Future<Long> f : results) assertThat(f.get()).isBetween(0L, 200L);
            assertThat(store.get("counter").orElseThrow().version()).isEqualTo(200);
        } finally {
            readers.shutdownNow();
        }
    }
}
