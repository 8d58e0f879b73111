package io.leifdb.server.node;

import io.leifdb.raft.ConfState;
import io.leifdb.server.config.DataDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The durable record that this member is joining ({@code <data>/joining}): written before a node
 * with LEIFDB_JOIN asks the cluster to add it, and removed once it has applied a configuration that
 * names it. Until then a membership without it is one it has not reached yet, not one that removed
 * it, so it answers {@code joining}, not {@code removed}; a restart keeps the difference. A directory
 * with no marker (a bootstrap member's, or one that joined before the marker existed) was a member
 * of every configuration it applied first, so leaving one means it was removed.
 */
final class JoinMarker {
    private static final Logger log = LoggerFactory.getLogger(JoinMarker.class);
    static final String FILE = "joining";

    private final Path dataDir;
    private final long self;
    /** Read at construction and kept by this class alone, so HTTP handlers ask it without a system call. */
    private volatile boolean present;

    JoinMarker(Path dataDir, long self) {
        this.dataDir = dataDir;
        this.self = self;
        this.present = Files.exists(dataDir.resolve(FILE));
    }

    /** Creates the marker and makes it and its directory entry durable before returning. */
    static void write(Path dataDir) throws IOException {
        DataDir.writeDurably(dataDir.resolve(FILE), ("this member asked to join the cluster and has not yet applied the configuration that"
                + " adds it; the node removes this file itself\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether this member has not yet applied a configuration that names it. */
    boolean present() {
        return present;
    }

    /**
     * On the driver thread, for every configuration applied (a CONFIG entry, or an installed snapshot's):
     * the first that names this member ends joining. Called after the entry is durable in the log, so
     * a crash before the removal is durable starts with a log whose membership names it.
     */
    void applied(ConfState conf) {
        if (!present || !(conf.voters().contains(self) || conf.learners().contains(self))) return;
        present = false; // in memory at once: the log names it, whatever the file does
        try {
            DataDir.deleteDurably(dataDir.resolve(FILE));
            log.info("joined: applied the configuration that adds member {} ({} removed)", self, FILE);
        } catch (IOException | UncheckedIOException e) {
            log.warn("joined, but cannot remove {}: the next start removes it: {}", dataDir.resolve(FILE), e.toString());
        }
    }
}
