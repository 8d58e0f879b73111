package io.leifdb.server.kv;

import java.nio.file.Path;

/**
 * A complete snapshot on disk: its directory, the last log index and term it covers, the
 * membership (raw CONFIG entry data) at that index, and the total size of its data files.
 */
public record SnapshotInfo(Path dir, long index, long term, byte[] confData, long sizeBytes) {
    public SnapshotInfo {
        confData = confData == null ? new byte[0] : confData.clone();
    }

    @Override
    public byte[] confData() {
        return confData.clone();
    }

    static SnapshotInfo of(Path dir, SnapshotManifest m) {
        return new SnapshotInfo(dir, m.index(), m.term(), m.conf(), m.totalBytes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotInfo s && s.dir.equals(dir) && s.index == index && s.term == term
                && java.util.Arrays.equals(s.confData, confData) && s.sizeBytes == sizeBytes;
    }

    @Override
    public int hashCode() {
        return dir.hashCode() * 31 + Long.hashCode(index);
    }

    @Override
    public String toString() {
        return "SnapshotInfo{" + index + "@" + term + ", " + sizeBytes + "B, " + dir + "}";
    }
}
