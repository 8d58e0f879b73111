package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.server.transport.ClusterIds;
import io.leifdb.server.transport.NodeIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13: a member's id belongs to its data directory; directories from before ids are migrated in place. */
class MemberIdTest {
    @TempDir
    Path dir;

    @Test
    void aDirectoryFromBeforeMemberIdsKeepsTheIdItsAddressDerived() throws IOException {
        ClusterIdentity.load(dir, List.of("a:1", "b:2", "c:3")); // what an older version left behind
        assertThat(MemberId.stored(dir)).isEmpty();
        assertThat(MemberId.loadOrDerive(dir, "b:2")).isEqualTo(NodeIds.idOf("b:2"));
        assertThat(Files.readString(dir.resolve(MemberId.FILE)).strip()).isEqualTo(Long.toString(NodeIds.idOf("b:2")));
        // Once stored, the address no longer decides: the member may move.
        assertThat(MemberId.loadOrDerive(dir, "b:9999")).isEqualTo(NodeIds.idOf("b:2"));
    }

    @Test
    void joinersDrawRandomIds_andAJoinedDirectoryIgnoresTheMemberList() throws IOException {
        long a = MemberId.random();
        long b = MemberId.random();
        assertThat(a).isPositive().isNotEqualTo(b);
        MemberId.store(dir, a);
        ClusterIdentity.storeJoined(dir, 0x1234L);
        assertThat(ClusterIdentity.joined(dir)).isTrue();
        assertThat(ClusterIdentity.load(dir, List.of("x:1"))).isEqualTo(0x1234L);
        assertThat(MemberId.stored(dir)).hasValue(a);
    }

    @Test
    void anotherClustersDirectoryStillRefusesWithOneLine() throws IOException {
        ClusterIdentity.load(dir, List.of("a:1", "b:2"));
        assertThatThrownBy(() -> ClusterIdentity.load(dir, List.of("a:1", "c:3")))
                .hasMessageContaining("belongs to cluster " + ClusterIds.format(ClusterIds.of(List.of("a:1", "b:2"))))
                .hasMessageNotContaining("\n");
    }

    @Test
    void aDamagedIdFileSaysSo() throws IOException {
        Files.writeString(dir.resolve(MemberId.FILE), "-5\n");
        assertThatThrownBy(() -> MemberId.stored(dir)).hasMessageContaining("is damaged");
    }
}
