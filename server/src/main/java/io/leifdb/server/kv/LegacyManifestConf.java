package io.leifdb.server.kv;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.ConfStateCodec;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the membership of a {@code snapshot.meta} written before the one membership codec, whose
 * conf bytes were {@code voters:i32 | learners:i32 | voter ids:i64* | learner ids:i64*}, and
 * rewrites them as {@link ConfStateCodec} bytes. Told apart by the first byte: a count below 2^24
 * starts with 0, and the codec's version byte is never 0.
 */
final class LegacyManifestConf {
    private LegacyManifestConf() {
    }

    /** The conf bytes in the codec's encoding; bytes already in it (or empty) come back as they are. */
    static byte[] upgrade(byte[] conf) throws SnapshotCorruptException {
        if (conf.length == 0 || conf[0] != 0) return conf;
        ByteBuffer b = ByteBuffer.wrap(conf);
        if (conf.length < 8) throw new SnapshotCorruptException(SnapshotManifest.FILE_NAME + " has a truncated membership");
        int voters = b.getInt();
        int learners = b.getInt();
        if (voters < 0 || learners < 0 || conf.length != 8 + 8L * ((long) voters + learners)) {
            throw new SnapshotCorruptException(SnapshotManifest.FILE_NAME + " has a malformed membership");
        }
        Set<Long> v = new TreeSet<>();
        Set<Long> l = new TreeSet<>();
        for (int i = 0; i < voters; i++) v.add(b.getLong());
        for (int i = 0; i < learners; i++) l.add(b.getLong());
        return ConfStateCodec.encode(ConfState.of(v, l));
    }
}
