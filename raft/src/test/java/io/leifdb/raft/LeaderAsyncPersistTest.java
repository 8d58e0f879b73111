package io.leifdb.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Message.AppendResponse;
import org.junit.jupiter.api.Test;

/** Thesis §10.2.1: a leader that writes without waiting for its fsync counts itself only once told. */
class LeaderAsyncPersistTest {

    private static Network leaderWritingAsync() {
        Network net = Network.of(3);
        net.elect(1);
        net.stabilize();
        net.writesOnly.add(1L);
        return net;
    }

    @Test
    void anUnsyncedLeaderDoesNotCountItselfTowardTheQuorum() {
        Network net = leaderWritingAsync();
        net.isolate(3);
        long index = net.node(1).propose("x".getBytes());
        net.stabilize();
        assertThat(net.status(2).lastIndex()).isEqualTo(index); // 2 holds it and acknowledged
        assertThat(net.status(1).commit()).isLessThan(index); // leader + 2 would be a quorum, but the leader is not durable

        assertThat(net.node(1).persisted(net.node(1).term(), index)).isTrue();
        net.stabilize();
        assertThat(net.status(1).commit()).isEqualTo(index);
    }

    @Test
    void twoFollowersCommitWithoutTheLeadersFsync() {
        Network net = leaderWritingAsync();
        long index = net.node(1).propose("x".getBytes());
        net.stabilize();
        assertThat(net.status(1).commit()).isEqualTo(index);
    }

    @Test
    void aReportFromAnotherTermDoesNotCount() {
        Network net = leaderWritingAsync();
        net.isolate(3);
        long index = net.node(1).propose("x".getBytes());
        net.stabilize();
        assertThat(net.node(1).persisted(net.node(1).term() - 1, index)).isFalse();
        net.stabilize();
        assertThat(net.status(1).commit()).isLessThan(index);
        assertThat(net.sentOfType(AppendResponse.class)).anyMatch(r -> r.from() == 2 && r.index() == index);
    }
}
