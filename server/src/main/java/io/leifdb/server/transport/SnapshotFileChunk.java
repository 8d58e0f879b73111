package io.leifdb.server.transport;

import java.util.zip.CRC32C;

/**
 * A piece of one snapshot file. {@code crc32c} covers {@code data}; {@code last} marks the
 * final piece of {@code fileName}, so a sink can sync and close that file. Pieces of one file
 * come in offset order with no gaps; an empty file is one chunk with no data and {@code last}.
 */
public record SnapshotFileChunk(String fileName, long offset, byte[] data, int crc32c, boolean last) {
    public SnapshotFileChunk {
        if (fileName == null || fileName.isEmpty()) throw new IllegalArgumentException("chunk without a file name");
        if (offset < 0) throw new IllegalArgumentException("negative offset " + offset);
        if (data == null) data = new byte[0];
    }

    /** A chunk whose checksum is computed from {@code data}. */
    public static SnapshotFileChunk of(String fileName, long offset, byte[] data, boolean last) {
        return new SnapshotFileChunk(fileName, offset, data, crc32c(data), last);
    }

    public static int crc32c(byte[] data) {
        CRC32C c = new CRC32C();
        c.update(data);
        return (int) c.getValue();
    }
}
