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
 * @param storedK       a bound, over every entry and value the voters may still hold coded, of its k plus the
 *                      voters in force that may hold no distinct share of it ({@link CodedVoterChange}); N - F
 *                      while the cluster codes, raised by voter changes, lowered only by an explicit proposal
 *                      (the server's repair scrub, to 1 once every voter holds every value whole); 1: nothing
 *                      is coded; 0: not known (layout 1, or a proposal that keeps the value in force)
 */
public record CodingParams(boolean on, int k, int minCodedBytes, int storedK) {
    /** Length of {@link #toBytes()}. */
    public static final int BYTES = 14;
    /** Length of layout 1, written before {@link #storedK} existed. */
    public static final int BYTES_V1 = 10;
    private static final byte VERSION = 2;

    public CodingParams {
        if (k < 0 || minCodedBytes < 0 || storedK < 0) {
            throw new IllegalArgumentException("coding k=" + k + ", minCodedBytes=" + minCodedBytes + ", storedK="
                    + storedK + ": must not be negative");
        }
    }

    /** Parameters that leave {@link #storedK} as the cluster has it (a proposal keeps it, or the core derives it). */
    public CodingParams(boolean on, int k, int minCodedBytes) {
        this(on, k, minCodedBytes, 0);
    }

    /** The same parameters with another {@link #storedK}. */
    public CodingParams withStoredK(int stored) {
        return new CodingParams(on, k, minCodedBytes, stored);
    }

    /** The largest k with N voters: 1 (full copies) when off; never above N - F. */
    public int maxK(int n) {
        int f = (n - 1) / 2;
        if (!on || n < 1) {
            return 1;
        }
        return k == 0 ? n - f : Math.min(k, n - f);
    }

    /** {@link #storedK} for n voters: as recorded, or N - F when not known (layout 1). */
    public int storedKFor(int n) {
        return storedK > 0 ? storedK : Math.max(1, n - (n - 1) / 2);
    }

    /** version 2, on, k, minimum coded bytes, storedK. */
    public byte[] toBytes() {
        return ByteBuffer.allocate(BYTES).put(VERSION).put((byte) (on ? 1 : 0)).putInt(k).putInt(minCodedBytes)
                .putInt(storedK).array();
    }

    /**
     * Reads layout 2 ({@link #BYTES}) or layout 1 ({@link #BYTES_V1}, storedK unknown: 0) at {@code b}'s position.
     * @throws IllegalArgumentException on another layout
     */
    public static CodingParams read(ByteBuffer b) {
        int version = b.remaining() >= BYTES_V1 ? b.get() : -1;
        if ((version != 1 && version != VERSION) || b.remaining() < (version == 1 ? BYTES_V1 : BYTES) - 1) {
            throw new IllegalArgumentException("not coding parameters in a known layout");
        }
        boolean on = b.get() != 0;
        int k = b.getInt();
        int min = b.getInt();
        return new CodingParams(on, k, min, version == 1 ? 0 : b.getInt());
    }
}
