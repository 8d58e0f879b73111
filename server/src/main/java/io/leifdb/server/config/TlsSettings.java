package io.leifdb.server.config;

import io.leifdb.server.tls.TlsIdentity;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS on the two ports, loaded and checked at start-up so that a bad file stops the node with one
 * line naming its variable, never at the first handshake.
 *
 * @param client the client port's key, chain and (when LEIFDB_TLS_CLIENT_CA is set) the CA client
 *               certificates must lead to; empty: plain HTTP
 * @param peer   the Raft port's key, chain and the CA every member's certificate must lead to;
 *               empty: plaintext gRPC
 */
public record TlsSettings(Optional<TlsIdentity> client, Optional<TlsIdentity> peer) {
    public static final String TLS_CERT = "LEIFDB_TLS_CERT";
    public static final String TLS_KEY = "LEIFDB_TLS_KEY";
    public static final String TLS_CLIENT_CA = "LEIFDB_TLS_CLIENT_CA";
    public static final String PEER_TLS_CERT = "LEIFDB_PEER_TLS_CERT";
    public static final String PEER_TLS_KEY = "LEIFDB_PEER_TLS_KEY";
    public static final String PEER_TLS_CA = "LEIFDB_PEER_TLS_CA";

    public static final TlsSettings NONE = new TlsSettings(Optional.empty(), Optional.empty());

    static TlsSettings read(EnvReader r) {
        return new TlsSettings(client(r), peer(r));
    }

    private static Optional<TlsIdentity> client(EnvReader r) {
        Optional<String> cert = r.value(TLS_CERT);
        Optional<String> key = r.value(TLS_KEY);
        Optional<String> ca = r.value(TLS_CLIENT_CA);
        if (cert.isEmpty() && key.isEmpty()) {
            ca.ifPresent(v -> {
                throw ConfigException.invalid(TLS_CLIENT_CA, v, "client certificates need HTTPS: set "
                        + TLS_CERT + " and " + TLS_KEY + " too");
            });
            return Optional.empty();
        }
        String together = " and " + TLS_KEY + " go together";
        if (cert.isEmpty()) throw missing(TLS_CERT, TLS_CERT + together);
        if (key.isEmpty()) throw missing(TLS_KEY, TLS_CERT + together);
        return Optional.of(load(new String[] {TLS_CERT, TLS_KEY, TLS_CLIENT_CA}, cert.get(), key.get(), ca.orElse(null)));
    }

    private static Optional<TlsIdentity> peer(EnvReader r) {
        String[] names = {PEER_TLS_CERT, PEER_TLS_KEY, PEER_TLS_CA};
        String[] values = new String[3];
        int set = 0;
        for (int i = 0; i < 3; i++) {
            values[i] = r.value(names[i]).orElse(null);
            if (values[i] != null) set++;
        }
        if (set == 0) return Optional.empty();
        if (set < 3) {
            for (int i = 0; i < 3; i++) {
                if (values[i] == null) {
                    throw missing(names[i], String.join(", ", names) + " go together (all three or none)");
                }
            }
        }
        return Optional.of(load(names, values[0], values[1], values[2]));
    }

    private static ConfigException missing(String name, String why) {
        return new ConfigException(name + " is not set: " + why + "; expected the path of a PEM file");
    }

    /** {@code names}: the variables of the certificate, the key and the CA, in that order. */
    private static TlsIdentity load(String[] names, String cert, String key, String ca) {
        Path certPath = path(names[0], cert);
        Path keyPath = path(names[1], key);
        Path caPath = ca == null ? null : path(names[2], ca);
        try {
            return TlsIdentity.load(certPath, keyPath, caPath);
        } catch (TlsIdentity.LoadException e) {
            int i = e.part().ordinal();
            String value = i == 0 ? cert : i == 1 ? key : ca;
            throw ConfigException.invalid(names[i], value, e.getMessage());
        }
    }

    private static Path path(String name, String value) {
        try {
            return Path.of(value).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw ConfigException.invalid(name, value, "expected a file path (" + e.getReason() + ")");
        }
    }
}
