package io.leifdb.server.kv;

import java.io.IOException;

/** Snapshot bytes that fail a checksum, a size check or the manifest format. */
public final class SnapshotCorruptException extends IOException {
    private static final long serialVersionUID = 1L;

    public SnapshotCorruptException(String message) {
        super(message);
    }
}
