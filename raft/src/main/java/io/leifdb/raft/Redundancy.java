package io.leifdb.raft;

import java.util.BitSet;
import java.util.List;
import java.util.Set;

/**
 * CRaft repair: whether the voters' shares of one value give it the redundancy the code promises,
 * and what a leader's scrub does about it. With N voters, a value is at full redundancy when every
 * voter holds it whole or holds a fragment of one codeword of a (k, m) code with k + m = N, and no
 * two fragments share an id: then any N - F voters hold a whole copy or N - F >= k distinct
 * fragments, so losing F members loses no value. Fewer distinct shares (a snapshot copy that kept
 * the leader's fragment, {@link FollowerShare}), fragments of two codewords, or a codeword of another
 * N (a membership change) are below it. A value held whole by several voters (written while the
 * leader sent full copies) is full but over-replicated. Pure: the server's scrub and the
 * simulation's ask it with what each voter reports.
 */
public final class Redundancy {
    /** What one voter stores of a value: its revision, and a fragment of the entry (index, term) or the whole value. */
    public interface Share {
        long revision();

        long index();

        long term();

        /** The fragment's id; negative for a whole value. */
        int fragmentId();

        int k();

        int m();

        boolean whole();
    }

    /** What one value's shares say. */
    public enum Verdict {
        /** Every voter holds a whole copy or its own distinct fragment of one codeword for these voters. */
        FULL,
        /** Full, and two or more voters hold it whole: more bytes than the code needs (written in full mode). */
        OVER,
        /** Some voter holds a duplicate, a foreign codeword, a code for another N, or nothing usable. */
        BELOW,
        /** Some voter holds another revision or did not report the key: a write is in flight; ask again later. */
        UNSETTLED
    }

    /** What the scrub does with one value. */
    public enum Repair {
        /** Leave it. */
        NONE,
        /** Below full redundancy: count it and re-encode it through the log. */
        RAISE,
        /** Full, but re-encoded to save space (coding on) or to store it whole everywhere (coding off). */
        RECODE
    }

    private Redundancy() {
    }

    /** {@link #of(long, List, Set)} without planted bugs: what a node uses. */
    public static Verdict of(long revision, List<? extends Share> held) {
        return of(revision, held, Set.of());
    }

    /**
     * @param revision the key's revision on the leader
     * @param held     what each voter stores of the key, the leader included; null where a voter did not report it
     * @param planted  test only: {@link PlantedBug#SNAPSHOT_FALLBACK_WITHOUT_REPAIR} takes a duplicated id for full
     */
    public static Verdict of(long revision, List<? extends Share> held, Set<PlantedBug> planted) {
        int voters = held.size();
        Share codeword = null;
        BitSet ids = new BitSet();
        for (Share h : held) {
            if (h == null || h.revision() != revision) return Verdict.UNSETTLED;
        }
        int whole = 0;
        for (Share h : held) {
            if (h.whole()) {
                whole++;
                continue;
            }
            if (h.fragmentId() < 0 || h.k() < 1 || h.k() + h.m() != voters || h.fragmentId() >= voters
                    || h.k() > voters - (voters - 1) / 2) { // a code that F losses could break
                return Verdict.BELOW;
            }
            if (codeword == null) {
                codeword = h;
            } else if (h.index() != codeword.index() || h.term() != codeword.term() || h.k() != codeword.k()) {
                return Verdict.BELOW;
            }
            if (ids.get(h.fragmentId()) && !planted.contains(PlantedBug.SNAPSHOT_FALLBACK_WITHOUT_REPAIR)) {
                return Verdict.BELOW;
            }
            ids.set(h.fragmentId());
        }
        return whole > 1 ? Verdict.OVER : Verdict.FULL;
    }

    /** Whether some voter holds the value as a fragment. */
    public static boolean anyFragment(List<? extends Share> held) {
        for (Share h : held) {
            if (h != null && !h.whole()) return true;
        }
        return false;
    }

    /**
     * The scrub's choice for one value (docs/craft.md, "Repair"): below full redundancy is always raised;
     * over-replicated is re-encoded only when the leader codes now and the value is coded-size (else the recode
     * travels whole again); with coding off, a value some voter still holds as a fragment is re-encoded whole.
     *
     * @param codingOn      whether the cluster's coding is on
     * @param anyFragment   {@link #anyFragment} of the voters' shares
     * @param valueBytes    the value's length
     * @param minCodedBytes the cluster's threshold for coding a value
     */
    public static Repair repair(Verdict verdict, boolean codingOn, boolean anyFragment, long valueBytes,
                                long minCodedBytes) {
        return switch (verdict) {
            case BELOW -> Repair.RAISE;
            case OVER -> (codingOn ? valueBytes >= minCodedBytes : anyFragment) ? Repair.RECODE : Repair.NONE;
            case FULL -> !codingOn && anyFragment ? Repair.RECODE : Repair.NONE;
            case UNSETTLED -> Repair.NONE;
        };
    }
}
