package io.leifdb.server.kv;

import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * One piece of a snapshot in transfer, the same on disk, in the node and on the wire: {@code data}
 * is the bytes of {@code file} starting at {@code offset}, {@code crc32c} their checksum, and
 * {@code last} marks the final chunk of {@code file}, so a receiver can complete each file as it
 * ends. Chunks of one file come in offset order without gaps; an empty file is one empty chunk
 * marked {@code last}; the first file of every transfer is {@code snapshot.meta}, and the
 * snapshot ends with the stream.
 */
public record SnapshotChunk(String file, long offset, byte[] data, int crc32c, boolean last) {
    public SnapshotChunk {
        Objects.requireNonNull(file, "file");
        if (file.isEmpty()) throw new IllegalArgumentException("chunk without a file name");
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

    private static int checksum(byte[] data) {
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
