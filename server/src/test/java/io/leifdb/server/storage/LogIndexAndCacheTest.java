package io.leifdb.server.storage;

import static io.leifdb.server.storage.WalFixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The in-memory index and entry cache keep their windows and byte counts right through every edit. */
class LogIndexAndCacheTest {
    @Test
    void indexTracksTermsBytesAndWindowThroughGrowthTruncationAndCompaction() {
        LogIndex index = new LogIndex();
        for (long i = 1; i <= 5000; i++) index.add(i, i / 100, null, i * 10, 10);
        assertThat(index.last()).isEqualTo(5000);
        assertThat(index.bytes()).isEqualTo(50_000);
        index.dropThrough(4000);
        index.truncateFrom(4501);
        assertThat(index.first()).isEqualTo(4001);
        assertThat(index.last()).isEqualTo(4500);
        assertThat(index.bytes()).isEqualTo(5_000);
        assertThat(index.term(4321)).isEqualTo(43);
        assertThat(index.offset(4321)).isEqualTo(43210);
        for (long i = 4501; i <= 9000; i++) index.add(i, 7, null, i, 3); // grows past the dropped prefix
        assertThat(index.term(4500)).isEqualTo(45);
        assertThat(index.term(9000)).isEqualTo(7);
        assertThatThrownBy(() -> index.term(4000)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> index.add(9002, 7, null, 0, 1)).isInstanceOf(IllegalStateException.class);
        index.dropThrough(9000);
        assertThat(index.isEmpty()).isTrue();
        assertThat(index.first()).isEqualTo(9001);
        assertThat(index.bytes()).isZero();
    }

    @Test
    void cacheKeepsTheNewestEntriesWithinItsByteBudget() {
        long each = entry(1, 1, 100).sizeBytes();
        EntryCache cache = new EntryCache(each * 10);
        for (long i = 1; i <= 25; i++) cache.add(entry(1, i, 100));
        assertThat(cache.get(15)).isNull();
        assertThat(cache.get(16)).isEqualTo(entry(1, 16, 100));
        assertThat(cache.get(25)).isEqualTo(entry(1, 25, 100));
        cache.truncateFrom(20);
        assertThat(cache.get(20)).isNull();
        cache.add(entry(2, 20, 100));
        assertThat(cache.get(20)).isEqualTo(entry(2, 20, 100));
        cache.dropThrough(18);
        assertThat(cache.get(18)).isNull();
        assertThat(cache.get(19)).isEqualTo(entry(1, 19, 100));
        cache.add(entry(3, 40, 100)); // not contiguous: the cache starts over
        assertThat(cache.get(19)).isNull();
        assertThat(cache.get(40)).isEqualTo(entry(3, 40, 100));
    }
}
