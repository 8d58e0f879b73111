package io.leifdb.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.Message.TimeoutNow;
import org.junit.jupiter.api.Test;

/** Thesis §3.10 leadership transfer. */
class LeaderTransferTest {

    private static Network cluster() {
        return Network.of(3, c -> c.withPreVote(true).withCheckQuorum(true));
    }

    @Test
    void s3_10_transferToUpToDateFollowerMakesItLeader() {
        Network net = cluster();
        net.elect(1);
        long term = net.status(1).term();
        net.node(1).transferLeadership(2);
        net.stabilize();
        assertThat(net.status(2).role()).isEqualTo(Role.LEADER);
        assertThat(net.status(2).term()).isEqualTo(term + 1);
        assertThat(net.status(1).role()).isEqualTo(Role.FOLLOWER);
        assertThat(net.status(1).leader()).isEqualTo(2);
    }

    @Test
    void s3_10_laggingTargetIsCaughtUpBeforeTimeoutNow() {
        Network net = cluster();
        net.elect(1);
        net.isolate(3);
        long last = 0;
        for (int i = 0; i < 3; i++) {
            last = net.node(1).propose(("x" + i).getBytes());
        }
        net.stabilize();
        net.heal();
        net.sent.clear();
        long lastProposed = last;
        net.node(1).transferLeadership(3);
        net.stabilize();
        assertThat(net.status(3).role()).isEqualTo(Role.LEADER);
        TimeoutNow tn = net.sentOfType(TimeoutNow.class).getFirst();
        int tnPos = net.sent.indexOf(tn);
        assertThat(net.sent.subList(0, tnPos)).anyMatch(m -> m instanceof Message.AppendResponse r
                && r.from() == 3 && !r.reject() && r.index() >= lastProposed);
    }

    @Test
    void s3_10_proposalsAreRefusedDuringTransferAndAcceptedAfterAbort() {
        Network net = cluster();
        net.elect(1);
        net.isolate(3);
        net.node(1).transferLeadership(3);
        net.stabilize();
        assertThatThrownBy(() -> net.node(1).propose("x".getBytes())).isInstanceOf(ProposalDroppedException.class);
        net.tick(1, 10); // an election timeout passes without the target taking over
        net.stabilize();
        assertThat(net.status(1).role()).isEqualTo(Role.LEADER);
        long index = net.node(1).propose("x".getBytes());
        assertThat(index).isPositive();
    }

    @Test
    void s3_10_timeoutNowOverridesTheLeaderLease() {
        Network net = cluster();
        net.elect(1);
        net.node(1).transferLeadership(2);
        net.stabilize();
        // Node 3 still had a live leader (1) yet voted for 2 because the campaign was a transfer.
        assertThat(net.status(3).leader()).isEqualTo(2);
    }
}
