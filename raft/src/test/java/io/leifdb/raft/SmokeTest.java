package io.leifdb.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void threeNodesElectAndReplicate() {
        Network net = Network.of(3);
        net.elect(1);
        long idx = net.node(1).propose("x".getBytes());
        net.stabilize();
        net.tickAll(2);
        for (long id = 1; id <= 3; id++) {
            assertThat(net.applied.get(id)).extracting(Entry::index).contains(idx);
        }
    }
}
