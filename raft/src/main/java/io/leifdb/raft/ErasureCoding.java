package io.leifdb.raft;

import java.util.List;

/**
 * The erasure codes a CRaft policy applies to one membership (see {@link ReplicationPolicy#coding}):
 * N voters, F = floor((N-1)/2) tolerated failures, (k, m) codes with k + m = N and k at most the
 * cluster's {@link #k()}. The voter at position i of the sorted voter ids stores fragment i. Every
 * fragment names its own (k, m), so entries coded with another k than today's still decode.
 */
public interface ErasureCoding {
    /** The cluster's k: the largest the leader may pick; 1 means full copies only. */
    int k();

    /** N - {@link #k()}. */
    int m();

    /** F: the failures the cluster tolerates. */
    int tolerated();

    /** The fragment {@code voter} stores, or -1 for a non-voter (which receives full copies). */
    int fragmentId(long voter);

    /**
     * FlexRaft: the k for new entries when {@code keepingUp} voters (the leader included) hold its log
     * closely enough, the largest with F + k at most that, capped at {@link #k()}; 1 or less means full copies.
     */
    int dataShardsFor(int keepingUp);

    /** {@link #encode(Entry, int)} with the cluster's k. */
    default Entry[] encode(Entry entry) {
        return encode(entry, k());
    }

    /** All N fragment entries of {@code entry} under a (k, N - k) code, by fragment id; null when it stays whole. */
    Entry[] encode(Entry entry, int k);

    /**
     * The full entry at {@code own}'s index and term, rebuilt from {@code own} and the entries
     * other voters hold there (those of another term are ignored), whatever (k, m) they were coded
     * with; null when no full copy and fewer than k matching fragments of one code are at hand.
     */
    Entry rebuild(Entry own, List<Entry> held);

    /**
     * Follower: how voter {@code self} holds {@code entries} (contiguous, matching the leader), as
     * runs of full copies and of its own fragment of each entry's code, stopping at an entry it
     * cannot vouch for.
     */
    List<FragmentAck> describe(long self, List<Entry> entries);
}
