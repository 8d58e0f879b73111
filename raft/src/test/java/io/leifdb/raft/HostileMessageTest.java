package io.leifdb.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Message.AppendEntries;
import io.leifdb.raft.Message.AppendResponse;
import io.leifdb.raft.Message.Heartbeat;
import io.leifdb.raft.Message.RequestVote;
import io.leifdb.raft.Message.TimeoutNow;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, the attacks found on a real cluster, replayed against the core: only members speak
 * Raft, TimeoutNow comes only from the current leader, and no term or index from a message can
 * overflow the core's arithmetic.
 */
class HostileMessageTest {
    private static final long STRANGER = 99;
    private static final long HUGE_TERM = Long.MAX_VALUE;

    private static Network cluster() {
        return Network.of(3, c -> c.withPreVote(true).withCheckQuorum(true));
    }

    private static Network withCommittedWrite() {
        Network net = cluster();
        net.elect(1);
        net.node(1).propose("real".getBytes());
        net.stabilize();
        return net;
    }

    private static long dropped(Network net, long id, DropReason reason) {
        return net.status(id).dropped().getOrDefault(reason, 0L);
    }

    @Test
    void forgedAppendFromNonMemberIsNeitherAppliedNorCommitted() {
        Network net = withCommittedWrite();
        long term = net.status(1).term();
        long last = net.status(1).lastIndex();
        for (long id = 1; id <= 3; id++) {
            // A different forged value per node, at a higher term and the real log position.
            Entry forged = Entry.normal(term + 1, last + 1, ("forged-" + id).getBytes());
            net.deliver(new AppendEntries(STRANGER, id, term + 1, last, term, List.of(forged), last + 1));
        }
        net.tickAll(30);
        net.node(net.status(1).leader()).propose("after".getBytes());
        net.stabilize();
        for (long id = 1; id <= 3; id++) {
            assertThat(net.log(id)).noneMatch(e -> new String(e.data()).startsWith("forged"));
            assertThat(net.applied.get(id)).noneMatch(e -> new String(e.data()).startsWith("forged"));
            assertThat(net.log(id)).isEqualTo(net.log(1)); // no divergence
            assertThat(dropped(net, id, DropReason.NOT_A_MEMBER)).isEqualTo(1);
        }
    }

    @Test
    void fakeLeaderHeartbeatsDoNotHoldTheClusterLeaderless() {
        Network net = cluster();
        for (int round = 0; round < 60; round++) {
            for (long id = 1; id <= 3; id++) net.deliver(new Heartbeat(STRANGER, id, 5, 0, 0));
            net.tickAll(1);
        }
        assertThat(net.nodes.keySet()).anyMatch(id -> net.status(id).role() == Role.LEADER);
        assertThat(net.status(1).leader()).isNotEqualTo(STRANGER);
    }

    @Test
    void heartbeatAtTheLargestTermDoesNotOverflowTheNextElection() {
        Network net = withCommittedWrite();
        // A real member's id this time, so only the term bound stands in the way.
        net.deliver(new Heartbeat(2, 1, HUGE_TERM, 0, 0));
        net.deliver(new Heartbeat(1, 2, HUGE_TERM, 0, 0));
        net.deliver(new Heartbeat(1, 3, HUGE_TERM, 0, 0));
        net.isolate(1);
        net.tickAll(60); // the others must still elect a leader without the old one
        long leader = net.status(2).leader();
        assertThat(leader).isIn(2L, 3L);
        assertThat(net.status(leader).term()).isPositive().isLessThanOrEqualTo(Admission.MAX_TERM);
        net.heal();
        net.node(leader).propose("after".getBytes());
        net.tickAll(5); // the old leader rejoins through the new leader's heartbeats
        assertThat(net.status(1).commit()).isEqualTo(net.status(leader).lastIndex());
        assertThat(dropped(net, 2, DropReason.TERM_OUT_OF_RANGE)).isEqualTo(1);
    }

    @Test
    void termJustAboveTheCeilingIsRefusedEvenFromAMember() {
        Network net = withCommittedWrite();
        long term = net.status(2).term();
        net.deliver(new Heartbeat(1, 2, Admission.MAX_TERM + 1, 0, 0));
        assertThat(net.status(2).term()).isEqualTo(term);
        assertThat(dropped(net, 2, DropReason.TERM_OUT_OF_RANGE)).isEqualTo(1);
    }

    @Test
    void aMemberFarAheadInTermIsStillHeard() {
        // A partitioned member without pre-vote legitimately runs ahead; refusing it would cut it off for good.
        Network net = Network.of(3);
        net.elect(1);
        long ahead = net.status(1).term() + 1_000_000;
        net.deliver(new RequestVote(3, 2, ahead, net.status(3).lastIndex(), net.status(1).term(), false, false));
        assertThat(net.status(2).term()).isEqualTo(ahead);
    }

    @Test
    void timeoutNowFromANonMemberOrANonLeaderDoesNotForceAnElection() {
        Network net = withCommittedWrite();
        long term = net.status(1).term();
        net.deliver(new TimeoutNow(STRANGER, 2, term));
        net.deliver(new TimeoutNow(3, 2, term)); // a member, but not the leader
        net.stabilize();
        assertThat(net.status(1).role()).isEqualTo(Role.LEADER);
        assertThat(net.status(2).term()).isEqualTo(term);
        assertThat(dropped(net, 2, DropReason.NOT_A_MEMBER)).isEqualTo(1);
        assertThat(dropped(net, 2, DropReason.TIMEOUT_NOW_NOT_FROM_LEADER)).isEqualTo(1);
    }

    @Test
    void transferVoteFromANonMemberDoesNotDisruptTheLeader() {
        Network net = withCommittedWrite();
        long term = net.status(1).term();
        long last = net.status(1).lastIndex();
        for (long id = 1; id <= 3; id++) {
            net.deliver(new RequestVote(STRANGER, id, term + 1, last + 10, term, false, true));
        }
        net.stabilize();
        assertThat(net.status(1).role()).isEqualTo(Role.LEADER);
        assertThat(net.status(1).term()).isEqualTo(term);
    }

    @Test
    void rejectHintNearTheLargestIndexDoesNotOverflowTheLeadersProgress() {
        Network net = withCommittedWrite();
        long term = net.status(1).term();
        long last = net.status(1).lastIndex();
        net.deliver(new AppendResponse(2, 1, term, true, last, Long.MAX_VALUE, term));
        net.deliver(new AppendResponse(3, 1, term, true, 0, Long.MAX_VALUE - 1, 0));
        long index = net.node(1).propose("after".getBytes());
        net.stabilize();
        assertThat(net.status(2).commit()).isEqualTo(index);
        assertThat(net.status(3).commit()).isEqualTo(index);
        assertThat(dropped(net, 1, DropReason.INDEX_OUT_OF_RANGE)).isEqualTo(2);
    }

    @Test
    void acknowledgementBeyondTheLeadersLogCommitsNothing() {
        Network net = withCommittedWrite();
        long term = net.status(1).term();
        long committed = net.status(1).commit();
        net.isolate(2);
        net.isolate(3);
        net.node(1).propose("unreplicated".getBytes());
        net.stabilize();
        net.deliver(new AppendResponse(2, 1, term, false, 1L << 40, 0, 0));
        assertThat(net.status(1).commit()).isEqualTo(committed);
        assertThat(dropped(net, 1, DropReason.INDEX_OUT_OF_RANGE)).isEqualTo(1);
    }

    @Test
    void appendWhoseEntriesDoNotFollowItsPrevIndexIsRefused() {
        Network net = withCommittedWrite();
        long term = net.status(1).term();
        long last = net.status(2).lastIndex();
        // From the real leader's id: entry indexes skip, which no real leader sends.
        Entry skipped = Entry.normal(term, last + 5, "gap".getBytes());
        net.deliver(new AppendEntries(1, 2, term, last, term, List.of(skipped), last));
        assertThat(net.log(2)).noneMatch(e -> new String(e.data()).equals("gap"));
        assertThat(dropped(net, 2, DropReason.MALFORMED)).isEqualTo(1);
    }

    @Test
    void s4_1_aMemberWithAStaleConfigurationStillHearsAServerItKnows() {
        // Node 3 missed the entry that re-added 2; 2 now needs its vote (membership scenario, seed 796).
        ConfState stale = ConfState.of(java.util.Set.of(1L, 3L));
        RawNode known = new RawNode(Network.plain(3).withKnownServers(java.util.Set.of(1L, 2L, 3L)), new MemoryStorage(stale));
        RawNode unknown = new RawNode(Network.plain(3), new MemoryStorage(stale));
        RequestVote vote = new RequestVote(2, 3, 5, 0, 0, false, false);
        assertThat(known.step(vote)).isEmpty();
        assertThat(known.term()).isEqualTo(5);
        assertThat(unknown.step(vote)).contains(DropReason.NOT_A_MEMBER);
        assertThat(unknown.term()).isZero();
    }
}
