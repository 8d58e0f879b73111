package io.leifdb.raft;

import java.util.List;

/**
 * The erasure code a CRaft policy applies to one membership (see {@link ReplicationPolicy#coding}):
 * N voters, F = floor((N-1)/2) tolerated failures, a (k, m) code with k + m = N. The voter at
 * position i of the sorted voter ids stores fragment i.
 */
public interface ErasureCoding {
    int k();

    int m();

    /** F: the failures the cluster tolerates. */
    int tolerated();

    /** The fragment {@code voter} stores, or -1 for a non-voter (which receives full copies). */
    int fragmentId(long voter);

    /** Whether a leader that hears from {@code liveVoters} voters (itself included) replicates coded: at least F + k. */
    boolean codedMode(int liveVoters);

    /** All k + m fragment entries of {@code entry}, indexed by fragment id; null when it is replicated in full. */
    Entry[] encode(Entry entry);

    /**
     * The full entry at {@code own}'s index and term, rebuilt from {@code own} and the entries
     * other voters hold there (those of another term are ignored); null when fewer than k
     * matching fragments and no full copy are at hand.
     */
    Entry rebuild(Entry own, List<Entry> held);

    /**
     * Follower: how voter {@code self} holds {@code entries} (contiguous, matching the leader), as
     * runs of full copies and of its own fragment, stopping at an entry it cannot vouch for.
     */
    List<FragmentAck> describe(long self, List<Entry> entries);
}
