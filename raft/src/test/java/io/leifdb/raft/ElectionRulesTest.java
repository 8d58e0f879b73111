package io.leifdb.raft;

import static io.leifdb.raft.Fixtures.THREE;
import static io.leifdb.raft.Fixtures.logOfTerms;
import static io.leifdb.raft.Fixtures.ofType;
import static io.leifdb.raft.Fixtures.storage;
import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Message.AppendEntries;
import io.leifdb.raft.Message.AppendResponse;
import io.leifdb.raft.Message.Heartbeat;
import io.leifdb.raft.Message.RequestVote;
import io.leifdb.raft.Message.VoteResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** §5.1 terms, §5.2 leader election, §5.4.1 election restriction. */
class ElectionRulesTest {

    @Test
    void s5_1_serversStartAsFollowersInTermZero() {
        Network net = Network.of(3);
        for (long id = 1; id <= 3; id++) {
            assertThat(net.status(id).role()).isEqualTo(Role.FOLLOWER);
            assertThat(net.status(id).term()).isZero();
        }
    }

    @Test
    void s5_1_followerAdoptsHigherTermAndItsLeader() {
        Network net = Network.solo(1, new MemoryStorage(THREE));
        net.deliver(new Heartbeat(2, 1, 5, 0, 0));
        assertThat(net.status(1).term()).isEqualTo(5);
        assertThat(net.status(1).leader()).isEqualTo(2);
        assertThat(net.storages.get(1L).hardState().term()).isEqualTo(5);
    }

    @Test
    void s5_1_leaderStepsDownOnHigherTermRequest() {
        Network net = Network.of(3);
        net.elect(1);
        long term = net.status(1).term();
        net.deliver(new RequestVote(3, 1, term + 1, 100, term + 1, false, false));
        assertThat(net.status(1).role()).isEqualTo(Role.FOLLOWER);
        assertThat(net.status(1).term()).isEqualTo(term + 1);
    }

    @Test
    void s5_1_aRestartNeverStartsBelowItsLastEntrysTerm() {
        // A crash kept entries of term 5 but lost the hard state written after them (still term 3, vote 2).
        Network net = Network.solo(1, storage(THREE, new HardState(3, 2, 0), logOfTerms(1, 5)));
        assertThat(net.status(1).term()).isEqualTo(5);
        net.nodes.get(1L).campaign();
        RequestVote rv = ofType(net.take(), RequestVote.class).getFirst();
        assertThat(rv.term()).isEqualTo(6);
        // The vote of term 3 does not carry over to term 5: node 1 may vote there once, for anyone.
        assertThat(net.storages.get(1L).hardState()).isEqualTo(new HardState(6, 1, 0));
    }

    @Test
    void s5_1_staleTermRequestIsRejectedWithCurrentTerm() {
        Network net = Network.solo(1, storage(THREE, new HardState(3, 0, 0), List.of()));
        net.deliver(new AppendEntries(2, 1, 1, 0, 0, List.of(Fixtures.e(1, 1)), 0));
        AppendResponse r = ofType(net.take(), AppendResponse.class).getFirst();
        assertThat(r.reject()).isTrue();
        assertThat(r.term()).isEqualTo(3);
        assertThat(net.log(1)).isEmpty();
    }

    @Test
    void s5_2_followerBecomesCandidateAfterElectionTimeoutAndVotesForItself() {
        Network net = Network.solo(1, new MemoryStorage(THREE));
        net.tick(1, 19);
        assertThat(net.status(1).role()).isEqualTo(Role.CANDIDATE);
        assertThat(net.status(1).term()).isEqualTo(1);
        assertThat(net.storages.get(1L).hardState().vote()).isEqualTo(1);
        assertThat(ofType(net.take(), RequestVote.class)).extracting(RequestVote::to).containsExactly(2L, 3L);
    }

    @Test
    void s5_2_candidateWinsElectionWithMajority() {
        Network net = Network.of(5);
        net.isolate(4);
        net.isolate(5);
        net.elect(1);
        assertThat(net.status(1).role()).isEqualTo(Role.LEADER);
        assertThat(net.status(2).leader()).isEqualTo(1);
    }

    @Test
    void s5_2_candidateWithoutMajorityDoesNotWin() {
        Network net = Network.of(5);
        net.isolate(3);
        net.isolate(4);
        net.isolate(5);
        net.node(1).campaign();
        net.stabilize();
        assertThat(net.status(1).role()).isEqualTo(Role.CANDIDATE);
    }

    @Test
    void s5_2_voterGrantsAtMostOneVotePerTerm() {
        Network net = Network.solo(1, new MemoryStorage(THREE));
        net.deliver(new RequestVote(2, 1, 1, 0, 0, false, false));
        net.deliver(new RequestVote(3, 1, 1, 0, 0, false, false));
        net.deliver(new RequestVote(2, 1, 1, 0, 0, false, false)); // a retry from the same candidate
        assertThat(ofType(net.take(), VoteResponse.class)).extracting(VoteResponse::to, VoteResponse::granted)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, true),
                        org.assertj.core.groups.Tuple.tuple(3L, false),
                        org.assertj.core.groups.Tuple.tuple(2L, true));
        assertThat(net.storages.get(1L).hardState().vote()).isEqualTo(2);
    }

    @Test
    void s5_2_candidateStepsDownOnAppendFromLeaderOfSameTerm() {
        Network net = Network.solo(1, new MemoryStorage(THREE));
        net.node(1).campaign();
        net.processReady(1);
        net.deliver(new AppendEntries(2, 1, 1, 0, 0, List.of(), 0));
        assertThat(net.status(1).role()).isEqualTo(Role.FOLLOWER);
        assertThat(net.status(1).leader()).isEqualTo(2);
    }

    @Test
    void s5_2_electionTimeoutsAreRandomisedWithinOneToTwoElectionTimeouts() {
        Set<Integer> seen = new HashSet<>();
        for (long seed = 1; seed <= 40; seed++) {
            MemoryStorage s = new MemoryStorage(THREE);
            RawNode n = new RawNode(Network.plain(1).withSeed(seed), s);
            int ticks = 0;
            while (n.status().role() == Role.FOLLOWER) {
                n.tick();
                ticks++;
            }
            seen.add(ticks);
        }
        assertThat(seen).allMatch(t -> t >= 10 && t < 20);
        assertThat(seen.size()).isGreaterThan(3);
    }

    @Test
    void s5_2_splitVoteIsResolvedByALaterElection() {
        Network net = Network.of(4);
        net.node(1).campaign();
        net.node(2).campaign();
        List<Message> votes = net.take();
        // Node 3 hears node 1 first, node 4 hears node 2 first: two votes each, no majority of 4.
        for (Message m : votes) {
            boolean first = (m.to() == 3 && m.from() == 1) || (m.to() == 4 && m.from() == 2);
            if (first) {
                net.deliver(m);
            }
        }
        for (Message m : votes) {
            boolean first = (m.to() == 3 && m.from() == 1) || (m.to() == 4 && m.from() == 2);
            if (!first) {
                net.deliver(m);
            }
        }
        net.stabilize();
        assertThat(net.nodes.values()).noneMatch(n -> n.status().role() == Role.LEADER);
        for (int i = 0; i < 100 && net.nodes.values().stream().noneMatch(n -> n.status().role() == Role.LEADER); i++) {
            net.tickAll(1);
        }
        RawNode leader = net.nodes.values().stream().filter(n -> n.status().role() == Role.LEADER).findFirst()
                .orElseThrow();
        assertThat(leader.status().term()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void s5_4_1_voterRejectsCandidateWithOlderLastTerm() {
        Network net = Network.solo(1, storage(THREE, new HardState(2, 0, 0), logOfTerms(1, 2)));
        net.deliver(new RequestVote(2, 1, 3, 5, 1, false, false));
        assertThat(ofType(net.take(), VoteResponse.class).getFirst().granted()).isFalse();
    }

    @Test
    void s5_4_1_voterRejectsCandidateWithShorterLogOfSameLastTerm() {
        Network net = Network.solo(1, storage(THREE, new HardState(2, 0, 0), logOfTerms(1, 2, 2)));
        net.deliver(new RequestVote(2, 1, 3, 2, 2, false, false));
        assertThat(ofType(net.take(), VoteResponse.class).getFirst().granted()).isFalse();
    }

    @Test
    void s5_4_1_voterGrantsCandidateWithHigherLastTermEvenIfShorter() {
        Network net = Network.solo(1, storage(THREE, new HardState(2, 0, 0), logOfTerms(1, 2, 2, 2)));
        net.deliver(new RequestVote(2, 1, 4, 2, 3, false, false));
        assertThat(ofType(net.take(), VoteResponse.class).getFirst().granted()).isTrue();
    }

    /** Thesis §9.6: a grant counts only for the pre-vote round it answers (found by the hostile scenario's replays). */
    @Test
    void s9_6_aLateGrantOfAnEarlierPreVoteRoundDoesNotCount() {
        RawNode n = new RawNode(Network.plain(1).withPreVote(true), new MemoryStorage(THREE));
        n.campaign(); // pre-vote for term 1
        VoteResponse oldGrant = new VoteResponse(2, 1, 1, true, true);
        n.step(oldGrant);
        assertThat(n.status().role()).isEqualTo(Role.CANDIDATE);
        n.step(new VoteResponse(2, 1, 1, false, false));
        n.step(new VoteResponse(3, 1, 1, false, false));
        assertThat(n.status().role()).isEqualTo(Role.FOLLOWER);
        n.campaign(); // pre-vote for term 2
        n.step(oldGrant);
        assertThat(n.status().role()).isEqualTo(Role.PRE_CANDIDATE);
        assertThat(n.term()).isEqualTo(1);
        n.step(new VoteResponse(2, 1, 2, true, true));
        assertThat(n.status().role()).isEqualTo(Role.CANDIDATE);
        assertThat(n.term()).isEqualTo(2);
    }
}
