package io.leifdb.server.kv;

import io.leifdb.server.config.DataDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** fsync, atomic replace and tree helpers: the small file-system steps crash safety is built from. */
final class DurableFiles {
    private DurableFiles() {
    }

    static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Makes a directory's entries (creates, renames, deletes) durable. */
    static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for sync; there the rename is as durable as it gets.
            if (!System.getProperty("os.name", "").toLowerCase().contains("win")) throw e;
        }
    }

    /** Fsyncs every regular file directly in {@code dir}, then the directory itself. */
    static void fsyncFilesAndDir(Path dir) throws IOException {
        for (Path f : listFiles(dir)) fsync(f);
        fsyncDir(dir);
    }

    /**
     * Replaces {@code target} with {@code content} so a crash leaves either the old or the new
     * content: write a temp file, fsync it, rename over the target, fsync the directory.
     */
    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = DataDir.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            var buf = java.nio.ByteBuffer.wrap(content);
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDir(target.getParent());
    }

    /** Renames {@code from} to {@code to} atomically and makes the rename durable. */
    static void renameDurably(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        fsyncDir(to.getParent());
    }

    /** Regular files directly inside {@code dir}, sorted by name. */
    static List<Path> listFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) files.add(p);
            }
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return files;
    }

    /**
     * Places {@code source} at {@code target} by hard link when possible (snapshot files are
     * immutable, so sharing them costs no space), else by copy.
     */
    static void linkOrCopy(Path source, Path target) throws IOException {
        try {
            Files.createLink(target, source);
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /** Deletes {@code root} and everything under it; a missing root is fine. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (NoSuchFileException ignored) {
                    // Already gone: deletion is idempotent.
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Deletes {@code root} after {@code cause} failed the work that filled it; a failing delete rides along. */
    static void deleteAfterFailure(Path root, Exception cause) {
        try {
            deleteTree(root);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    /** Total bytes of the regular files under {@code root}. */
    static long treeSize(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            long total = 0;
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p)) total += Files.size(p);
            }
            return total;
        }
    }
}
