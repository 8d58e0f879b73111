package io.leifdb.server.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Entry;
import io.leifdb.server.auth.AuthCommand;
import io.leifdb.server.auth.Role;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Auth entries change the replicated auth state, never a key; the state survives a reopen and travels in snapshots. */
class AuthApplyTest {
    @TempDir
    Path dir;

    private static Entry auth(long index, AuthCommand c) {
        return Entry.normal(KvFixtures.TERM, index, c.encode());
    }

    @Test
    void authEntriesApplyInOrderRefuseAlikeAndAreKeptApartFromKeys() throws IOException {
        try (KvStore kv = KvStore.open(dir.resolve("kv"))) {
            ApplyResult r = kv.apply(List.of(
                    auth(1, new AuthCommand.AddUser("root", "hash")),
                    auth(2, new AuthCommand.AddUser("root", "other")),
                    auth(3, new AuthCommand.GrantRoles("root", List.of(Role.ROOT))),
                    auth(4, new AuthCommand.Enable(new byte[] {1, 2})),
                    KvFixtures.put(5, "k", "v")));
            assertThat(r.outcome(1)).contains(new ApplyResult.Applied(1, 1));
            assertThat(r.outcome(2)).hasValueSatisfying(o -> assertThat(o).isInstanceOf(ApplyResult.Refused.class));
            assertThat(kv.auth().enabled()).isTrue();
            assertThat(kv.auth().user("root").orElseThrow().passwordHash()).isEqualTo("hash");
            assertThat(KvFixtures.dump(kv)).containsOnlyKeys("k");
            assertThat(kv.listKeys("", "", "", 100, 1 << 20).keys()).containsExactly("k");
        }
        try (KvStore reopened = KvStore.open(dir.resolve("kv"))) {
            assertThat(reopened.auth().enabled()).isTrue();
            assertThat(reopened.auth().isRoot(reopened.auth().user("root").orElseThrow())).isTrue();
        }
    }

    @Test
    void aFollowerInstallingASnapshotGetsTheUsers() throws IOException {
        try (KvStore leader = KvStore.open(dir.resolve("leader/kv")); KvStore follower = KvStore.open(dir.resolve("follower/kv"))) {
            leader.apply(List.of(auth(1, new AuthCommand.Bootstrap("h", new byte[] {7})), KvFixtures.put(2, "k", "v")));
            SnapshotInfo s = SnapshotStore.open(dir.resolve("leader/snapshots"), leader).take(2, KvFixtures.TERM, new byte[] {5});
            follower.installSnapshot(s.dir());
            assertThat(follower.auth()).isEqualTo(leader.auth());
            assertThat(follower.auth().enabled()).isTrue();
        }
    }
}
