package io.leifdb.raft.craft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReedSolomonCoderTest {
    private static final int[] SIZES = {0, 1, 2, 3, 5, 7, 64, 100, 1000, 4097};

    /** The CRaft default for N servers: F = floor((N-1)/2), k = N - F, m = N - k. */
    private static ReedSolomonCoder defaultFor(int n) {
        int f = (n - 1) / 2;
        return new ReedSolomonCoder(n - f, f);
    }

    @Test
    void everyErasurePatternOfAtMostMShardsDecodesForClustersOf3To7() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int n = 3; n <= 7; n++) {
            ReedSolomonCoder coder = defaultFor(n);
            for (int size : SIZES) {
                byte[] data = random(rnd, size);
                byte[][] shards = coder.encode(data);
                assertThat(shards.length).isEqualTo(n);
                for (byte[] s : shards) assertThat(s).hasSize(coder.shardSize(size));
                for (int mask = 0; mask < (1 << n); mask++) {
                    byte[][] kept = new byte[n][];
                    for (int i = 0; i < n; i++) if ((mask & (1 << i)) != 0) kept[i] = shards[i].clone();
                    int present = Integer.bitCount(mask);
                    if (present >= coder.dataShards()) {
                        assertThat(coder.decode(kept, size)).as("n=%d size=%d mask=%s", n, size,
                                Integer.toBinaryString(mask)).isEqualTo(data);
                    } else {
                        assertThatThrownBy(() -> coder.decode(kept, size))
                                .isInstanceOf(IllegalArgumentException.class);
                    }
                }
            }
        }
    }

    @Test
    void randomSizesAndNonDefaultKRoundTrip() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 300; round++) {
            int n = 1 + rnd.nextInt(9);
            int k = 1 + rnd.nextInt(n);
            ReedSolomonCoder coder = new ReedSolomonCoder(k, n - k);
            int size = rnd.nextInt(3) == 0 ? rnd.nextInt(4) : rnd.nextInt(2000);
            byte[] data = random(rnd, size);
            byte[][] shards = coder.encode(data);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) order.add(i);
            for (int i = n - 1; i > 0; i--) java.util.Collections.swap(order, i, rnd.nextInt(i + 1));
            byte[][] kept = new byte[n][];
            for (int i = 0; i < k; i++) kept[order.get(i)] = shards[order.get(i)];
            assertThat(coder.decode(kept, size)).as("k=%d n=%d size=%d", k, n, size).isEqualTo(data);
        }
    }

    @Test
    void corruptShardSizeIsRejected() {
        ReedSolomonCoder coder = defaultFor(5);
        byte[][] shards = coder.encode(new byte[10]);
        shards[0] = new byte[3];
        assertThatThrownBy(() -> coder.decode(shards, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReedSolomonCoder(0, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fragmentsKeepTheClearPartAndRebuildFromAnyK() {
        FragmentCodec codec = new FragmentCodec(defaultFor(5));
        byte[] data = "key=k1;value=a longer value that is coded".getBytes();
        Fragment[] frags = codec.encode(data, 7);
        for (Fragment f : frags) {
            assertThat(new String(f.clear())).isEqualTo("key=k1;");
            assertThat(Fragment.fromBytes(f.toBytes())).isEqualTo(f);
        }
        assertThat(codec.decode(List.of(frags[4], frags[1], frags[2]))).isEqualTo(data);
        assertThat(codec.decode(List.of(frags[4], frags[1]))).isNull();
        assertThat(codec.decode(List.of(frags[1], frags[1], frags[1]))).as("a duplicate counts once").isNull();
        Fragment other = codec.encode("key=k1;value=another value".getBytes(), 7)[0];
        assertThat(codec.decode(List.of(frags[4], other, frags[2]))).as("other codewords never mix").isNull();
        assertThatThrownBy(() -> Fragment.fromBytes(new byte[] {1, 0, 0})).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] random(SplittableRandom rnd, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) rnd.nextInt(256);
        return b;
    }
}
