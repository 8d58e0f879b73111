package io.leifdb.server.node;

import io.leifdb.server.transport.ShareSource.Held;
import java.util.BitSet;
import java.util.List;

/**
 * CRaft repair: whether the voters' shares of one value give it the redundancy the code promises.
 * With N voters, a value is at full redundancy when every voter holds it whole or holds a fragment
 * of one codeword of an (k, m) code with k + m = N, and no two fragments share an id: then any
 * N - F voters hold a whole copy or N - F >= k distinct fragments, so losing F members loses no
 * value. Fewer distinct shares (a snapshot copy that kept the leader's fragment), fragments of two
 * codewords, or a codeword of another N (a membership change) are below it. A value held whole by
 * several voters (written while the leader sent full copies) is full but over-replicated: one
 * whole copy is expected (the leader's own writes), more only cost space. Pure; the scrub asks.
 */
final class Redundancy {
    /** What one value's shares say. */
    enum Verdict {
        /** Every voter holds a whole copy or its own distinct fragment of one codeword for these voters. */
        FULL,
        /** Full, and two or more voters hold it whole: more bytes than the code needs (written in full mode). */
        OVER,
        /** Some voter holds a duplicate, a foreign codeword, a code for another N, or nothing usable. */
        BELOW,
        /** Some voter holds another revision or did not report the key: a write is in flight; ask again later. */
        UNSETTLED
    }

    private Redundancy() {
    }

    /**
     * @param revision the key's revision on the leader
     * @param held     what each voter stores of the key, the leader included; null where a voter did not report it
     */
    static Verdict of(long revision, List<Held> held) {
        int voters = held.size();
        Held codeword = null;
        BitSet ids = new BitSet();
        for (Held h : held) {
            if (h == null || h.revision() != revision) return Verdict.UNSETTLED;
        }
        int whole = 0;
        for (Held h : held) {
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
            if (ids.get(h.fragmentId())) return Verdict.BELOW;
            ids.set(h.fragmentId());
        }
        return whole > 1 ? Verdict.OVER : Verdict.FULL;
    }
}
