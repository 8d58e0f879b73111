package io.leifdb.server.node;

import io.leifdb.server.transport.NodeIds;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * This member's id, kept in the data directory ({@code member-id}, decimal) so that it belongs to
 * the data and not to the address: a member restarted on another host or port keeps it, and a wiped
 * member comes back as a new one (issue 13).
 *
 * <p>Bootstrap members (LEIFDB_MEMBER_NODES at a cluster's first start) take the id their address
 * derives ({@link NodeIds}), because every fresh member must agree on the first voters without
 * talking; a member that joins later draws a random one. A directory from before this file held the
 * derived id implicitly, so the first start after an upgrade writes that id down, and nothing moves.
 */
final class MemberId {
    static final String FILE = "member-id";
    private static final SecureRandom RANDOM = new SecureRandom();

    private MemberId() {
    }

    /** The stored id, if this directory has one. */
    static Optional<Long> stored(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) return Optional.empty();
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            long id = Long.parseLong(text);
            if (id <= 0) throw new NumberFormatException();
            return Optional.of(id);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " is damaged: expected a positive member id, got \"" + text + "\"");
        }
    }

    /** The stored id, or the one {@code self} derives, stored now (a bootstrap member, or one from before ids). */
    static long loadOrDerive(Path dataDir, String self) throws IOException {
        Optional<Long> s = stored(dataDir);
        if (s.isPresent()) return s.get();
        long id = NodeIds.idOf(self);
        store(dataDir, id);
        return id;
    }

    /** A fresh random id for a member that joins: positive, never 0 (the core's "no node"). */
    static long random() {
        long id;
        do {
            id = RANDOM.nextLong() & Long.MAX_VALUE;
        } while (id == 0);
        return id;
    }

    static void store(Path dataDir, long id) throws IOException {
        ClusterIdentity.write(dataDir, FILE, id + "\n");
    }
}
