package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.server.transport.ClusterIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restored data directory keeps a cluster id of its own, still bound to its member list. */
class ClusterIdentityRestoreTest {
    private static final List<String> MEMBERS = List.of("a:1", "b:2", "c:3");

    @TempDir
    Path dir;

    @Test
    void restoredIdDiffersFromTheMemberListsOwnAndIsCheckedAtStart() throws IOException {
        long restored = ClusterIdentity.storeRestored(dir, MEMBERS, 42);
        assertThat(restored).isNotEqualTo(ClusterIds.of(MEMBERS)).isNotEqualTo(ClusterIds.of(MEMBERS, 43));
        assertThat(ClusterIdentity.load(dir, List.of("C:3", "a:1", "b:2"))).as("order and case do not matter")
                .isEqualTo(restored);
        assertThatThrownBy(() -> ClusterIdentity.load(dir, List.of("a:1", "b:2", "d:4")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to cluster " + ClusterIds.format(restored));
    }

    @Test
    void aDamagedRestoreLineStopsTheNode() throws IOException {
        ClusterIdentity.storeRestored(dir, MEMBERS, 42);
        Path file = dir.resolve(ClusterIdentity.FILE);
        Files.writeString(file, Files.readString(file).replace("restored 000000000000002a", "restored xyz"));
        assertThatThrownBy(() -> ClusterIdentity.load(dir, MEMBERS)).hasMessageContaining("is damaged");
    }
}
