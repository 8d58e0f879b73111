package io.leifdb.server.kv;

import static io.leifdb.server.kv.KvFixtures.dump;
import static io.leifdb.server.kv.KvFixtures.puts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvStoreDurabilityTest {
    @TempDir
    Path dir;

    /** The state of a store that applied {@code entries} and nothing else, computed by a second store. */
    private Map<String, String> expectedAfter(List<Entry> entries) throws IOException {
        Path other = Files.createTempDirectory(dir, "expected");
        try (KvStore s = KvStore.open(other)) {
            s.apply(entries);
            return dump(s);
        }
    }

    @Test
    void appliedIndexAndDataSurviveAnOrderlyReopen() throws IOException {
        Path kv = dir.resolve("kv");
        try (KvStore s = KvStore.open(kv)) {
            s.apply(puts(1, 50, 7));
            s.apply(List.of(KvFixtures.config(51, new byte[] {9})));
        }
        try (KvStore s = KvStore.open(kv)) {
            assertThat(s.appliedIndex()).isEqualTo(51);
            assertThat(s.appliedTerm()).isEqualTo(KvFixtures.TERM);
            assertThat(s.confData()).hasValueSatisfying(c -> assertThat(c).containsExactly(9));
            assertThat(dump(s)).isEqualTo(expectedAfter(puts(1, 50, 7)));
        }
    }

    @Test
    void withRocksDbsWalOnAProcessCrashKeepsEveryBatch() throws IOException {
        Path kv = dir.resolve("kv");
        KvStore s = KvStore.open(kv, new KvOptions(false, 16L << 20));
        s.apply(puts(1, 30, 5));
        s.apply(puts(31, 30, 5));
        s.crashClose();
        try (KvStore reopened = KvStore.open(kv, new KvOptions(false, 16L << 20))) {
            assertThat(reopened.appliedIndex()).isEqualTo(60);
            assertThat(dump(reopened)).isEqualTo(expectedAfter(puts(1, 60, 5)));
        }
    }

    @Test
    void losingUnflushedWritesLeavesAConsistentPrefix() throws IOException {
        // With RocksDB's WAL off, a crash loses the memtable: the worst case for the KV's own durability.
        KvOptions noWal = new KvOptions(true, 16L << 20);
        Path kv = dir.resolve("kv");
        List<Entry> first = puts(1, 40, 6);
        List<Entry> second = new ArrayList<>(puts(41, 40, 9));
        second.add(KvFixtures.delete(81, "k1"));
        KvStore s = KvStore.open(kv, noWal);
        s.apply(first);
        s.compact(); // makes the first batch durable
        s.apply(second);
        assertThat(s.appliedIndex()).isEqualTo(81);
        s.crashClose();

        KvStore reopened = KvStore.open(kv, noWal);
        try {
            // Never ahead of the data: the applied index is exactly the one stored with the surviving data.
            assertThat(reopened.appliedIndex()).isEqualTo(40);
            assertThat(dump(reopened)).isEqualTo(expectedAfter(first));
            // Replaying the Raft log after the applied index restores the rest.
            List<Entry> all = new ArrayList<>(first);
            all.addAll(second);
            reopened.apply(all);
            assertThat(dump(reopened)).isEqualTo(expectedAfter(all));
        } finally {
            reopened.close();
        }
    }

    @Test
    void orderlyCloseWithoutWalStillPersistsEverything() throws IOException {
        KvOptions noWal = new KvOptions(true, 16L << 20);
        Path kv = dir.resolve("kv");
        try (KvStore s = KvStore.open(kv, noWal)) {
            s.apply(puts(1, 20, 4));
        }
        try (KvStore s = KvStore.open(kv, noWal)) {
            assertThat(s.appliedIndex()).isEqualTo(20);
            assertThat(dump(s)).isEqualTo(expectedAfter(puts(1, 20, 4)));
        }
    }

    @Test
    void diskUseStaysBoundedUnderOverwrites() throws IOException {
        Path kv = dir.resolve("kv");
        String value = "x".repeat(100);
        try (KvStore s = KvStore.open(kv)) {
            long index = 0;
            for (int round = 0; round < 100; round++) {
                List<Entry> batch = new ArrayList<>(1000);
                for (int k = 0; k < 1000; k++) {
                    index++;
                    batch.add(KvFixtures.put(index, "key/" + k, value + round));
                }
                s.apply(batch);
            }
            s.compact();
            long bytes = DurableFiles.treeSize(kv);
            // 100,000 writes of ~100 B went in; 1000 live keys of ~130 B each remain.
            assertThat(bytes).isLessThan(4L << 20);
            assertThat(s.get("key/999").orElseThrow().version()).isEqualTo(100);
        }
    }

    @Test
    void openRemovesGenerationsNotNamedByTheFilePointer() throws IOException {
        Path kv = dir.resolve("kv");
        try (KvStore s = KvStore.open(kv)) {
            s.apply(puts(1, 3, 3));
        }
        Files.createDirectories(kv.resolve("gen-7"));
        Files.writeString(kv.resolve("gen-7").resolve("junk"), "left by a crashed install");
        Files.writeString(kv.resolve("CURRENT.tmp"), "gen-7");
        try (KvStore s = KvStore.open(kv)) {
            assertThat(s.appliedIndex()).isEqualTo(3);
        }
        assertThat(KvFixtures.childNames(kv)).containsExactly("CURRENT", "gen-1");
    }

    @Test
    void aPointerToAMissingGenerationIsAnErrorNotAnEmptyStore() throws IOException {
        Path kv = dir.resolve("kv");
        KvStore.open(kv).close();
        Files.writeString(kv.resolve("CURRENT"), "gen-9\n");
        assertThatThrownBy(() -> KvStore.open(kv)).isInstanceOf(IOException.class).hasMessageContaining("gen-9");
    }

    @Test
    void leftoversOfAnInterruptedFirstOpenAreDiscarded() throws IOException {
        Path kv = dir.resolve("kv");
        Files.createDirectories(kv.resolve("gen-1"));
        Files.writeString(kv.resolve("gen-1").resolve("partial"), "x");
        try (KvStore s = KvStore.open(kv)) {
            assertThat(s.appliedIndex()).isZero();
            s.apply(puts(1, 1, 1));
        }
        assertThat(KvFixtures.childNames(kv)).containsExactly("CURRENT", "gen-1");
        assertThat(Files.exists(kv.resolve("gen-1").resolve("partial"))).isFalse();
    }
}
