package io.leifdb.raft;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** Cluster membership: voters count toward quorums and elections, learners only replicate. */
public record ConfState(SortedSet<Long> voters, SortedSet<Long> learners) {
    public ConfState {
        voters = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        learners = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(learners));
    }

    public static ConfState of(Set<Long> voters) {
        return new ConfState(new TreeSet<>(voters), new TreeSet<>());
    }

    public static ConfState of(Set<Long> voters, Set<Long> learners) {
        return new ConfState(new TreeSet<>(voters), new TreeSet<>(learners));
    }
}
