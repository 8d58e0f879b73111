package io.leifdb.raft;

import static io.leifdb.raft.Fixtures.THREE;
import static io.leifdb.raft.Fixtures.ofType;
import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Message.RequestVote;
import io.leifdb.raft.Message.VoteResponse;
import org.junit.jupiter.api.Test;

/** Thesis §9.6: pre-vote, check-quorum and the leader lease that keep partitions from disrupting. */
class PreVoteCheckQuorumTest {

    private static Network cluster() {
        return Network.of(3, c -> c.withPreVote(true).withCheckQuorum(true));
    }

    @Test
    void s9_6_preVoteDoesNotBumpTheTermOfAnIsolatedNode() {
        Network net = cluster();
        net.elect(1);
        long term = net.status(3).term();
        net.isolate(3);
        net.tickAll(100);
        assertThat(net.status(3).term()).isEqualTo(term);
        assertThat(net.status(3).role()).isEqualTo(Role.PRE_CANDIDATE);
        assertThat(net.sentOfType(RequestVote.class)).filteredOn(v -> v.from() == 3).allMatch(RequestVote::preVote);
    }

    @Test
    void s9_6_rejoiningNodeDoesNotDisruptTheLeader() {
        Network net = cluster();
        net.elect(1);
        long term = net.status(1).term();
        net.isolate(3);
        net.tickAll(60);
        net.heal();
        net.tickAll(30);
        assertThat(net.status(1).role()).isEqualTo(Role.LEADER);
        assertThat(net.status(1).term()).isEqualTo(term);
        assertThat(net.status(3).leader()).isEqualTo(1);
    }

    @Test
    void s9_6_preCandidateWinsPreVoteThenCampaignsInTheNextTerm() {
        Network net = cluster();
        net.node(1).campaign();
        net.stabilize();
        assertThat(net.status(1).role()).isEqualTo(Role.LEADER);
        assertThat(net.status(1).term()).isEqualTo(1);
        assertThat(net.sentOfType(RequestVote.class)).extracting(RequestVote::preVote).contains(true, false);
    }

    @Test
    void s9_6_checkQuorumLeaderStepsDownWithoutAQuorum() {
        Network net = cluster();
        net.elect(1);
        net.isolate(1);
        net.tick(1, 9);
        assertThat(net.status(1).role()).isEqualTo(Role.LEADER);
        net.tick(1, 11);
        assertThat(net.status(1).role()).isEqualTo(Role.FOLLOWER);
    }

    @Test
    void s9_6_followerWithLiveLeaderIgnoresVoteRequestsOfAHigherTerm() {
        Network net = cluster();
        net.elect(1);
        long term = net.status(2).term();
        net.sent.clear();
        net.deliver(new RequestVote(3, 2, term + 1, 100, term, false, false));
        assertThat(net.status(2).term()).isEqualTo(term);
        assertThat(ofType(net.take(), VoteResponse.class)).isEmpty();
        // Past the lease (no word from the leader for an election timeout), the vote is considered.
        net.isolate(1);
        net.tick(2, 10);
        net.heal();
        net.deliver(new RequestVote(3, 2, term + 1, 100, term, false, false));
        assertThat(net.status(2).term()).isEqualTo(term + 1);
    }

    @Test
    void s9_6_withoutPreVoteAnIsolatedNodeInflatesItsTerm() {
        Network net = Network.of(THREE, c -> c.withPreVote(false));
        net.elect(1);
        long term = net.status(3).term();
        net.isolate(3);
        net.tickAll(60);
        assertThat(net.status(3).term()).isGreaterThan(term); // the behaviour pre-vote prevents
    }
}
