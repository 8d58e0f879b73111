package io.leifdb.raft;

import static io.leifdb.raft.Fixtures.THREE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.Message.AppendEntries;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Thesis §4.1-§4.3: single-server membership changes through CONFIG entries. */
class MembershipTest {
    private static final ConfState FOUR = ConfState.of(Set.of(1L, 2L, 3L, 4L));

    private static Network withJoiner() {
        Network net = Network.of(3);
        // A joiner's configuration is empty: it hears the leader because its driver knows the cluster (§4.1).
        net.add(4, Network.plain(4).withKnownServers(Set.of(1L, 2L, 3L)), new MemoryStorage(ConfState.of(Set.of())));
        return net;
    }

    @Test
    void s4_1_addedVoterCatchesUpAndCountsTowardTheQuorum() {
        Network net = withJoiner();
        net.elect(1);
        net.node(1).proposeConfChange(FOUR);
        net.stabilize();
        net.tickAll(2);
        for (long id = 1; id <= 4; id++) {
            assertThat(net.node(id).confState()).isEqualTo(FOUR);
        }
        assertThat(net.log(4)).isEqualTo(net.log(1));
        // With four voters a quorum is three: leader plus node 2 alone cannot commit.
        net.isolate(3);
        net.isolate(4);
        long commit = net.status(1).commit();
        net.node(1).propose("x".getBytes());
        net.stabilize();
        assertThat(net.status(1).commit()).isEqualTo(commit);
    }

    @Test
    void s4_1_removedFollowerNoLongerCountsNorDisrupts() {
        Network net = Network.of(3, c -> c.withPreVote(true).withCheckQuorum(true));
        net.elect(1);
        long term = net.status(1).term();
        net.node(1).proposeConfChange(ConfState.of(Set.of(1L, 2L)));
        net.stabilize();
        net.isolate(3);
        long index = net.node(1).propose("x".getBytes());
        net.stabilize();
        assertThat(net.status(1).commit()).isEqualTo(index);
        // Node 3 never received its removal, so it still campaigns (thesis §4.2.3); pre-vote and
        // the leader lease keep it from disrupting the remaining cluster.
        net.heal();
        net.tickAll(50);
        assertThat(net.status(1).role()).isEqualTo(Role.LEADER);
        assertThat(net.status(1).term()).isEqualTo(term);
        assertThat(net.status(2).term()).isEqualTo(term);
    }

    @Test
    void s4_2_2_removedLeaderStepsDownOnceTheChangeCommits() {
        Network net = Network.of(3);
        net.elect(1);
        net.node(1).proposeConfChange(ConfState.of(Set.of(2L, 3L)));
        net.stabilize();
        assertThat(net.status(1).role()).isEqualTo(Role.FOLLOWER);
        net.tickAll(40);
        assertThat(List.of(net.status(2).role(), net.status(3).role())).contains(Role.LEADER);
        assertThat(net.status(1).role()).isEqualTo(Role.FOLLOWER);
    }

    @Test
    void s4_1_changingTwoVotersAtOnceIsRefused() {
        Network net = Network.of(3);
        net.elect(1);
        assertThatThrownBy(() -> net.node(1).proposeConfChange(ConfState.of(Set.of(1L, 4L, 5L))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void s4_2_3_aRemovedMemberLearnsOfItsRemovalAndNeverCampaigns() {
        Network net = Network.of(3, c -> c.withPreVote(true).withCheckQuorum(true));
        net.elect(1);
        long term = net.status(1).term();
        long index = net.node(1).proposeConfChange(ConfState.of(Set.of(1L, 2L)));
        net.stabilize();
        assertThat(net.status(1).commit()).isGreaterThanOrEqualTo(index);
        // The leader sent the log to node 3 until the change committed, so node 3 holds its removal.
        assertThat(net.log(3)).anyMatch(e -> e.index() == index && e.type() == EntryType.CONFIG);
        assertThat(net.node(3).confState().voters()).containsExactly(1L, 2L);
        assertThat(net.status(1).peers()).doesNotContainKey(3L); // and stopped once it committed
        int sent = net.sentOfType(Message.RequestVote.class).size();
        net.tickAll(100);
        assertThat(net.sentOfType(Message.RequestVote.class)).hasSize(sent); // not even a pre-vote
        assertThat(net.status(3).term()).isEqualTo(term);
        assertThat(net.status(1).term()).isEqualTo(term);
        assertThat(net.status(1).role()).isEqualTo(Role.LEADER);
    }

    @Test
    void s4_1_secondChangeWaitsForTheFirstToCommit() {
        Network net = withJoiner();
        net.elect(1);
        net.isolate(2);
        net.isolate(3);
        net.node(1).proposeConfChange(FOUR);
        net.stabilize();
        assertThatThrownBy(() -> net.node(1).proposeConfChange(THREE)).isInstanceOf(ProposalDroppedException.class)
                .extracting(e -> ((ProposalDroppedException) e).reason())
                .isEqualTo(ProposalDroppedException.Reason.CHANGE_PENDING);
    }

    @Test
    void s4_1_newLeaderMakesNoChangeBeforeItCommitsAnEntryOfItsTerm() {
        Network net = Network.of(3);
        net.dropIf(m -> m instanceof AppendEntries); // the new leader's no-op reaches nobody
        net.elect(1);
        assertThatThrownBy(() -> net.node(1).proposeConfChange(ConfState.of(Set.of(1L, 2L))))
                .isInstanceOf(ProposalDroppedException.class)
                .extracting(e -> ((ProposalDroppedException) e).reason())
                .isEqualTo(ProposalDroppedException.Reason.TERM_NOT_COMMITTED);
        net.heal();
        net.tickAll(4);
        long index = net.node(1).proposeConfChange(ConfState.of(Set.of(1L, 2L)));
        net.stabilize();
        assertThat(net.status(1).commit()).isEqualTo(index);
    }

    @Test
    void s4_1_configTakesEffectWhenAppendedAndIsUndoneByTruncation() {
        Network net = Network.solo(2, new MemoryStorage(THREE));
        Entry change = new Entry(1, 1, EntryType.CONFIG, ConfStateCodec.encode(FOUR));
        net.deliver(new AppendEntries(1, 2, 1, 0, 0, List.of(change), 0));
        assertThat(net.node(2).confState()).isEqualTo(FOUR);
        // A leader of term 2 never had that entry and overwrites it.
        net.deliver(new AppendEntries(3, 2, 2, 0, 0, List.of(Entry.noop(2, 1)), 0));
        assertThat(net.node(2).confState()).isEqualTo(THREE);
    }

    @Test
    void s4_1_restartRebuildsMembershipFromTheLog() {
        Network net = withJoiner();
        net.elect(1);
        net.node(1).proposeConfChange(FOUR);
        net.stabilize();
        net.restart(4);
        assertThat(net.node(4).confState()).isEqualTo(FOUR);
    }

    @Test
    void learnerIsPromotedToVoter() {
        Network net = Network.of(ConfState.of(Set.of(1L, 2L), Set.of(3L)), c -> c);
        net.elect(1);
        net.node(1).proposeConfChange(THREE);
        net.stabilize();
        assertThat(net.status(3).role()).isEqualTo(Role.FOLLOWER);
        assertThat(net.node(3).confState()).isEqualTo(THREE);
    }

    @Test
    void confStateCodecRoundTrips() {
        ConfState c = ConfState.of(Set.of(1L, 7L, 42L), Set.of(9L));
        assertThat(ConfStateCodec.decode(ConfStateCodec.encode(c))).isEqualTo(c);
        assertThatThrownBy(() -> ConfStateCodec.decode(new byte[] {1, 0})).isInstanceOf(IllegalArgumentException.class);
    }
}
