package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.CraftPolicy;
import io.leifdb.raft.Entry;
import io.leifdb.raft.ErasureCoding;
import io.leifdb.raft.SnapshotMeta;
import io.leifdb.server.kv.Command;
import io.leifdb.server.kv.Recode;
import io.leifdb.server.storage.SegmentedWal;
import io.leifdb.server.transport.ShareSource.Share;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GetShare from the log: a write that the store no longer (or not yet) shows is still served while its entry is logged. */
class LogSharesTest {
    private static final ErasureCoding CODING = CraftPolicy.defaults().withDataShards(3).withMinCodedBytes(64)
            .withClearPrefix(Command::clearLength).coding(ConfState.of(Set.of(1L, 2L, 3L, 4L, 5L)));
    private static final byte[] BIG = "b".repeat(1000).getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private SegmentedWal wal;

    @BeforeEach
    void open() {
        wal = SegmentedWal.open(dir.resolve("wal"));
    }

    @AfterEach
    void close() {
        wal.close();
    }

    private static Entry put(long term, long index, String key, byte[] value) {
        return Entry.normal(term, index, new Command.Put(key, value).encode());
    }

    @Test
    void aFragmentEntryIsAnsweredWithThatFragment() {
        Entry whole = put(2, 1, "k", BIG);
        Entry fragment = CODING.encode(whole)[3];
        wal.append(List.of(fragment));
        Share s = LogShares.find(wal, "k", 1, 2);
        assertThat(s.whole()).isFalse();
        assertThat(s.bytes()).isEqualTo(fragment.data());
    }

    @Test
    void aFullEntryIsAnsweredWithTheWholeValue() {
        wal.append(List.of(put(2, 1, "k", BIG), put(2, 2, "k", "newer".getBytes(StandardCharsets.UTF_8))));
        Share s = LogShares.find(wal, "k", 1, 2);
        assertThat(s.whole()).isTrue();
        assertThat(s.bytes()).isEqualTo(BIG);
    }

    @Test
    void anotherTermAnotherKeyAnIndexOutsideTheLogOrNotAPutIsNothing() {
        wal.append(List.of(put(2, 1, "k", BIG), Entry.noop(3, 2),
                Entry.normal(3, 3, new Command.Delete("k").encode())));
        assertThat(LogShares.find(wal, "k", 1, 3)).as("other term").isNull();
        assertThat(LogShares.find(wal, "other", 1, 2)).as("other key").isNull();
        assertThat(LogShares.find(wal, "k", 2, 3)).as("no-op").isNull();
        assertThat(LogShares.find(wal, "k", 3, 3)).as("delete").isNull();
        assertThat(LogShares.find(wal, "k", 4, 3)).as("past the end").isNull();
        assertThat(LogShares.find(wal, "k", 0, 0)).as("before the start").isNull();
    }

    @Test
    void aRecodeEntryIsAnsweredLikeAPutOfItsKey() {
        Entry recode = Entry.normal(4, 2, new Recode("k", 1, BIG).encode());
        wal.append(List.of(put(2, 1, "k", BIG), CODING.encode(recode)[2]));
        Share s = LogShares.find(wal, "k", 2, 4);
        assertThat(s.whole()).isFalse();
        assertThat(s.bytes()).isEqualTo(CODING.encode(recode)[2].data());
        assertThat(LogShares.find(wal, "other", 2, 4)).as("other key").isNull();
        wal.append(List.of(recode)); // the leader's full copy replaces the fragment in place
        assertThat(LogShares.find(wal, "k", 2, 4).bytes()).isEqualTo(BIG);
    }

    @Test
    void aCompactedEntryIsNothing() {
        wal.append(List.of(put(2, 1, "k", BIG), put(2, 2, "j", BIG)));
        wal.compact(new SnapshotMeta(1, 2, ConfState.of(Set.of(1L))));
        assertThat(LogShares.find(wal, "k", 1, 2)).isNull();
        assertThat(Arrays.equals(LogShares.find(wal, "j", 2, 2).bytes(), BIG)).isTrue();
    }
}
