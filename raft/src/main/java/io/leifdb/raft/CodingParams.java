package io.leifdb.raft;

import java.nio.ByteBuffer;

/**
 * CRaft's coding parameters as cluster state: decided once from the bootstrap leader's variables,
 * then changed only through the log (a CONFIG entry whose {@link ConfState#coding()} differs), so
 * every member acts on the same values at the same index whatever its own variables say. They only
 * steer which code the leader picks for new entries: every fragment names its own (k, m), so entries
 * coded under older parameters stay decodable after a change.
 *
 * @param on            whether the leader codes at all (off: full copies, as plain Raft)
 * @param k             the largest k the leader may pick; 0 means N - F (the largest a majority decodes)
 * @param minCodedBytes entries whose coded part is shorter stay whole
 */
public record CodingParams(boolean on, int k, int minCodedBytes) {
    /** Length of {@link #toBytes()}. */
    public static final int BYTES = 10;
    private static final byte VERSION = 1;

    public CodingParams {
        if (k < 0 || minCodedBytes < 0) {
            throw new IllegalArgumentException("coding k=" + k + ", minCodedBytes=" + minCodedBytes + ": must not be negative");
        }
    }

    /** The largest k with N voters: 1 (full copies) when off; never above N - F. */
    public int maxK(int n) {
        int f = (n - 1) / 2;
        if (!on || n < 1) {
            return 1;
        }
        return k == 0 ? n - f : Math.min(k, n - f);
    }

    /** version, on, k, minimum coded bytes. */
    public byte[] toBytes() {
        return ByteBuffer.allocate(BYTES).put(VERSION).put((byte) (on ? 1 : 0)).putInt(k).putInt(minCodedBytes).array();
    }

    /** Reads {@link #BYTES} bytes at {@code b}'s position. @throws IllegalArgumentException on another layout */
    public static CodingParams read(ByteBuffer b) {
        if (b.remaining() < BYTES || b.get() != VERSION) {
            throw new IllegalArgumentException("not coding parameters in a known layout");
        }
        boolean on = b.get() != 0;
        return new CodingParams(on, b.getInt(), b.getInt());
    }
}
