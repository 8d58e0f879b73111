package io.leifdb.raft;

/**
 * A state-machine snapshot (§7). {@code data} is opaque and may be empty: the server streams
 * snapshot files out of band and hands the core only the metadata once the files are staged;
 * the simulation carries the serialized state here.
 */
public record Snapshot(SnapshotMeta meta, byte[] data) {
    public Snapshot {
        if (data == null) data = new byte[0];
    }
}
