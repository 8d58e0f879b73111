package io.leifdb.server.backup;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Reads a backup archive front to back and checks it whole: the manifest comes first, every entry
 * it lists arrives once with its size and SHA-256, and nothing else is there. A truncated or damaged
 * file fails with one {@link BackupException} line.
 */
public final class BackupReader {
    private BackupReader() {
    }

    /** Checks {@code file} without writing anything; returns its manifest. */
    public static BackupManifest verify(Path file) throws IOException {
        return read(file, null);
    }

    /**
     * Checks {@code file} and writes its RocksDB files into {@code into} (an existing, empty directory).
     * Call {@link #verify} first: a failure here leaves what was already written.
     */
    public static BackupManifest extract(Path file, Path into) throws IOException {
        return read(file, into);
    }

    private static BackupManifest read(Path file, Path into) throws IOException {
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new BackupException(file + " does not exist");
        }
        try (ZipInputStream zip = new ZipInputStream(raw)) {
            ZipEntry first = zip.getNextEntry();
            if (first == null || !first.getName().equals(BackupArchive.MANIFEST_ENTRY)) {
                throw new BackupException(file + " is not a LeifDB backup (it does not start with "
                        + BackupArchive.MANIFEST_ENTRY + ")");
            }
            BackupManifest m = BackupManifest.decode(zip.readNBytes(1 << 20));
            Map<String, BackupManifest.FileSum> expected = new HashMap<>();
            for (BackupManifest.FileSum f : m.files()) expected.put(BackupArchive.DATA_PREFIX + f.name(), f);
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                BackupManifest.FileSum want = expected.remove(e.getName());
                if (want == null) throw new BackupException(file + " holds " + e.getName() + ", which backup.json does not list (or lists once)");
                check(file, want, zip, into == null ? null : into.resolve(want.name()));
            }
            if (!expected.isEmpty()) {
                throw new BackupException(file + " is truncated: " + expected.size() + " of " + m.files().size()
                        + " files are missing, e.g. " + expected.keySet().iterator().next());
            }
            requireWholeDirectory(file, m);
            return m;
        } catch (EOFException | ZipException e) {
            throw new BackupException(file + " is truncated or damaged: " + e.getMessage());
        }
    }

    /** The ZIP's closing directory comes last, so a transfer cut after the data is caught here. */
    private static void requireWholeDirectory(Path file, BackupManifest m) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() != m.files().size() + 1) {
                throw new BackupException(file + " is damaged: its directory lists " + zip.size() + " entries, expected "
                        + (m.files().size() + 1));
            }
        }
    }

    private static void check(Path file, BackupManifest.FileSum want, InputStream in, Path out) throws IOException {
        MessageDigest sha = BackupManifest.sha256();
        long size = 0;
        byte[] buf = new byte[64 << 10];
        try (OutputStream sink = out == null ? OutputStream.nullOutputStream() : Files.newOutputStream(out)) {
            for (int n; (n = in.read(buf)) > 0; size += n) {
                sha.update(buf, 0, n);
                sink.write(buf, 0, n);
            }
        }
        if (size != want.size()) {
            throw new BackupException(file + " is truncated or damaged: " + want.name() + " has " + size
                    + " bytes, backup.json says " + want.size());
        }
        if (!HexFormat.of().formatHex(sha.digest()).equals(want.sha256())) {
            throw new BackupException(file + " is damaged: " + want.name() + " fails its SHA-256 check");
        }
    }
}
