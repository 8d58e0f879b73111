package io.leifdb.server.transport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/** Node ids derived from member addresses, so every member computes the same ids from the member list. */
public final class NodeIds {
    private NodeIds() {
    }

    /**
     * A stable id in [1, 2^63 - 1] for a {@code host:port}: the first 8 bytes of its SHA-256,
     * with the sign bit cleared. The host is compared case-insensitively and surrounding blanks
     * are ignored; "localhost" and "127.0.0.1" are different members.
     *
     * @throws IllegalArgumentException when {@code hostPort} is not {@code host:port}
     */
    public static long idOf(String hostPort) {
        HostPort hp = HostPort.parse(hostPort);
        byte[] digest = sha256((hp.host().toLowerCase(Locale.ROOT) + ":" + hp.port()).getBytes(StandardCharsets.UTF_8));
        long id = 0;
        for (int i = 0; i < 8; i++) id = (id << 8) | (digest[i] & 0xFF);
        id &= Long.MAX_VALUE;
        // 0 means "no node" in the Raft core; a collision with 1 is as unlikely as any other.
        return id == 0 ? 1 : id;
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }
}
