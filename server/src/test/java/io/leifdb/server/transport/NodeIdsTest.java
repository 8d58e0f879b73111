package io.leifdb.server.transport;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeIdsTest {
    @Test
    void idIsTheFirstEightBytesOfSha256WithoutSignBit() {
        // Expected values computed independently (Python hashlib); they pin the id across releases.
        assertThat(NodeIds.idOf("localhost:16990")).isEqualTo(865066879138314276L);
        assertThat(NodeIds.idOf("localhost:16991")).isEqualTo(940329829391388653L);
        assertThat(NodeIds.idOf("127.0.0.1:16990")).isEqualTo(1079233498709679545L);
    }

    @Test
    void idIgnoresHostCaseAndSurroundingBlanks() {
        assertThat(NodeIds.idOf(" LocalHost:16990 ")).isEqualTo(NodeIds.idOf("localhost:16990"));
    }

    @Test
    void idsArePositiveAndDistinctAcrossManyAddresses() {
        Set<Long> seen = new HashSet<>();
        for (int port = 1; port <= 5000; port++) {
            long id = NodeIds.idOf("node-" + (port % 7) + ":" + port);
            assertThat(id).isPositive();
            seen.add(id);
        }
        assertThat(seen).hasSize(5000);
    }

    @Test
    void idRejectsAddressWithoutPort() {
        assertThatThrownBy(() -> NodeIds.idOf("localhost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeIds.idOf("localhost:")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeIds.idOf("localhost:http")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeIds.idOf("localhost:70000")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostPortParsesIpv6Literals() {
        HostPort hp = HostPort.parse("[::1]:16990");
        assertThat(hp.host()).isEqualTo("::1");
        assertThat(hp.port()).isEqualTo(16990);
        assertThat(hp.target()).isEqualTo("[::1]:16990");
    }
}
