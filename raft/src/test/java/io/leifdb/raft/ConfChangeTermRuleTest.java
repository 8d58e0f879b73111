package io.leifdb.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.Message.AppendEntries;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Thesis §4.1, the 2015 fix: a leader appends a membership change only after an entry of its own
 * term committed. Without it (the planted {@link PlantedBug#CHANGE_BEFORE_TERM_COMMIT}), the history
 * Ongaro described (raft-dev, 2015) ends with two leaders committing different entries at one index;
 * the simulation catches the broken rule itself at once (membership-races), this test shows its cost.
 */
class ConfChangeTermRuleTest {
    private static final ConfState FOUR = ConfState.of(Set.of(1L, 2L, 3L, 4L));
    private static final Set<Long> ALL = Set.of(1L, 2L, 3L, 4L, 5L);

    private static Network cluster(Set<PlantedBug> bugs) {
        Network net = Network.of(FOUR, c -> c.withKnownServers(ALL).withPlantedBugs(bugs));
        net.add(5, Network.plain(5).withKnownServers(ALL).withPlantedBugs(bugs), new MemoryStorage(ConfState.of(Set.of())));
        return net;
    }

    /** Leader 1 adds voter 5, reaching only 5; then 2 wins term 2 with 3 and 4, its no-op reaching 3 only. */
    private static Network changeOnAMinorityThenANewLeader(Set<PlantedBug> bugs) {
        Network net = cluster(bugs);
        net.elect(1);
        net.dropIf(m -> m.from() == 1 && m.to() != 5);
        net.node(1).proposeConfChange(ConfState.of(ALL));
        net.stabilize();
        net.heal();
        net.isolate(1);
        net.isolate(5);
        net.dropIf(m -> m instanceof AppendEntries && m.from() == 2 && m.to() == 4);
        net.node(2).campaign();
        net.stabilize();
        assertThat(net.status(2).role()).isEqualTo(Role.LEADER);
        return net;
    }

    @Test
    void aNewLeaderRefusesAChangeBeforeAnEntryOfItsTermCommits() {
        Network net = changeOnAMinorityThenANewLeader(Set.of());
        assertThatThrownBy(() -> net.node(2).proposeConfChange(ConfState.of(Set.of(2L, 3L, 4L))))
                .isInstanceOfSatisfying(ProposalDroppedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProposalDroppedException.Reason.TERM_NOT_COMMITTED));
    }

    @Test
    void withoutTheRuleTwoLeadersCommitDifferentEntriesAtOneIndex() {
        Network net = changeOnAMinorityThenANewLeader(Set.of(PlantedBug.CHANGE_BEFORE_TERM_COMMIT));
        long index = net.node(2).proposeConfChange(ConfState.of(Set.of(2L, 3L, 4L))); // removes 1
        net.stabilize();
        assertThat(net.status(2).commit()).isEqualTo(index); // 2 and 3 are a majority of {2, 3, 4}
        Entry committed = net.log(2).get(1); // index 2: leader 2's no-op, committed with the change
        assertThat(committed.term()).isEqualTo(2);
        // Node 1 still holds {1..5}: it wins term 3 with 4 (which saw nothing of term 2) and 5.
        net.heal();
        net.isolate(2);
        net.isolate(3);
        net.tick(1, 1); // still leading term 1, it learns of term 2 from 4's answer to its heartbeat
        net.stabilize();
        net.node(1).campaign();
        net.stabilize();
        assertThat(net.status(1).role()).isEqualTo(Role.LEADER);
        // Two leaders committed different entries at index 2: state-machine safety is gone (§5.4.3).
        assertThat(net.status(1).commit()).isGreaterThanOrEqualTo(2);
        assertThat(net.log(1).get(1).term()).isEqualTo(1);
        assertThat(net.applied.get(1L)).anyMatch(e -> e.index() == 2 && e.term() == 1);
        assertThat(net.applied.get(2L)).anyMatch(e -> e.index() == 2 && e.term() == 2);
    }
}
