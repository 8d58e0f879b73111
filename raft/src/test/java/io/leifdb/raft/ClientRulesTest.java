package io.leifdb.raft;

import static io.leifdb.raft.Fixtures.ofType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.Message.AppendResponse;
import io.leifdb.raft.Message.Heartbeat;
import io.leifdb.raft.Message.ReadIndexRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** §6 client interaction and §8 (thesis §6.4) read-only queries via ReadIndex. */
class ClientRulesTest {

    @Test
    void s6_followerRejectsProposalAndNamesTheLeader() {
        Network net = Network.of(3);
        net.elect(1);
        assertThatThrownBy(() -> net.node(2).propose("x".getBytes()))
                .isInstanceOf(ProposalDroppedException.class)
                .satisfies(ex -> assertThat(((ProposalDroppedException) ex).leader()).isEqualTo(1));
        assertThat(net.status(2).lastIndex()).isEqualTo(net.status(1).lastIndex());
    }

    @Test
    void s6_candidateRejectsProposal() {
        Network net = Network.of(3);
        net.isolate(1);
        net.node(1).campaign();
        net.stabilize();
        assertThatThrownBy(() -> net.node(1).propose("x".getBytes())).isInstanceOf(ProposalDroppedException.class);
    }

    @Test
    void s6_proposeReturnsTheIndexTheEntryCommitsAt() {
        Network net = Network.of(3);
        net.elect(1);
        long a = net.node(1).propose("a".getBytes());
        long b = net.node(1).propose("b".getBytes());
        net.stabilize();
        assertThat(b).isEqualTo(a + 1);
        Entry committed = net.applied.get(2L).stream().filter(e -> e.index() == b).findFirst().orElseThrow();
        assertThat(new String(committed.data())).isEqualTo("b");
    }

    @Test
    void s8_newLeaderAppendsANoopOfItsTerm() {
        Network net = Network.of(3);
        net.elect(1);
        Entry last = net.log(1).getLast();
        assertThat(last.type()).isEqualTo(EntryType.NOOP);
        assertThat(last.term()).isEqualTo(net.status(1).term());
        assertThat(net.status(2).commit()).isEqualTo(last.index());
    }

    @Test
    void s8_readIndexWaitsUntilTheLeaderCommittedAnEntryOfItsTerm() {
        Network net = Network.of(3);
        net.dropIf(m -> m instanceof AppendResponse);
        net.elect(1);
        net.node(1).readIndex(7);
        net.stabilize();
        assertThat(net.reads.get(1L)).isEmpty();
        net.heal();
        net.tickAll(1); // heartbeat replies trigger a resend; its acks commit the no-op
        assertThat(net.reads.get(1L)).containsExactly(new ReadState(7, net.status(1).commit()));
    }

    @Test
    void s8_readIndexConfirmsLeadershipWithAHeartbeatQuorum() {
        Network net = Network.of(3);
        net.elect(1);
        net.node(1).readIndex(42);
        List<Heartbeat> hbs = ofType(net.take(), Heartbeat.class);
        assertThat(hbs).extracting(Heartbeat::readContext).containsOnly(42L).hasSize(2);
        assertThat(net.reads.get(1L)).isEmpty();
        net.deliver(hbs.getFirst());
        net.stabilize();
        assertThat(net.reads.get(1L)).containsExactly(new ReadState(42, net.status(1).commit()));
    }

    @Test
    void s8_singleNodeAnswersReadIndexAtOnce() {
        Network net = Network.of(1);
        net.elect(1);
        net.node(1).readIndex(5);
        net.processReady(1);
        assertThat(net.reads.get(1L)).containsExactly(new ReadState(5, 1));
    }

    @Test
    void s8_followerForwardsReadIndexAndGetsTheLeadersCommitIndex() {
        Network net = Network.of(3);
        net.elect(1);
        long index = net.node(1).propose("x".getBytes());
        net.stabilize();
        net.node(3).readIndex(9);
        assertThat(ofType(net.take(), ReadIndexRequest.class)).extracting(ReadIndexRequest::to).containsExactly(1L);
        net.node(3).readIndex(10);
        net.stabilize();
        assertThat(net.reads.get(3L)).containsExactly(new ReadState(10, index));
    }

    @Test
    void s8_deposedLeaderCannotConfirmARead() {
        Network net = Network.of(3);
        net.elect(1);
        net.isolate(1);
        net.elect(2);
        net.node(2).propose("new".getBytes());
        net.stabilize();
        net.node(1).readIndex(3);
        net.stabilize();
        assertThat(net.reads.get(1L)).isEmpty();
        net.heal();
        net.tickAll(1);
        assertThat(net.reads.get(1L)).isEmpty();
        assertThat(net.status(1).role()).isEqualTo(Role.FOLLOWER);
    }

    @Test
    void s8_readIndexWithoutAKnownLeaderIsRefused() {
        Network net = Network.of(3);
        assertThatThrownBy(() -> net.node(1).readIndex(1)).isInstanceOf(ProposalDroppedException.class);
    }
}
