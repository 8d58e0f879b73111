package io.leifdb.raft;

import static io.leifdb.raft.Fixtures.THREE;
import static io.leifdb.raft.Fixtures.e;
import static io.leifdb.raft.Fixtures.ofType;
import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Message.AppendEntries;
import io.leifdb.raft.Message.AppendResponse;
import io.leifdb.raft.Message.Heartbeat;
import io.leifdb.raft.Message.InstallSnapshot;
import io.leifdb.raft.Message.RequestVote;
import io.leifdb.raft.Message.TimeoutNow;
import io.leifdb.raft.Message.VoteResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: a member that lost acknowledged state ({@link RaftConfig#catchingUp()}) grants no vote
 * and never campaigns until the leader of some term T has caught it up with an entry of T at the
 * leader's commit index (§5.4.1 assumes votes come from durable state; Figure 8, §5.4.2).
 */
class WipedVoterTest {

    /** Node 3 alone, wiped: an empty storage of the three-node cluster, started as catching up. */
    private static Network wiped3() {
        Network net = new Network();
        net.add(3, Network.plain(3).withCatchingUp(true), new MemoryStorage(THREE));
        return net;
    }

    private static List<VoteResponse> votesFrom3(Network net) {
        return ofType(net.sent, VoteResponse.class).stream().filter(v -> v.from() == 3).toList();
    }

    @Test
    void aCatchingUpMemberGrantsNoVoteAndNoPreVote() {
        Network net = wiped3();
        net.deliver(new RequestVote(2, 3, 5, 10, 4, true, false));
        net.deliver(new RequestVote(2, 3, 5, 10, 4, false, false));
        net.deliver(new RequestVote(1, 3, 6, 10, 4, false, true)); // even one that a transfer started
        assertThat(votesFrom3(net)).hasSize(3).noneMatch(VoteResponse::granted);
        assertThat(net.status(3).catchingUp()).isTrue();
    }

    @Test
    void aCatchingUpMemberNeverCampaigns() {
        Network net = wiped3();
        net.tick(3, 100);
        net.node(3).campaign();
        net.processReady(3);
        net.deliver(new AppendEntries(1, 3, 1, 0, 0, List.of(e(1, 1)), 0));
        net.deliver(new TimeoutNow(1, 3, 1)); // from the leader of its term, yet refused: it may not lead
        assertThat(net.sentOfType(RequestVote.class)).isEmpty();
        assertThat(net.status(3).role()).isEqualTo(Role.FOLLOWER);
        assertThat(net.status(3).term()).isEqualTo(1);
    }

    @Test
    void caughtUpOnceItHoldsTheLeadersOwnTermEntryAtTheLeadersCommit() {
        Network net = wiped3();
        // A leader of term 2 whose commit (2) is still an entry of term 1: it may not yet know all that was committed.
        net.deliver(new AppendEntries(1, 3, 2, 0, 0, List.of(e(1, 1), e(2, 1), e(3, 2)), 2));
        assertThat(net.status(3).catchingUp()).isTrue();
        assertThat(net.status(3).commit()).isEqualTo(2);

        // Its no-op of term 2 commits: its commit now covers everything committed before (Figure 8).
        net.deliver(new AppendEntries(1, 3, 2, 3, 2, List.of(), 3));
        assertThat(net.status(3).commit()).isEqualTo(3);
        assertThat(net.status(3).catchingUp()).as("until a heartbeat shows the leader's match for us").isTrue();
        net.deliver(new Heartbeat(1, 3, 2, 3, 0));
        assertThat(net.status(3).catchingUp()).isFalse();
    }

    /** Wiped-member seed 244: the lost incarnation acknowledged entries of the leader's term beyond its commit. */
    @Test
    void entriesOfTheLeadersTermAcknowledgedBeforeTheWipeMustBeHeldAgain() {
        Network net = wiped3();
        net.deliver(new AppendEntries(1, 3, 2, 0, 0, List.of(e(1, 1), e(2, 2)), 2));
        // The leader still counts our lost acknowledgement of entry 4: min(match 4, commit 4).
        net.deliver(new Heartbeat(1, 3, 2, 4, 0));
        assertThat(net.sentOfType(AppendResponse.class))
                .anyMatch(r -> r.reject() && r.index() == 0 && r.hintIndex() == 2);
        net.deliver(new AppendEntries(1, 3, 2, 2, 2, List.of(e(3, 2)), 3)); // sent before it heard: commit 3 < 4
        net.deliver(new Heartbeat(1, 3, 2, 3, 0));
        assertThat(net.status(3).catchingUp()).isTrue();
        net.deliver(new AppendEntries(1, 3, 2, 3, 2, List.of(e(4, 2)), 4));
        net.deliver(new Heartbeat(1, 3, 2, 4, 0));
        assertThat(net.status(3).catchingUp()).isFalse();
    }

    @Test
    void aCommitBeyondWhatTheAppendProvedDoesNotCatchUp() {
        Network net = wiped3();
        net.deliver(new AppendEntries(1, 3, 2, 0, 0, List.of(e(1, 1), e(2, 2), e(3, 2)), 1));
        // Matches through 1 only; the commit (3) names an entry this message did not check (§5.3).
        net.deliver(new AppendEntries(1, 3, 2, 1, 1, List.of(), 3));
        assertThat(net.status(3).catchingUp()).isTrue();
        net.deliver(new AppendEntries(1, 3, 2, 3, 2, List.of(), 3));
        net.deliver(new Heartbeat(1, 3, 2, 3, 0));
        assertThat(net.status(3).catchingUp()).isFalse();
    }

    @Test
    void aHeartbeatNeitherCatchesUpNorMovesTheCommitIndexAndTellsTheLeaderWhereWeAre() {
        Network net = wiped3();
        net.deliver(new AppendEntries(1, 3, 2, 0, 0, List.of(e(1, 1), e(2, 1), e(3, 2)), 2));
        // The heartbeat's commit is bounded by the leader's match index for our lost incarnation.
        net.deliver(new Heartbeat(1, 3, 2, 3, 0));
        assertThat(net.status(3).catchingUp()).isTrue();
        assertThat(net.status(3).commit()).isEqualTo(2);
        assertThat(net.sentOfType(AppendResponse.class))
                .anyMatch(r -> r.reject() && r.index() == 0 && r.hintIndex() == 2);
    }

    @Test
    void aSnapshotOfTheLeadersOwnTermCatchesUpAndAnOlderOneDoesNot() {
        Network net = wiped3();
        net.deliver(new InstallSnapshot(1, 3, 2, new Snapshot(new SnapshotMeta(5, 1, THREE), new byte[0])));
        net.deliver(new Heartbeat(1, 3, 2, 5, 0));
        assertThat(net.status(3).commit()).isEqualTo(5);
        assertThat(net.status(3).catchingUp()).isTrue();
        net.deliver(new InstallSnapshot(1, 3, 2, new Snapshot(new SnapshotMeta(8, 2, THREE), new byte[0])));
        net.deliver(new Heartbeat(1, 3, 2, 8, 0));
        assertThat(net.status(3).catchingUp()).isFalse();
    }

    @Test
    void votesNormallyOnceCaughtUpAndTheDriverHearsOfIt() {
        Network net = new Network();
        net.add(3, Network.plain(3).withCatchingUp(true), new MemoryStorage(THREE));
        RawNode n3 = net.node(3);
        net.deliver(new AppendEntries(1, 3, 2, 0, 0, List.of(e(1, 1), e(2, 2)), 2));
        n3.step(new Heartbeat(1, 3, 2, 2, 0));
        Ready rd = n3.ready();
        assertThat(rd.softState()).isNotNull();
        assertThat(rd.softState().catchingUp()).isFalse(); // the driver may clear its record once this is durable
        assertThat(rd.hardState().vote()).isEqualTo(1); // the lost incarnation may have voted in term 2
        net.storages.get(3L).setHardState(rd.hardState());
        n3.advance(rd);

        net.deliver(new RequestVote(2, 3, 3, 2, 2, false, false));
        assertThat(votesFrom3(net)).singleElement().satisfies(v -> assertThat(v.granted()).isTrue());
        // A heartbeat of a later term is trusted again: its leader's match index was learned from this incarnation.
        net.deliver(new AppendEntries(2, 3, 3, 2, 2, List.of(e(3, 3)), 2));
        net.deliver(new Heartbeat(2, 3, 3, 3, 0));
        assertThat(net.status(3).commit()).isEqualTo(3);
    }

    /**
     * The danger itself: entry 2 is committed by nodes 1 and 3; node 3 is wiped and node 1 lost.
     * Node 2, which never had entry 2, must not win with the wiped node's vote.
     */
    @Test
    void aWipedMemberDoesNotElectALeaderMissingACommittedEntryItHadAcknowledged() {
        assertThat(staleLeaderAfterWipe(true)).isFalse();
        assertThat(staleLeaderAfterWipe(false)).as("today's behaviour, for contrast").isTrue();
    }

    private static boolean staleLeaderAfterWipe(boolean rule) {
        Network net = Network.of(3);
        net.elect(1);
        net.isolate(2);
        long index = net.node(1).propose("acknowledged by 3".getBytes());
        net.stabilize();
        assertThat(net.status(1).commit()).isEqualTo(index);
        net.heal();
        net.isolate(1);
        net.add(3, Network.plain(3).withCatchingUp(rule), new MemoryStorage(THREE));
        net.node(2).campaign();
        net.stabilize();
        return net.status(2).role() == Role.LEADER;
    }

    /** Liveness, with pre-vote and check-quorum: the two intact members elect; the wiped one catches up, then votes. */
    @Test
    void theIntactMajorityElectsAndTheWipedMemberCatchesUpAndThenVotes() {
        Network net = Network.of(3, c -> c.withPreVote(true).withCheckQuorum(true));
        net.elect(1);
        for (int i = 0; i < 5; i++) {
            net.node(1).propose(("v" + i).getBytes());
        }
        net.stabilize();
        net.restart(1);
        net.restart(2);
        net.add(3, Network.plain(3).withPreVote(true).withCheckQuorum(true).withCatchingUp(true),
                new MemoryStorage(THREE));
        net.tickAll(60);
        long leader = net.status(1).role() == Role.LEADER ? 1 : 2;
        assertThat(net.status(leader).role()).isEqualTo(Role.LEADER);
        assertThat(net.status(3).catchingUp()).isFalse();
        assertThat(net.log(3)).isEqualTo(net.log(leader));

        // Now node 3 is a voter like any other: without the leader, it and the third node elect.
        long other = 3 - leader;
        net.isolate(leader);
        net.tickAll(60);
        assertThat(List.of(net.status(other).role(), net.status(3).role())).contains(Role.LEADER);
    }

    /**
     * Why the driver starts a wiped member at the term the others report (CatchUp's javadoc): node 2
     * followed leader 1 into term 2, where index 2 committed; node 3 still leads term 1 on its own
     * and holds a different entry 2. Restarted at term 0, the wiped node 2 follows node 3 and lets it
     * commit over the committed entry; restarted at term 2, it refuses node 3.
     */
    @Test
    void aWipedMemberMustStartAtTheTermTheOthersReportOrAStaleLeaderCommitsWithIt() {
        assertThat(staleLeaderCommitsOverTerm2(0)).as("restarted at term 0").isTrue();
        assertThat(staleLeaderCommitsOverTerm2(2)).as("restarted at the reported term").isFalse();
    }

    private static boolean staleLeaderCommitsOverTerm2(long restartTerm) {
        Network net = Network.of(3);
        net.elect(3);
        net.isolate(3);
        net.elect(1);
        long committed = net.node(1).propose("committed in term 2".getBytes());
        net.stabilize();
        assertThat(net.status(1).commit()).isEqualTo(committed);
        assertThat(net.log(2).get(1).term()).isEqualTo(2);
        long stale = net.node(3).propose("only node 3 has it".getBytes());
        assertThat(stale).isEqualTo(2);
        net.heal();
        net.isolate(1);
        MemoryStorage wiped = new MemoryStorage(THREE);
        wiped.setHardState(new HardState(restartTerm, 0, 0));
        net.add(2, Network.plain(2).withCatchingUp(true), wiped);
        net.tick(3, 1);
        net.stabilize();
        return net.status(3).commit() >= stale && net.log(3).get((int) stale - 1).term() == 1;
    }
}
