package io.leifdb.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: a leader promotes a caught-up learner to voter on its own ({@link AutoPromotion}), as an
 * ordinary single-server change (thesis §4.1), and never when the option is off.
 */
class AutoPromotionTest {
    private static final ConfState THREE = ConfState.of(Set.of(1L, 2L, 3L));
    private static final ConfState WITH_LEARNER = ConfState.of(Set.of(1L, 2L, 3L), Set.of(4L));
    private static final ConfState FOUR = ConfState.of(Set.of(1L, 2L, 3L, 4L));

    /** Three voters on {@code rule} and an empty joiner 4 that knows them. */
    private static Network withJoiner(AutoPromotion rule) {
        return withJoiner(c -> c.withAutoPromotion(rule));
    }

    private static Network withJoiner(UnaryOperator<RaftConfig> rule) {
        UnaryOperator<RaftConfig> tweak = c -> rule.apply(c).withKnownServers(Set.of(1L, 2L, 3L, 4L));
        Network net = Network.of(THREE, tweak);
        net.add(4, tweak.apply(Network.plain(4)), new MemoryStorage(ConfState.of(Set.of())));
        return net;
    }

    private static void addLearner(Network net) {
        net.elect(1);
        net.node(1).proposeConfChange(WITH_LEARNER);
        net.stabilize();
        assertThat(net.node(1).confState()).isEqualTo(WITH_LEARNER);
    }

    @Test
    void aCaughtUpLearnerBecomesAVoterWithinATick() {
        Network net = withJoiner(AutoPromotion.within(0));
        addLearner(net);
        net.tickAll(1);
        for (long id = 1; id <= 4; id++) {
            assertThat(net.node(id).confState()).as("n%d", id).isEqualTo(FOUR);
        }
        assertThat(net.status(4).role()).isEqualTo(Role.FOLLOWER);
        // The promotion is a committed CONFIG entry of the leader's term, like a change by hand.
        Entry last = net.log(1).getLast();
        assertThat(last.type()).isEqualTo(EntryType.CONFIG);
        assertThat(ConfStateCodec.decode(last.data())).isEqualTo(FOUR);
        assertThat(net.status(1).commit()).isEqualTo(last.index());
    }

    @Test
    void offMeansTheLearnerStaysALearner() {
        Network net = withJoiner(AutoPromotion.OFF);
        addLearner(net);
        net.tickAll(30);
        assertThat(net.node(1).confState()).isEqualTo(WITH_LEARNER);
        assertThat(net.status(4).role()).isEqualTo(Role.LEARNER);
    }

    @Test
    void aLearnerFurtherBehindThanTheBoundWaits() {
        Network net = withJoiner(AutoPromotion.within(2));
        addLearner(net);
        net.isolate(4);
        for (int i = 0; i < 5; i++) {
            net.node(1).propose(("x" + i).getBytes());
        }
        net.stabilize();
        net.tickAll(3);
        assertThat(net.node(1).confState()).isEqualTo(WITH_LEARNER);
        net.heal();
        net.tickAll(3);
        assertThat(net.node(1).confState()).isEqualTo(FOUR);
    }

    @Test
    void aLearnerNotHeardFromForAnElectionTimeoutWaits() {
        Network net = withJoiner(AutoPromotion.within(100));
        net.elect(1);
        net.isolate(2);
        net.isolate(3); // the learner's addition stays uncommitted meanwhile
        net.node(1).proposeConfChange(WITH_LEARNER);
        net.stabilize();
        net.isolate(4); // caught up, then silent for over an election timeout
        net.tick(1, 12);
        net.heal();
        net.isolate(4);
        net.tick(1, 3);
        net.stabilize();
        assertThat(net.status(1).commit()).isEqualTo(net.status(1).lastIndex());
        assertThat(net.node(1).confState()).isEqualTo(WITH_LEARNER);
        net.heal();
        net.tickAll(3);
        assertThat(net.node(1).confState()).isEqualTo(FOUR);
    }

    @Test
    void neverDuringALeadershipTransfer() {
        Network net = withJoiner(AutoPromotion.within(0));
        addLearner(net);
        net.isolate(2); // the transfer to 2 stays in progress
        net.node(1).transferLeadership(2);
        net.tickAll(1);
        assertThat(net.node(1).confState()).isEqualTo(WITH_LEARNER);
    }

    @Test
    void notBeforeTheLeaderCommittedAnEntryOfItsTerm() {
        // Node 1 leaves the learner be; node 2 would promote it.
        Network net = withJoiner(c -> c.withAutoPromotion(c.id() == 1 ? AutoPromotion.OFF : AutoPromotion.within(0)));
        addLearner(net);
        // Node 2 wins, but its no-op reaches only the learner: no entry of its term commits.
        net.dropIf(m -> m instanceof Message.AppendEntries a && a.from() == 2 && a.to() != 4);
        net.node(2).campaign();
        net.stabilize();
        assertThat(net.status(2).role()).isEqualTo(Role.LEADER);
        net.tick(2, 3);
        net.stabilize();
        assertThat(net.status(2).peers().get(4L).match()).isEqualTo(net.status(2).lastIndex());
        assertThat(net.node(2).confState()).isEqualTo(WITH_LEARNER);
        net.heal();
        net.tickAll(3);
        assertThat(net.node(2).confState()).isEqualTo(FOUR);
    }

    @Test
    void oneLearnerAtATime() {
        Network net = withJoiner(AutoPromotion.within(0));
        net.add(5, Network.plain(5).withAutoPromotion(AutoPromotion.within(0))
                .withKnownServers(Set.of(1L, 2L, 3L, 4L, 5L)), new MemoryStorage(ConfState.of(Set.of())));
        net.elect(1);
        net.node(1).proposeConfChange(ConfState.of(Set.of(1L, 2L, 3L), Set.of(4L)));
        net.stabilize();
        net.node(1).proposeConfChange(ConfState.of(Set.of(1L, 2L, 3L), Set.of(4L, 5L)));
        net.stabilize();
        // Cut the followers off so the first promotion cannot commit: the second must wait for it.
        net.isolate(2);
        net.isolate(3);
        net.tickAll(1);
        assertThat(net.node(1).confState()).isEqualTo(ConfState.of(Set.of(1L, 2L, 3L, 4L), Set.of(5L)));
        net.tickAll(3);
        assertThat(net.node(1).confState()).isEqualTo(ConfState.of(Set.of(1L, 2L, 3L, 4L), Set.of(5L)));
        net.heal();
        net.tickAll(3);
        assertThat(net.node(1).confState()).isEqualTo(ConfState.of(Set.of(1L, 2L, 3L, 4L, 5L)));
    }
}
