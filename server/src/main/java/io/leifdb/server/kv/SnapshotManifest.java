package io.leifdb.server.kv;

import io.leifdb.server.config.DataDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The {@code snapshot.meta} file of a snapshot directory: the log position and membership the
 * snapshot covers and every data file with its size and CRC32C; conf is {@code ConfStateCodec} bytes
 * (older files are converted on read, see {@link LegacyManifestConf}). Layout (big-endian):
 * <pre>
 *   magic:i32 | version:u8 | index:i64 | term:i64 | confLen:i32 | conf |
 *   fileCount:i32 | { nameLen:u16 | name:utf8 | size:i64 | crc32c:i32 }* | crc32c of all before:i32
 * </pre>
 */
record SnapshotManifest(long index, long term, byte[] conf, List<FileEntry> files) {
    static final String FILE_NAME = "snapshot.meta";
    private static final int MAGIC = 0x4C534E50; // "LSNP"
    private static final byte VERSION = 1;
    // Names travel over the network into a staging directory, so only plain file names pass.
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    SnapshotManifest {
        conf = conf == null ? new byte[0] : conf.clone();
        files = List.copyOf(files);
        for (FileEntry f : files) requireSafeName(f.name());
    }

    /** One data file of a snapshot. */
    record FileEntry(String name, long size, int crc32c) {
    }

    static void requireSafeName(String name) {
        if (!SAFE_NAME.matcher(name).matches() || name.contains("..") || name.equals(FILE_NAME)) {
            throw new IllegalArgumentException("unsafe snapshot file name '" + name + "'");
        }
    }

    long totalBytes() {
        long total = 0;
        for (FileEntry f : files) total += f.size();
        return total;
    }

    byte[] encode() {
        List<byte[]> names = new ArrayList<>();
        int size = 4 + 1 + 8 + 8 + 4 + conf.length + 4 + 4;
        for (FileEntry f : files) {
            byte[] n = f.name().getBytes(StandardCharsets.UTF_8);
            names.add(n);
            size += 2 + n.length + 8 + 4;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(MAGIC).put(VERSION).putLong(index).putLong(term).putInt(conf.length).put(conf);
        out.putInt(files.size());
        for (int i = 0; i < files.size(); i++) {
            FileEntry f = files.get(i);
            out.putShort((short) names.get(i).length).put(names.get(i)).putLong(f.size()).putInt(f.crc32c());
        }
        out.putInt(crc(out.array(), out.position()));
        return out.array();
    }

    static SnapshotManifest decode(byte[] raw) throws SnapshotCorruptException {
        if (raw.length < 4 || crc(raw, raw.length - 4) != ByteBuffer.wrap(raw, raw.length - 4, 4).getInt()) {
            throw new SnapshotCorruptException(FILE_NAME + " checksum mismatch");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(raw, 0, raw.length - 4);
            if (in.getInt() != MAGIC) throw new SnapshotCorruptException(FILE_NAME + " has a bad magic number");
            byte version = in.get();
            if (version != VERSION) throw new SnapshotCorruptException(FILE_NAME + " version " + version + " unknown");
            long index = in.getLong();
            long term = in.getLong();
            byte[] conf = new byte[in.getInt()];
            in.get(conf);
            conf = LegacyManifestConf.upgrade(conf);
            int count = in.getInt();
            if (count < 0) throw new SnapshotCorruptException(FILE_NAME + " has a negative file count");
            List<FileEntry> files = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] name = new byte[Short.toUnsignedInt(in.getShort())];
                in.get(name);
                files.add(new FileEntry(new String(name, StandardCharsets.UTF_8), in.getLong(), in.getInt()));
            }
            if (in.hasRemaining()) throw new SnapshotCorruptException(FILE_NAME + " has trailing bytes");
            return new SnapshotManifest(index, term, conf, files);
        } catch (BufferUnderflowException | NegativeArraySizeException | IllegalArgumentException e) {
            throw new SnapshotCorruptException(FILE_NAME + " is malformed: " + e);
        }
    }

    static SnapshotManifest read(Path snapshotDir) throws IOException {
        return decode(Files.readAllBytes(snapshotDir.resolve(FILE_NAME)));
    }

    /** Writes and fsyncs {@code snapshot.meta} into {@code dir}. */
    void write(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        DataDir.write(file, encode());
        DurableFiles.fsync(file);
    }

    /** Describes every file now in {@code dir} (except the manifest) with its size and CRC32C. */
    static List<FileEntry> describe(Path dir) throws IOException {
        List<FileEntry> files = new ArrayList<>();
        for (Path f : DurableFiles.listFiles(dir)) {
            String name = f.getFileName().toString();
            if (name.equals(FILE_NAME)) continue;
            files.add(new FileEntry(name, Files.size(f), crcOf(f)));
        }
        return files;
    }

    /** Checks that every listed file is present with the listed size and CRC32C. */
    void verify(Path dir) throws IOException {
        for (FileEntry f : files) {
            Path p = dir.resolve(f.name());
            if (!Files.isRegularFile(p)) throw new SnapshotCorruptException("snapshot file " + f.name() + " missing");
            if (Files.size(p) != f.size()) {
                throw new SnapshotCorruptException("snapshot file " + f.name() + " has " + Files.size(p)
                        + " bytes, expected " + f.size());
            }
            if (crcOf(p) != f.crc32c()) throw new SnapshotCorruptException("snapshot file " + f.name() + " CRC mismatch");
        }
    }

    static int crcOf(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) crc.update(buf, 0, n);
        }
        return (int) crc.getValue();
    }

    static int crc(byte[] bytes, int len) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, len);
        return (int) crc.getValue();
    }
}
