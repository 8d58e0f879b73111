package io.leifdb.raft.craft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.hadoop.io.erasurecode.ErasureCoderOptions;
import org.apache.hadoop.io.erasurecode.rawcoder.RSRawDecoder;
import org.apache.hadoop.io.erasurecode.rawcoder.RSRawEncoder;

/**
 * Reed-Solomon over GF(2^8) with Hadoop's pure-Java raw coder (no native library). With m = 0
 * the code is a plain split, which Hadoop does not accept. Hadoop's decoder caches the last
 * erasure pattern, so calls are serialised.
 */
public final class ReedSolomonCoder implements ErasureCoder {
    private final int k;
    private final int m;
    private final RSRawEncoder encoder;
    private final RSRawDecoder decoder;

    public ReedSolomonCoder(int k, int m) {
        if (k < 1 || m < 0 || k + m > 255) {
            throw new IllegalArgumentException("Reed-Solomon (k=" + k + ", m=" + m + "): need k >= 1, m >= 0, k + m <= 255");
        }
        this.k = k;
        this.m = m;
        ErasureCoderOptions options = new ErasureCoderOptions(k, Math.max(m, 1));
        this.encoder = m == 0 ? null : new RSRawEncoder(options);
        this.decoder = m == 0 ? null : new RSRawDecoder(options);
    }

    @Override
    public int dataShards() {
        return k;
    }

    @Override
    public int parityShards() {
        return m;
    }

    @Override
    public synchronized byte[][] encode(byte[] data) {
        int size = shardSize(data.length);
        byte[][] shards = new byte[k + m][];
        for (int i = 0; i < k; i++) {
            int from = Math.min(i * size, data.length);
            int to = Math.min(from + size, data.length);
            shards[i] = Arrays.copyOf(Arrays.copyOfRange(data, from, to), size); // zero-padded
        }
        for (int i = k; i < k + m; i++) {
            shards[i] = new byte[size];
        }
        if (m > 0 && size > 0) {
            try {
                encoder.encode(Arrays.copyOf(shards, k), Arrays.copyOfRange(shards, k, k + m));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shards;
    }

    @Override
    public synchronized byte[] decode(byte[][] shards, int length) {
        if (shards.length != k + m) {
            throw new IllegalArgumentException("expected " + (k + m) + " shard slots, got " + shards.length);
        }
        int size = shardSize(length);
        int present = 0;
        for (byte[] s : shards) {
            if (s != null) {
                if (s.length != size) {
                    throw new IllegalArgumentException("shard of " + s.length + " bytes, expected " + size);
                }
                present++;
            }
        }
        if (present < k) {
            throw new IllegalArgumentException("only " + present + " of the " + k + " shards needed");
        }
        byte[][] data = Arrays.copyOf(shards, k);
        int[] erased = java.util.stream.IntStream.range(0, k).filter(i -> shards[i] == null).toArray();
        if (erased.length > 0 && size > 0) {
            byte[][] inputs = new byte[k + m][];
            int used = 0;
            // Hadoop reads the first k inputs it is given; hand it exactly k.
            for (int i = 0; i < k + m && used < k; i++) {
                if (shards[i] != null) {
                    inputs[i] = shards[i];
                    used++;
                }
            }
            byte[][] outputs = new byte[erased.length][size];
            try {
                decoder.decode(inputs, erased, outputs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (int j = 0; j < erased.length; j++) {
                data[erased[j]] = outputs[j];
            }
        }
        byte[] out = new byte[length];
        for (int i = 0; i < k && i * size < length; i++) {
            int n = Math.min(size, length - i * size);
            System.arraycopy(data[i] == null ? new byte[size] : data[i], 0, out, i * size, n);
        }
        return out;
    }
}
