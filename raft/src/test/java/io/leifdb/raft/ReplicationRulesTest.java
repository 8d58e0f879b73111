package io.leifdb.raft;

import static io.leifdb.raft.Fixtures.THREE;
import static io.leifdb.raft.Fixtures.e;
import static io.leifdb.raft.Fixtures.logOfTerms;
import static io.leifdb.raft.Fixtures.ofType;
import static io.leifdb.raft.Fixtures.storage;
import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Message.AppendEntries;
import io.leifdb.raft.Message.AppendResponse;
import io.leifdb.raft.Message.Heartbeat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** §5.3 log replication and §5.4.2 committing entries from previous terms. */
class ReplicationRulesTest {

    @Test
    void s5_3_leaderReplicatesProposalAndCommitsOnMajority() {
        Network net = Network.of(3);
        net.elect(1);
        long index = net.node(1).propose("x".getBytes());
        List<AppendEntries> appends = ofType(net.take(), AppendEntries.class);
        assertThat(appends).extracting(AppendEntries::to).containsExactly(2L, 3L);
        assertThat(appends.getFirst().entries()).extracting(Entry::index).containsExactly(index);
        assertThat(net.status(1).commit()).isLessThan(index);
        net.deliver(appends.getFirst()); // node 2 appends and answers
        net.stabilize();
        assertThat(net.status(1).commit()).isEqualTo(index);
        assertThat(net.applied.get(1L)).extracting(Entry::index).contains(index);
    }

    @Test
    void s5_3_followerRejectsAppendWhosePrevEntryDoesNotMatch() {
        Network net = Network.solo(1, storage(THREE, new HardState(2, 0, 0), logOfTerms(1, 1)));
        net.deliver(new AppendEntries(2, 1, 2, 2, 2, List.of(e(3, 2)), 0));
        AppendResponse r = ofType(net.take(), AppendResponse.class).getFirst();
        assertThat(r.reject()).isTrue();
        assertThat(r.index()).isEqualTo(2);
        assertThat(r.hintIndex()).isEqualTo(2);
        assertThat(r.hintTerm()).isEqualTo(1);
        assertThat(net.log(1)).hasSize(2);
    }

    @Test
    void s5_3_followerDeletesConflictingSuffixAndAppendsNewEntries() {
        Network net = Network.solo(1, storage(THREE, new HardState(2, 0, 0), logOfTerms(1, 1, 1)));
        net.deliver(new AppendEntries(2, 1, 2, 1, 1, List.of(e(2, 2)), 0));
        assertThat(net.log(1)).extracting(Entry::term).containsExactly(1L, 2L);
        assertThat(ofType(net.take(), AppendResponse.class).getFirst().index()).isEqualTo(2);
    }

    @Test
    void s5_3_followerCommitsMinOfLeaderCommitAndLastNewEntry() {
        Network net = Network.solo(1, storage(THREE, new HardState(1, 0, 0), logOfTerms(1, 1, 1)));
        // Entries 2 and 3 may differ from the leader's beyond what this append covers.
        net.deliver(new AppendEntries(2, 1, 1, 0, 0, List.of(e(1, 1)), 3));
        assertThat(net.status(1).commit()).isEqualTo(1);
        net.deliver(new AppendEntries(2, 1, 1, 1, 1, List.of(e(2, 1)), 1));
        assertThat(net.status(1).commit()).isEqualTo(1);
    }

    @Test
    void s5_3_leaderRepairsDivergentFollowerLog() {
        ConfState conf = THREE;
        Network net = new Network();
        net.add(1, Network.plain(1), storage(conf, new HardState(3, 0, 1), logOfTerms(1, 3, 3)));
        net.add(2, Network.plain(2), storage(conf, new HardState(2, 0, 1), logOfTerms(1, 2, 2, 2, 2)));
        net.add(3, Network.plain(3), storage(conf, new HardState(3, 0, 1), logOfTerms(1, 3)));
        net.elect(1);
        net.tickAll(2);
        assertThat(net.log(2)).isEqualTo(net.log(1));
        assertThat(net.log(3)).isEqualTo(net.log(1));
        assertThat(net.status(2).commit()).isEqualTo(net.status(1).lastIndex());
    }

    @Test
    void s5_3_heartbeatCommitNeverExceedsThePeersMatch() {
        Network net = Network.of(3);
        net.elect(1);
        net.isolate(3);
        net.node(1).propose("a".getBytes());
        net.stabilize();
        net.heal();
        net.sent.clear();
        net.node(1).tick();
        List<Heartbeat> hbs = ofType(net.take(), Heartbeat.class);
        Heartbeat to2 = hbs.stream().filter(h -> h.to() == 2).findFirst().orElseThrow();
        Heartbeat to3 = hbs.stream().filter(h -> h.to() == 3).findFirst().orElseThrow();
        assertThat(to2.commit()).isEqualTo(net.status(1).commit());
        assertThat(to3.commit()).isEqualTo(net.status(1).peers().get(3L).match()).isLessThan(to2.commit());
    }

    @Test
    void s5_4_2_leaderCommitsOldTermEntriesOnlyThroughAnEntryOfItsTerm() {
        Network net = new Network();
        for (long id = 1; id <= 3; id++) {
            net.add(id, Network.plain(id), storage(THREE, new HardState(2, 0, 1), logOfTerms(1, 2)));
        }
        net.node(1).campaign();
        List<Message> votes = net.take();
        votes.forEach(net::deliver);
        net.take().forEach(net::deliver); // vote responses: node 1 leads term 3, its no-op is entry 3
        assertThat(net.status(1).role()).isEqualTo(Role.LEADER);
        net.take(); // drop the no-op's AppendEntries
        // A majority holds entry 2 (term 2), but counting replicas must not commit it (Figure 8).
        net.deliver(new AppendResponse(2, 1, 3, false, 2, 0, 0));
        assertThat(net.status(1).commit()).isEqualTo(1);
        net.deliver(new AppendResponse(2, 1, 3, false, 3, 0, 0));
        assertThat(net.status(1).commit()).isEqualTo(3);
    }
}
