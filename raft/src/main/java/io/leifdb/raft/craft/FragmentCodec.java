package io.leifdb.raft.craft;

import java.util.Arrays;
import java.util.List;

/**
 * Cuts an entry's data into the k + m {@link Fragment}s that servers 0..k+m-1 store, and rebuilds
 * it from any k of them. {@code clearLength} bytes at the front stay readable in every fragment.
 */
public final class FragmentCodec {
    private final ErasureCoder coder;

    public FragmentCodec(ErasureCoder coder) {
        this.coder = coder;
    }

    public int k() {
        return coder.dataShards();
    }

    public int m() {
        return coder.parityShards();
    }

    /** All k + m fragments of {@code data}, whose first {@code clearLength} bytes stay in clear. */
    public Fragment[] encode(byte[] data, int clearLength) {
        if (clearLength < 0 || clearLength > data.length) {
            throw new IllegalArgumentException("clear length " + clearLength + " outside [0, " + data.length + "]");
        }
        byte[] clear = Arrays.copyOf(data, clearLength);
        byte[] coded = Arrays.copyOfRange(data, clearLength, data.length);
        byte[][] shards = coder.encode(coded);
        Fragment[] out = new Fragment[shards.length];
        for (int i = 0; i < shards.length; i++) {
            out[i] = new Fragment(k(), m(), i, clear, coded.length, shards[i]);
        }
        return out;
    }

    /**
     * The data the fragments came from, or null when they hold fewer than k distinct shards of
     * one codeword of this code (fragments of other codewords or codes are ignored).
     */
    public byte[] decode(List<Fragment> fragments) {
        Fragment first = null;
        byte[][] shards = new byte[k() + m()][];
        int distinct = 0;
        for (Fragment f : fragments) {
            if (f.k() != k() || f.m() != m() || (first != null && !first.sameCodeword(f))) {
                continue;
            }
            if (first == null) {
                first = f;
            }
            if (shards[f.id()] == null && f.shard().length == coder.shardSize(f.codedLength())) {
                shards[f.id()] = f.shard();
                distinct++;
            }
        }
        if (first == null || distinct < k()) {
            return null;
        }
        byte[] coded = coder.decode(shards, first.codedLength());
        byte[] out = Arrays.copyOf(first.clear(), first.clear().length + coded.length);
        System.arraycopy(coded, 0, out, first.clear().length, coded.length);
        return out;
    }
}
