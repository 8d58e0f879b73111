package io.leifdb.raft;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Cluster membership: voters count toward quorums and elections, learners only replicate.
 * {@code coding} is CRaft's cluster state, carried with the membership so that the log, snapshots
 * and every encoding of a membership hold it; null until a leader recorded it (and under plain Raft).
 */
public record ConfState(SortedSet<Long> voters, SortedSet<Long> learners, CodingParams coding) {
    public ConfState {
        voters = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        learners = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(learners));
    }

    public ConfState(SortedSet<Long> voters, SortedSet<Long> learners) {
        this(voters, learners, null);
    }

    public static ConfState of(Set<Long> voters) {
        return new ConfState(new TreeSet<>(voters), new TreeSet<>());
    }

    public static ConfState of(Set<Long> voters, Set<Long> learners) {
        return new ConfState(new TreeSet<>(voters), new TreeSet<>(learners));
    }

    /** The same members with other coding parameters. */
    public ConfState withCoding(CodingParams c) {
        return new ConfState(voters, learners, c);
    }
}
