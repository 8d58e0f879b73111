package io.leifdb.server.transport;

import io.leifdb.server.tls.TlsIdentity;
import java.util.Objects;
import java.util.Optional;

/**
 * How the Raft port meets the network.
 *
 * @param bindAddress {@code host:port} the gRPC server binds; the announced raft address when it is the same
 * @param tls         mutual TLS with every peer when present: our key and chain, and the CA theirs must lead to
 */
public record PeerNetwork(String bindAddress, Optional<TlsIdentity> tls) {
    public PeerNetwork {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(tls, "tls");
        if (tls.isPresent() && tls.get().trust().isEmpty()) {
            throw new IllegalArgumentException("mutual TLS between members needs the CA that signs their certificates");
        }
    }

    /** Plaintext, bound where the node's raft address says: what a node without LEIFDB_PEER_TLS_* and LEIFDB_BIND_ADDRESS does. */
    public static PeerNetwork plaintext(String raftAddress) {
        return new PeerNetwork(raftAddress, Optional.empty());
    }
}
