package io.leifdb.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The files {@code ./leifdb certs} writes into one directory: a CA, a server certificate for the
 * client port, a peer certificate for the Raft port (server and client at once), and a client
 * certificate. Keys are 0600.
 */
public final class CertificateSet {
    public static final String CA = "ca.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String SERVER = "server.pem";
    public static final String SERVER_KEY = "server-key.pem";
    public static final String PEER = "peer.pem";
    public static final String PEER_KEY = "peer-key.pem";
    public static final String CLIENT = "client.pem";
    public static final String CLIENT_KEY = "client-key.pem";
    static final List<String> FILES = List.of(CA, CA_KEY, SERVER, SERVER_KEY, PEER, PEER_KEY, CLIENT, CLIENT_KEY);

    /** Long enough for a demo that runs for months, short enough that a leaked demo key expires. */
    public static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    public static final Duration CA_VALIDITY = Duration.ofDays(5 * 365);

    private CertificateSet() {
    }

    /**
     * Creates a new CA and the three certificates for {@code hosts} in {@code dir} (created if
     * missing). Refuses to overwrite: an existing set may be what a running cluster trusts.
     *
     * @throws IOException naming the first file that already exists, or what could not be written
     */
    public static CertificateAuthority write(Path dir, List<String> hosts) throws IOException {
        for (String f : FILES) {
            if (Files.exists(dir.resolve(f))) {
                throw new IOException(dir.resolve(f) + " already exists; choose another --out directory or remove the old set");
            }
        }
        Files.createDirectories(dir);
        CertificateAuthority ca = CertificateAuthority.create("LeifDB demo CA", CA_VALIDITY);
        ca.self().write(dir.resolve(CA), dir.resolve(CA_KEY));
        ca.issue("leifdb-server", CertificateAuthority.Use.SERVER, hosts, List.of(), LEAF_VALIDITY)
                .write(dir.resolve(SERVER), dir.resolve(SERVER_KEY));
        ca.issue("leifdb-peer", CertificateAuthority.Use.PEER, hosts, List.of(), LEAF_VALIDITY)
                .write(dir.resolve(PEER), dir.resolve(PEER_KEY));
        ca.issue("leifdb-client", CertificateAuthority.Use.CLIENT, List.of(), List.of(), LEAF_VALIDITY)
                .write(dir.resolve(CLIENT), dir.resolve(CLIENT_KEY));
        return ca;
    }

    /**
     * Issues a peer certificate naming {@code member} ({@code host:raftport}) and {@code hosts} from the CA
     * in {@code dir}, as {@code peer-<host>-<port>.pem} and its key: a member that joins later, or one
     * whose identity peers should check. Returns the certificate file.
     *
     * @throws IOException when {@code dir} holds no CA or the files exist already
     */
    public static Path writeMember(Path dir, String member, List<String> hosts) throws IOException {
        String base = "peer-" + MemberIdentity.normalise(member).replace(':', '-').replaceAll("[^A-Za-z0-9.-]", "_");
        Path cert = dir.resolve(base + ".pem");
        Path key = dir.resolve(base + "-key.pem");
        if (!Files.exists(dir.resolve(CA)) || !Files.exists(dir.resolve(CA_KEY))) {
            throw new IOException(dir + " holds no CA (" + CA + ", " + CA_KEY + "); create the set first with certs --out " + dir);
        }
        for (Path p : List.of(cert, key)) {
            if (Files.exists(p)) throw new IOException(p + " already exists; remove it to issue a new one");
        }
        CertificateAuthority ca;
        try {
            ca = CertificateAuthority.load(dir.resolve(CA), dir.resolve(CA_KEY));
        } catch (TlsFileException e) {
            throw new IOException(e.getMessage(), e);
        }
        ca.issue("leifdb-member " + MemberIdentity.normalise(member), CertificateAuthority.Use.PEER, hosts, List.of(member),
                LEAF_VALIDITY).write(cert, key);
        return cert;
    }

    /** The shell lines that point a node and a client at the set in {@code dir}. */
    public static String variables(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        return """
                # a node: HTTPS on the client port, mutual TLS between members
                export LEIFDB_TLS_CERT=%1$s/%2$s LEIFDB_TLS_KEY=%1$s/%3$s
                export LEIFDB_PEER_TLS_CERT=%1$s/%4$s LEIFDB_PEER_TLS_KEY=%1$s/%5$s LEIFDB_PEER_TLS_CA=%1$s/%6$s
                # optional, a node that requires client certificates:
                #   export LEIFDB_TLS_CLIENT_CA=%1$s/%6$s
                # a client (./leifdb get|put|..., ./leifdb bench; curl --cacert):
                export LEIFDB_URL=https://localhost:8080 LEIFDB_CACERT=%1$s/%6$s
                export LEIFDB_CERT=%1$s/%7$s LEIFDB_KEY=%1$s/%8$s
                """.formatted(d, SERVER, SERVER_KEY, PEER, PEER_KEY, CA, CLIENT, CLIENT_KEY);
    }
}
