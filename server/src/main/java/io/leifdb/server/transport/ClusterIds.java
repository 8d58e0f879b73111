package io.leifdb.server.transport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** The cluster's id: derived once from the initial membership, then kept in each member's data directory. */
public final class ClusterIds {
    private ClusterIds() {
    }

    /**
     * The first 8 bytes of the SHA-256 of the sorted, normalised {@code host:port} list, never 0
     * (0 is what a peer that sends no id at all says). Order and case of the list do not matter.
     *
     * @throws IllegalArgumentException when an item is not {@code host:port}
     */
    public static long of(List<String> memberNodes) {
        return of(memberNodes, 0);
    }

    /**
     * The id of a cluster restored from a backup onto {@code memberNodes}: {@code restoreSalt} (never 0;
     * 0 means not restored) makes it differ from the id of any cluster that ran on the same member list,
     * so members of the old cluster and of the restored one never take each other for peers.
     */
    public static long of(List<String> memberNodes, long restoreSalt) {
        TreeSet<String> sorted = new TreeSet<>();
        for (String m : memberNodes) {
            HostPort hp = HostPort.parse(m);
            sorted.add(hp.host().toLowerCase(Locale.ROOT) + ":" + hp.port());
        }
        String text = "leifdb-cluster\n" + String.join(",", sorted)
                + (restoreSalt == 0 ? "" : "\nrestored " + format(restoreSalt));
        byte[] digest = sha256(text.getBytes(StandardCharsets.UTF_8));
        long id = 0;
        for (int i = 0; i < 8; i++) id = (id << 8) | (digest[i] & 0xFF);
        return id == 0 ? 1 : id;
    }

    /** Sixteen hex digits, as kept in the data directory and shown in logs. */
    public static String format(long clusterId) {
        return HexFormat.of().toHexDigits(clusterId);
    }

    /** @throws IllegalArgumentException unless {@code text} is sixteen hex digits */
    public static long parse(String text) {
        String t = text.strip();
        if (t.length() != 16) throw new IllegalArgumentException("expected 16 hex digits, got \"" + t + "\"");
        return HexFormat.fromHexDigitsToLong(t);
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }
}
