package io.leifdb.bench.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Scratch directories for benchmarks that touch the disk, removed again at tear-down. */
final class TempDirs {
    /** Parent directory for scratch data; should sit on the disk under test. */
    static final String DIR_PROPERTY = "leifdb.jmh.dir";

    private TempDirs() {
    }

    static Path create(String prefix) throws IOException {
        String parent = System.getProperty(DIR_PROPERTY);
        if (parent == null || parent.isBlank()) {
            return Files.createTempDirectory(prefix);
        }
        Path base = Path.of(parent);
        Files.createDirectories(base);
        return Files.createTempDirectory(base, prefix);
    }

    static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
