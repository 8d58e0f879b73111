package io.leifdb.server.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What lives under LEIFDB_DATA_DIR is readable by its owner alone: directories this code creates
 * are 0700 and files 0600, whatever the process umask (which can only take bits away). RocksDB's
 * own files follow the umask, which the launcher sets to 077. Where the file system has no POSIX
 * modes the platform's defaults apply.
 */
public final class DataDir {
    private static final FileAttribute<?> OWNER_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<?> OWNER_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private DataDir() {
    }

    /** Creates {@code dir} and any missing parent 0700; directories that already exist are left as they are. */
    public static Path create(Path dir) throws IOException {
        return posix(dir) ? Files.createDirectories(dir, OWNER_DIR) : Files.createDirectories(dir);
    }

    /** {@link FileChannel#open(Path, OpenOption...)}, except that a file it creates is 0600. */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        Set<OpenOption> set = new HashSet<>(Arrays.asList(options));
        return posix(file) ? FileChannel.open(file, set, OWNER_FILE) : FileChannel.open(file, set);
    }

    /** Writes {@code content} to {@code file}, creating it 0600 or replacing what it held (no fsync). */
    public static void write(Path file, byte[] content) throws IOException {
        try (FileChannel ch = open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) ch.write(buf);
        }
    }

    /** {@link #write}, then fsyncs the file and its directory: the file and its content survive a crash. */
    public static void writeDurably(Path file, byte[] content) throws IOException {
        write(file, content);
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        syncParent(file);
    }

    /** Deletes {@code file} if it exists and fsyncs its directory, so the removal survives a crash. */
    public static void deleteDurably(Path file) throws IOException {
        Files.deleteIfExists(file);
        syncParent(file);
    }

    private static void syncParent(Path file) throws IOException {
        try (FileChannel d = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** Deletes {@code root} and everything under it; a missing root is fine. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
