package io.leifdb.server.kv;

import io.leifdb.server.config.DataDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The KV root holds numbered RocksDB directories {@code gen-<n>} and a {@code CURRENT} file
 * naming the live one. CURRENT is only ever replaced by write-temp, fsync, atomic rename, so
 * after a crash it names exactly one complete generation: replacing the whole state (snapshot
 * install) is a single rename, and any other generation is debris to delete.
 */
final class Generations {
    static final String POINTER = "CURRENT";
    private static final Pattern NAME = Pattern.compile("gen-(\\d{1,18})");

    private final Path root;

    Generations(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /**
     * Finds the live generation after a start or crash and deletes every other one. Returns
     * null when the store has never been initialised (no CURRENT yet): directories found then
     * are leftovers of an interrupted first open, since CURRENT is written only once they are
     * complete.
     */
    Path recover() throws IOException {
        DataDir.create(root);
        Files.deleteIfExists(root.resolve(POINTER + ".tmp"));
        Path pointer = root.resolve(POINTER);
        Path live = null;
        if (Files.exists(pointer)) {
            String name = Files.readString(pointer, StandardCharsets.UTF_8).strip();
            if (!NAME.matcher(name).matches()) {
                throw new IOException("KV pointer " + pointer + " holds '" + name + "', not a generation name");
            }
            live = root.resolve(name);
            if (!Files.isDirectory(live)) {
                throw new IOException("KV generation " + live + " named by " + pointer + " is missing");
            }
        }
        for (Path gen : generations()) {
            if (!gen.equals(live)) DurableFiles.deleteTree(gen);
        }
        DurableFiles.fsyncDir(root);
        return live;
    }

    /** A path for a new generation, numbered above every existing one; not created. */
    Path next() throws IOException {
        long max = 0;
        for (Path gen : generations()) max = Math.max(max, number(gen));
        return root.resolve("gen-" + (max + 1));
    }

    /** Makes {@code gen} the live generation: the commit point of an install. */
    void point(Path gen) throws IOException {
        if (!gen.getParent().equals(root) || !NAME.matcher(gen.getFileName().toString()).matches()) {
            throw new IllegalArgumentException("not a generation of " + root + ": " + gen);
        }
        DurableFiles.writeAtomically(root.resolve(POINTER),
                (gen.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private List<Path> generations() throws IOException {
        List<Path> gens = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                if (Files.isDirectory(p) && NAME.matcher(p.getFileName().toString()).matches()) gens.add(p);
            }
        }
        return gens;
    }

    private static long number(Path gen) {
        Matcher m = NAME.matcher(gen.getFileName().toString());
        if (!m.matches()) throw new IllegalArgumentException(gen.toString());
        return Long.parseLong(m.group(1));
    }
}
