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
 * keep it; a directory of another cluster stops the node at start.
 */
final class ClusterIdentity {
    static final String FILE = "cluster-id";

    private ClusterIdentity() {
    }

    /**
     * The id of this data directory's cluster: the stored one, or the one {@code memberNodes}
     * derives, stored now when the directory has none (a fresh member, or one from before ids).
     *
     * @throws IllegalStateException when the directory belongs to another cluster than {@code memberNodes} says
     */
    static long load(Path dataDir, List<String> memberNodes) throws IOException {
        long derived = ClusterIds.of(memberNodes);
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            long stored;
            try {
                stored = ClusterIds.parse(Files.readString(file, StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(file + " is damaged: " + e.getMessage());
            }
            if (stored != derived) {
                throw new IllegalStateException("data directory " + dataDir + " belongs to cluster "
                        + ClusterIds.format(stored) + " but LEIFDB_MEMBER_NODES describes cluster "
                        + ClusterIds.format(derived) + ": use this cluster's member list or another data directory");
            }
            return stored;
        }
        Path tmp = dataDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, ClusterIds.format(derived) + "\n", StandardCharsets.US_ASCII);
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dataDir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself must survive a crash
        }
        return derived;
    }
}
