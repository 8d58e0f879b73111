package io.leifdb.server.kv;

import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * One piece of a snapshot in transfer: {@code data} is the bytes of {@code file} starting at
 * {@code offset}, {@code crc32c} their checksum, and {@code last} marks the final chunk of the
 * whole snapshot. The first file of every transfer is {@code snapshot.meta}.
 */
public record SnapshotChunk(String file, long offset, byte[] data, int crc32c, boolean last) {
    public SnapshotChunk {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(data, "data");
        if (offset < 0) throw new IllegalArgumentException("offset must be >= 0, was " + offset);
    }

    /** A chunk whose checksum is computed from {@code data}. */
    public static SnapshotChunk of(String file, long offset, byte[] data, boolean last) {
        return new SnapshotChunk(file, offset, data, checksum(data), last);
    }

    /** Whether {@code data} still matches {@code crc32c}. */
    public boolean intact() {
        return checksum(data) == crc32c;
    }

    static int checksum(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return (int) crc.getValue();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotChunk c && c.file.equals(file) && c.offset == offset && c.crc32c == crc32c
                && c.last == last && Arrays.equals(c.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, offset, crc32c, last);
    }

    @Override
    public String toString() {
        return "SnapshotChunk{" + file + "@" + offset + ", " + data.length + "B" + (last ? ", last" : "") + "}";
    }
}
