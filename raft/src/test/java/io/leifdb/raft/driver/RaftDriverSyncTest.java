package io.leifdb.raft.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.HardState;
import org.junit.jupiter.api.Test;

class RaftDriverSyncTest {
    private static final HardState WRITTEN = new HardState(3, 7, 100);

    @Test
    void aNewTermOrVoteMustBeSyncedBeforeAnyMessageLeaves() {
        assertThat(RaftDriver.termOrVoteChanged(new HardState(4, 7, 100), WRITTEN)).isTrue();
        assertThat(RaftDriver.termOrVoteChanged(new HardState(4, 0, 100), WRITTEN)).isTrue();
        assertThat(RaftDriver.termOrVoteChanged(new HardState(3, 9, 100), WRITTEN)).isTrue();
    }

    @Test
    void aMovedCommitIndexAloneNeedsNoSync() {
        assertThat(RaftDriver.termOrVoteChanged(new HardState(3, 7, 180), WRITTEN)).isFalse();
    }
}
