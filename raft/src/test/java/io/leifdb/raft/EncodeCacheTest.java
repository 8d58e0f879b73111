package io.leifdb.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The leader's cache of encoded fragments stays within its entry and byte bounds. */
class EncodeCacheTest {
    /** Three fragments of {@code each} bytes for {@code index}, as an encode would give. */
    private static Entry[] frags(long term, long index, int each) {
        Entry[] out = new Entry[3];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Entry(term, index, EntryType.FRAGMENT, new byte[each]);
        }
        return out;
    }

    @Test
    void evictsTheOldestOnceTheBytesBoundIsPassed() {
        EncodeCache cache = new EncodeCache(1024, 1000);
        for (long i = 1; i <= 10; i++) {
            cache.put(i, frags(1, i, 100)); // 300 bytes each: three fit, a fourth does not
        }
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.bytes()).isEqualTo(900);
        assertThat(cache.get(7)).isNull();
        assertThat(cache.get(8)).isNotNull();
        assertThat(cache.get(10)).isNotNull();
    }

    @Test
    void evictsTheOldestOnceTheEntryBoundIsPassed() {
        EncodeCache cache = new EncodeCache(2, 1 << 20);
        cache.put(1, frags(1, 1, 1));
        cache.put(2, frags(1, 2, 1));
        cache.put(3, frags(1, 3, 1));
        assertThat(cache.get(1)).isNull();
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.bytes()).isEqualTo(6);
    }

    @Test
    void keepsTheNewestEvenWhenItAloneIsTooLarge() {
        EncodeCache cache = new EncodeCache(1024, 10);
        cache.put(1, frags(1, 1, 2));
        cache.put(2, frags(1, 2, 50));
        assertThat(cache.get(1)).isNull();
        assertThat(cache.get(2)).isNotNull();
        assertThat(cache.bytes()).isEqualTo(150);
    }

    @Test
    void replacingAnIndexCountsOnlyTheNewFragments() {
        EncodeCache cache = new EncodeCache(1024, 1 << 20);
        cache.put(5, frags(1, 5, 100));
        cache.put(5, frags(2, 5, 10)); // re-encoded in a later term
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.bytes()).isEqualTo(30);
        assertThat(cache.get(5)[0].term()).isEqualTo(2);
    }

    @Test
    void dropThroughForgetsTheHeadAndItsBytes() {
        EncodeCache cache = new EncodeCache(1024, 1 << 20);
        for (long i = 1; i <= 5; i++) {
            cache.put(i, frags(1, i, 10));
        }
        cache.dropThrough(3);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.bytes()).isEqualTo(60);
        assertThat(cache.get(3)).isNull();
        assertThat(cache.get(4)).isNotNull();
        cache.dropThrough(-10); // before the start: nothing to drop
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void rejectsBoundsBelowOne() {
        assertThatThrownBy(() -> new EncodeCache(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EncodeCache(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
