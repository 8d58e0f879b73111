package io.leifdb.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Message.RequestVote;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Learners (thesis §4.2.1): they replicate, but never vote, campaign or count toward a quorum. */
class LearnerTest {
    private static final ConfState CONF = ConfState.of(Set.of(1L, 2L), Set.of(3L));

    @Test
    void learnerReceivesTheLogButDoesNotCountTowardCommit() {
        Network net = Network.of(CONF, c -> c);
        net.elect(1);
        long before = net.status(1).commit();
        net.isolate(2);
        long index = net.node(1).propose("x".getBytes());
        net.stabilize();
        assertThat(net.log(3)).extracting(Entry::index).contains(index);
        assertThat(net.status(1).commit()).isEqualTo(before);
        net.heal();
        net.tickAll(2);
        assertThat(net.status(1).commit()).isEqualTo(index);
        assertThat(net.applied.get(3L)).extracting(Entry::index).contains(index);
        assertThat(net.status(1).peers().get(3L).learner()).isTrue();
    }

    @Test
    void learnerNeverCampaigns() {
        Network net = Network.of(CONF, c -> c);
        assertThat(net.status(3).role()).isEqualTo(Role.LEARNER);
        net.tickAll(100);
        assertThat(net.sentOfType(RequestVote.class)).noneMatch(v -> v.from() == 3);
        net.node(3).campaign();
        net.stabilize();
        assertThat(net.status(3).role()).isEqualTo(Role.LEARNER);
    }

    @Test
    void candidateIsNotElectedByALearnersVote() {
        Network net = Network.of(CONF, c -> c);
        net.isolate(2);
        net.node(1).campaign();
        net.stabilize();
        assertThat(net.status(1).role()).isEqualTo(Role.CANDIDATE);
    }
}
