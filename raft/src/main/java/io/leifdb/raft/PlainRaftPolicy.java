package io.leifdb.raft;

import java.util.Arrays;
import java.util.Collection;

/**
 * Plain Raft: every peer gets the full entry, and an index commits once a majority of voters hold
 * it and it belongs to the current term (§5.3, §5.4.2, Figure 8).
 */
public final class PlainRaftPolicy implements ReplicationPolicy {
    public static final PlainRaftPolicy INSTANCE = new PlainRaftPolicy();

    private PlainRaftPolicy() {
    }

    @Override
    public Entry payloadFor(long peer, Entry entry) {
        return entry;
    }

    @Override
    public long commitIndex(CommitView view) {
        long candidate = quorumIndex(view.voterMatch().values());
        // §5.4.2: counting replicas commits only entries of the leader's own term (Figure 8).
        if (candidate > view.commit() && view.termAt().applyAsLong(candidate) == view.term()) {
            return candidate;
        }
        return view.commit();
    }

    /**
     * The largest index held by a majority (n/2+1 of n, for odd and even n alike), or 0 without
     * voters. Public so that other policies reuse the same quorum arithmetic.
     */
    public static long quorumIndex(Collection<Long> matches) {
        if (matches.isEmpty()) {
            return 0;
        }
        long[] sorted = matches.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        int quorum = sorted.length / 2 + 1;
        // Ascending order: the quorum-th largest value is held by at least `quorum` voters.
        return sorted[sorted.length - quorum];
    }
}
