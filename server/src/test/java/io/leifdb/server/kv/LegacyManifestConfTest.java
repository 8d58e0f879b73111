package io.leifdb.server.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.ConfStateCodec;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LegacyManifestConfTest {
    private static final ConfState CONF = ConfState.of(Set.of(3L, 1L, 2L), Set.of(9L));

    /** The layout snapshot.meta used before the one codec: counts first, then voter and learner ids. */
    private static byte[] legacy(ConfState cs) {
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * (cs.voters().size() + cs.learners().size()));
        b.putInt(cs.voters().size()).putInt(cs.learners().size());
        cs.voters().forEach(b::putLong);
        cs.learners().forEach(b::putLong);
        return b.array();
    }

    @Test
    void aManifestWrittenWithTheOldLayoutReadsAsTheCodecsBytes() throws Exception {
        SnapshotManifest old = new SnapshotManifest(12, 3, legacy(CONF), List.of());
        SnapshotManifest read = SnapshotManifest.decode(old.encode());
        assertThat(read.conf()).isEqualTo(ConfStateCodec.encode(CONF));
        assertThat(ConfStateCodec.decode(read.conf())).isEqualTo(CONF);
    }

    @Test
    void codecBytesAndEmptyBytesPassUnchanged() throws Exception {
        byte[] codec = ConfStateCodec.encode(CONF);
        assertThat(LegacyManifestConf.upgrade(codec)).isSameAs(codec);
        assertThat(LegacyManifestConf.upgrade(new byte[0])).isEmpty();
    }

    @Test
    void aMalformedOldLayoutIsRefusedAsCorrupt() {
        byte[] truncated = Arrays.copyOf(legacy(CONF), 20);
        assertThatThrownBy(() -> LegacyManifestConf.upgrade(truncated)).isInstanceOf(SnapshotCorruptException.class);
        assertThatThrownBy(() -> LegacyManifestConf.upgrade(new byte[] {0, 0, 0})).isInstanceOf(SnapshotCorruptException.class);
    }
}
