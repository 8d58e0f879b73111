package io.leifdb.raft.craft;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What a follower stores in place of a coded entry (CRaft): shard {@code id} of a (k, m) code
 * over the entry's coded part, plus the entry's clear part in full. The clear part is what the
 * state machine must read without decoding (a key and its metadata); the coded part is the value.
 * It travels as the data of an entry of type {@code FRAGMENT}, in the layout of {@link #toBytes()}.
 *
 * @param codedLength length of the coded part before it was cut into shards
 */
public record Fragment(int k, int m, int id, byte[] clear, int codedLength, byte[] shard) {
    private static final byte VERSION = 1;
    private static final int HEADER = 1 + 4 * 5;

    public Fragment {
        if (k < 1 || m < 0 || id < 0 || id >= k + m || codedLength < 0) {
            throw new IllegalArgumentException("fragment " + id + " of (k=" + k + ", m=" + m + "), coded length "
                    + codedLength);
        }
    }

    /** version, k, m, id, clear length, clear bytes, coded length, shard bytes. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(HEADER + clear.length + shard.length);
        b.put(VERSION).putInt(k).putInt(m).putInt(id).putInt(clear.length).put(clear).putInt(codedLength).put(shard);
        return b.array();
    }

    /** @throws IllegalArgumentException when {@code data} is not a fragment in our layout */
    public static Fragment fromBytes(byte[] data) {
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            if (b.get() != VERSION) {
                throw new IllegalArgumentException("unknown fragment layout version " + data[0]);
            }
            int k = b.getInt();
            int m = b.getInt();
            int id = b.getInt();
            byte[] clear = new byte[b.getInt()];
            b.get(clear);
            int codedLength = b.getInt();
            byte[] shard = new byte[b.remaining()];
            b.get(shard);
            return new Fragment(k, m, id, clear, codedLength, shard);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("truncated fragment of " + data.length + " bytes", e);
        }
    }

    /** Same code, same clear part, same coded length: shards that may be decoded together. */
    public boolean sameCodeword(Fragment o) {
        return k == o.k && m == o.m && codedLength == o.codedLength && Arrays.equals(clear, o.clear);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fragment f && f.id == id && sameCodeword(f) && Arrays.equals(f.shard, shard);
    }

    @Override
    public int hashCode() {
        return (k * 31 + m) * 31 + id;
    }

    @Override
    public String toString() {
        return "Fragment{" + id + " of (" + k + "," + m + "), clear " + clear.length + "B, coded " + codedLength + "B}";
    }
}
