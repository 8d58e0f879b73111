package io.leifdb.server.node;

import io.leifdb.server.transport.ClusterIds;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The cluster id in the data directory ({@code cluster-id}, sixteen hex digits). Written at the
 * first start from the initial membership and never changed after, so later membership changes
 * keep it; a directory of another cluster stops the node at start. {@code restore} writes a second
 * line, {@code restored <salt>}, which gives the restored cluster an id of its own. A member that
 * joined a running cluster (LEIFDB_JOIN) writes {@code joined}: it received the id, so no member
 * list derives it.
 */
final class ClusterIdentity {
    static final String FILE = "cluster-id";
    /** The second line of a restored directory's file: {@code restored <salt>}. */
    private static final String RESTORED = "restored ";
    /** The second line of a joiner's file. */
    private static final String JOINED = "joined";

    private ClusterIdentity() {
    }

    /**
     * The id of this data directory's cluster: the stored one, or the one {@code memberNodes}
     * derives, stored now when the directory has none (a fresh member, or one from before ids).
     * A restored directory also stores its restore salt, which enters the derivation.
     *
     * @throws IllegalStateException when the directory belongs to another cluster than {@code memberNodes} says
     */
    static long load(Path dataDir, List<String> memberNodes) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            long stored;
            long salt = 0;
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
                stored = ClusterIds.parse(lines.isEmpty() ? "" : lines.getFirst());
                if (lines.size() > 1 && lines.get(1).strip().equals(JOINED)) return stored;
                if (lines.size() > 1 && lines.get(1).startsWith(RESTORED)) {
                    salt = ClusterIds.parse(lines.get(1).substring(RESTORED.length()));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(file + " is damaged: " + e.getMessage());
            }
            long derived = ClusterIds.of(memberNodes, salt);
            if (stored != derived) {
                throw new IllegalStateException("data directory " + dataDir + " belongs to cluster "
                        + ClusterIds.format(stored) + " but LEIFDB_MEMBER_NODES describes cluster "
                        + ClusterIds.format(derived) + ": use this cluster's member list or another data directory");
            }
            return stored;
        }
        long derived = ClusterIds.of(memberNodes);
        write(dataDir, ClusterIds.format(derived) + "\n");
        return derived;
    }

    /** Records the id of a cluster restored onto {@code memberNodes} with {@code salt}; returns it. */
    static long storeRestored(Path dataDir, List<String> memberNodes, long salt) throws IOException {
        long id = ClusterIds.of(memberNodes, salt);
        write(dataDir, ClusterIds.format(id) + "\n" + RESTORED + ClusterIds.format(salt) + "\n");
        return id;
    }

    /** Records the id of the cluster this member joined (the leader's answer to its join request). */
    static void storeJoined(Path dataDir, long clusterId) throws IOException {
        write(dataDir, FILE, ClusterIds.format(clusterId) + "\n" + JOINED + "\n");
    }

    /** Whether this directory's cluster id came from joining (LEIFDB_JOIN), not from a member list. */
    static boolean joined(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) return false;
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        return lines.size() > 1 && lines.get(1).strip().equals(JOINED);
    }

    /** Whether this directory already belongs to a cluster (it bootstrapped, joined or was restored). */
    static boolean present(Path dataDir) {
        return Files.exists(dataDir.resolve(FILE));
    }

    /** Writes {@code text} to {@code name} in {@code dataDir} atomically and durably. */
    static void write(Path dataDir, String name, String text) throws IOException {
        Path file = dataDir.resolve(name);
        Path tmp = dataDir.resolve(name + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dataDir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself must survive a crash
        }
    }

    private static void write(Path dataDir, String text) throws IOException {
        write(dataDir, FILE, text);
    }
}
