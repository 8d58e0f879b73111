package io.leifdb.server.kv;

import static io.leifdb.server.kv.KvFixtures.TERM;
import static io.leifdb.server.kv.KvFixtures.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replicated address book (issue 13): applied like auth state, kept across restarts, carried by snapshots. */
class AddressBookTest {
    @TempDir
    Path dir;

    private static Entry set(long index, long id, String raft, String http) {
        return Entry.normal(TERM, index, new AddressBook.Set(id, new AddressBook.Addresses(raft, http)).encode());
    }

    @Test
    void aLaterEntryMovesAMember_andTheBookSurvivesARestart() throws IOException {
        try (KvStore kv = KvStore.open(dir.resolve("kv"))) {
            ApplyResult r = kv.apply(List.of(set(1, 7, "a:1", "a:2"), put(2, "k", "v"), set(3, 9, "b:1", "b:2"),
                    set(4, 7, "a:11", "a:12")));
            assertThat(r.outcomes()).hasSize(4);
            assertThat(kv.addresses().entries()).containsOnlyKeys(7L, 9L);
            assertThat(kv.addresses().of(7)).hasValue(new AddressBook.Addresses("a:11", "a:12"));
            assertThat(kv.get("k")).isPresent();
        }
        try (KvStore again = KvStore.open(dir.resolve("kv"))) {
            assertThat(again.addresses().of(7)).hasValue(new AddressBook.Addresses("a:11", "a:12"));
            assertThat(again.addresses().of(9)).hasValue(new AddressBook.Addresses("b:1", "b:2"));
        }
    }

    @Test
    void aRestoreForgetsTheBookOfTheClusterTheBackupCameFrom() throws IOException {
        try (KvStore kv = KvStore.open(dir.resolve("kv"))) {
            kv.apply(List.of(set(1, 7, "a:1", "a:2")));
            kv.clearAddresses();
            assertThat(kv.addresses().entries()).isEmpty();
        }
        try (KvStore again = KvStore.open(dir.resolve("kv"))) {
            assertThat(again.addresses().entries()).isEmpty();
            assertThat(again.appliedIndex()).isEqualTo(1);
        }
    }

    @Test
    void anUndecodableEntryChangesNothingButIsApplied() throws IOException {
        try (KvStore kv = KvStore.open(dir.resolve("kv"))) {
            byte[] truncated = {AddressBook.FORMAT, 1, 0, 0};
            ApplyResult r = kv.apply(List.of(Entry.normal(TERM, 1, truncated)));
            assertThat(r.outcomes().getFirst()).isInstanceOf(ApplyResult.Rejected.class);
            assertThat(kv.addresses().entries()).isEmpty();
            assertThat(kv.appliedIndex()).isEqualTo(1);
        }
    }

    @Test
    void aSnapshotCarriesTheBookToAnEmptyMember() throws IOException {
        try (KvStore leader = KvStore.open(dir.resolve("leader"));
             KvStore joiner = KvStore.open(dir.resolve("joiner"))) {
            leader.apply(List.of(set(1, 7, "a:1", "a:2"), put(2, "k", "v")));
            SnapshotStore taken = SnapshotStore.open(dir.resolve("snaps"), leader);
            SnapshotInfo info = taken.take(2, TERM, new byte[] {1});
            joiner.installSnapshot(info.dir());
            assertThat(joiner.addresses().of(7)).hasValue(new AddressBook.Addresses("a:1", "a:2"));
            assertThat(joiner.appliedIndex()).isEqualTo(2);
        }
    }
}
