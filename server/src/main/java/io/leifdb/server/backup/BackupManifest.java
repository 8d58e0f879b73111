package io.leifdb.server.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leifdb.server.transport.ClusterIds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a backup holds, written first in the archive as {@code backup.json}: the cluster it came
 * from, the Raft index (and term) of the applied state, how many keys, and every RocksDB file with
 * its size and SHA-256.
 *
 * @param clusterId the id of the cluster the backup was taken from
 * @param createdAt when, as ISO-8601 UTC
 */
public record BackupManifest(long clusterId, long index, long term, long keys, String leifdbVersion,
                             String createdAt, List<FileSum> files) {
    /** Bumped when the archive's layout changes; a reader refuses versions it does not know. */
    static final int FORMAT_VERSION = 1;
    static final String FORMAT = "leifdb-backup";
    // Names become file names in a data directory, so only plain ones pass.
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public BackupManifest {
        files = List.copyOf(files);
    }

    /** One RocksDB file of the backup. */
    public record FileSum(String name, long size, String sha256) {
    }

    /** Sizes and SHA-256 of {@code files}. */
    static List<FileSum> describe(List<Path> files) throws IOException {
        List<FileSum> out = new ArrayList<>();
        byte[] buf = new byte[64 << 10];
        for (Path f : files) {
            MessageDigest sha = sha256();
            long size = 0;
            try (InputStream in = Files.newInputStream(f)) {
                for (int n; (n = in.read(buf)) > 0; size += n) sha.update(buf, 0, n);
            }
            out.add(new FileSum(f.getFileName().toString(), size, HexFormat.of().formatHex(sha.digest())));
        }
        return out;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }

    public long totalBytes() {
        return files.stream().mapToLong(FileSum::size).sum();
    }

    byte[] encode() throws IOException {
        ObjectNode root = MAPPER.createObjectNode()
                .put("format", FORMAT)
                .put("formatVersion", FORMAT_VERSION)
                .put("clusterId", ClusterIds.format(clusterId))
                .put("index", index)
                .put("term", term)
                .put("keys", keys)
                .put("leifdbVersion", leifdbVersion)
                .put("createdAt", createdAt);
        ArrayNode list = root.putArray("files");
        for (FileSum f : files) list.addObject().put("name", f.name()).put("size", f.size()).put("sha256", f.sha256());
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    static BackupManifest decode(byte[] raw) throws BackupException {
        JsonNode root;
        try {
            root = MAPPER.readTree(raw);
        } catch (IOException e) {
            throw new BackupException("backup.json is not JSON");
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new BackupException("backup.json does not describe a LeifDB backup");
        }
        int version = root.path("formatVersion").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new BackupException("backup format version " + version + " is not supported (this LeifDB reads "
                    + FORMAT_VERSION + ")");
        }
        long clusterId;
        try {
            clusterId = ClusterIds.parse(root.path("clusterId").asText());
        } catch (IllegalArgumentException e) {
            throw new BackupException("backup.json has a bad clusterId: " + e.getMessage());
        }
        List<FileSum> files = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode f : root.path("files")) {
            String name = f.path("name").asText();
            String sha = f.path("sha256").asText();
            long size = f.path("size").asLong(-1);
            if (!SAFE_NAME.matcher(name).matches() || !names.add(name) || size < 0 || sha.length() != 64) {
                throw new BackupException("backup.json lists a bad file entry: " + f);
            }
            files.add(new FileSum(name, size, sha));
        }
        long index = root.path("index").asLong(-1);
        long term = root.path("term").asLong(-1);
        long keys = root.path("keys").asLong(-1);
        if (index < 0 || term < 0 || keys < 0 || files.isEmpty()) {
            throw new BackupException("backup.json lacks its index, term, key count or files");
        }
        return new BackupManifest(clusterId, index, term, keys, root.path("leifdbVersion").asText(),
                root.path("createdAt").asText(), files);
    }

    /**
     * Names a restore of this backup: restoring it onto one member list always gives the same cluster id,
     * so members can be prepared one at a time (one per pod), and never the id of a cluster that ran there.
     */
    public long restoreSalt() {
        MessageDigest sha = sha256();
        StringBuilder text = new StringBuilder(ClusterIds.format(clusterId) + "/" + index + "/" + term);
        for (FileSum f : files) text.append('/').append(f.name()).append('=').append(f.sha256());
        byte[] d = sha.digest(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long salt = 0;
        for (int i = 0; i < 8; i++) salt = (salt << 8) | (d[i] & 0xFF);
        return salt == 0 ? 1 : salt;
    }

    /** One line for people: what the backup holds. */
    public String summary() {
        return "cluster " + ClusterIds.format(clusterId) + " at index " + index + " (term " + term + "): " + keys
                + " keys, " + files.size() + " files, " + totalBytes() + " bytes";
    }
}
