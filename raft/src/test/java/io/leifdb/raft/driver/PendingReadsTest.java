package io.leifdb.raft.driver;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PendingReadsTest {
    @Test
    void readIndexContextsOfDifferentNodesNeverCollide() {
        // The leader keys ReadIndex rounds by context from all members: each node's must be its own.
        Set<Long> seen = new HashSet<>();
        for (int node = 0; node < 3; node++) {
            PendingReads reads = new PendingReads(PendingReads.randomFirstContext());
            for (int i = 0; i < 1000; i++) {
                long ctx = reads.register(List.of(new CompletableFuture<>()));
                assertThat(ctx).isNotZero();
                assertThat(seen.add(ctx)).as("context %d of node %d is fresh", ctx, node).isTrue();
            }
        }
    }

    @Test
    void aRoundCompletesOnceItsIndexIsApplied() {
        PendingReads reads = new PendingReads(5);
        CompletableFuture<Long> read = new CompletableFuture<>();
        long ctx = reads.register(List.of(read));
        assertThat(ctx).isEqualTo(5);
        reads.readIndexAnswered(ctx, 10, 9);
        assertThat(read).isNotDone();
        reads.appliedUpTo(10);
        assertThat(read).isCompletedWithValue(10L);
        assertThatThrownBy(() -> new PendingReads(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
