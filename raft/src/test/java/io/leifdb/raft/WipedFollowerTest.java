package io.leifdb.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Message.InstallSnapshot;
import org.junit.jupiter.api.Test;

/**
 * A follower whose storage was wiped (an operator deleted its data directory) comes back with an
 * empty log while the leader still holds its old match index. It must still be caught up, through
 * a snapshot, even if no new write arrives to expose the gap.
 */
class WipedFollowerTest {

    @Test
    void wipedFollowerTellsTheLeaderOnHeartbeatAndIsCaughtUpThroughASnapshot() {
        Network net = Network.of(3);
        net.elect(1);
        for (int i = 0; i < 5; i++) {
            net.node(1).propose(("v" + i).getBytes());
        }
        net.stabilize();
        long last = net.status(1).lastIndex();
        assertThat(net.status(1).peers().get(3L).match()).isEqualTo(last);
        net.storages.get(1L).createSnapshot(last, "state".getBytes());
        net.storages.get(1L).compact(last);

        // Node 3 loses its disk and restarts empty, with the same id and membership.
        net.add(3, Network.plain(3), new MemoryStorage(net.storages.get(2L).confState()));
        net.tickAll(3);
        net.stabilize();

        assertThat(net.sentOfType(InstallSnapshot.class)).anyMatch(m -> m.to() == 3);
        assertThat(net.storages.get(3L).snapshotMeta().index()).isEqualTo(last);
        assertThat(net.status(1).peers().get(3L).match()).isEqualTo(last);

        long next = net.node(1).propose("after".getBytes());
        net.stabilize();
        assertThat(net.status(1).peers().get(3L).match()).isEqualTo(next);
    }

    @Test
    void aHeartbeatCommitWithinOurLogIsNotMistakenForDataLoss() {
        Network net = Network.of(3);
        net.elect(1);
        net.node(1).propose("x".getBytes());
        net.stabilize();
        net.tickAll(3);
        net.stabilize();
        assertThat(net.sentOfType(Message.AppendResponse.class)).noneMatch(m -> m.reject() && m.index() == 0);
    }
}
