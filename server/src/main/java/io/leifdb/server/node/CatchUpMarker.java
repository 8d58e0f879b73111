package io.leifdb.server.node;

import io.leifdb.server.config.DataDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The durable record that this member may have lost state it had acknowledged ({@code
 * <data>/catching-up}): written before a member with an empty data directory asks or writes
 * anything else, and removed once a leader has caught it up and the Ready saying so is durable.
 * While it exists, every start is a start as catching up (raft's {@code RaftConfig.catchingUp}).
 */
final class CatchUpMarker {
    private static final Logger log = LoggerFactory.getLogger(CatchUpMarker.class);
    static final String FILE = "catching-up";

    private final Path file;
    /** Read at construction and kept by this class alone, so the driver's check costs no system call. */
    private volatile boolean present;

    CatchUpMarker(Path dataDir) {
        this.file = dataDir.resolve(FILE);
        this.present = Files.exists(file);
    }

    boolean present() {
        return present;
    }

    /** Creates the marker (0600) and makes it and its directory entry durable before returning. */
    void write() throws IOException {
        DataDir.writeDurably(file, ("this member lost its data and may not vote until a leader has caught it up;"
                + " the node removes this file itself\n").getBytes(StandardCharsets.US_ASCII));
        present = true;
    }

    /** Removes the marker durably; nothing happens when there is none. */
    void clear() throws IOException {
        if (!present) return;
        DataDir.deleteDurably(file);
        present = false;
    }

    /**
     * Called by the driver once the Ready that ended catching up is durable (led by {@code leader}):
     * removes the marker. A failure is only logged: keeping the marker is safe (the next start
     * catches up again), removing it before that Ready is durable is not.
     */
    void caughtUp(long leader) {
        if (!present) return;
        try {
            clear();
            log.info("caught up by leader {}: this member votes again ({} removed)", leader, file);
        } catch (IOException | UncheckedIOException e) {
            log.warn("caught up, but cannot remove {}: the next start will catch up again: {}", file, e.toString());
        }
    }
}
