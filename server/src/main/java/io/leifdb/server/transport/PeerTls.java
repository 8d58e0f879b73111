package io.leifdb.server.transport;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.leifdb.server.tls.TlsIdentity;
import io.leifdb.server.tls.TlsPolicy;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * Mutual TLS between members. Both sides present their certificate and accept only one that leads
 * to the configured CA, so a plaintext caller, or one with another CA's certificate, fails the
 * handshake before any call. The dialling side also checks that the peer's certificate names the
 * host it dialled (the member's configured raft host).
 */
final class PeerTls {
    private PeerTls() {
    }

    static SslContext server(TlsIdentity id) throws SSLException {
        return policy(GrpcSslContexts.configure(SslContextBuilder.forServer(id.key(), chain(id))), id)
                .clientAuth(ClientAuth.REQUIRE)
                .build();
    }

    static SslContext client(TlsIdentity id) throws SSLException {
        return policy(GrpcSslContexts.configure(SslContextBuilder.forClient().keyManager(id.key(), chain(id))), id)
                .endpointIdentificationAlgorithm("HTTPS")
                .build();
    }

    private static SslContextBuilder policy(SslContextBuilder b, TlsIdentity id) {
        return b.trustManager(id.trust().toArray(X509Certificate[]::new))
                .protocols(TlsPolicy.PROTOCOLS)
                .ciphers(TlsPolicy.CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE);
    }

    private static X509Certificate[] chain(TlsIdentity id) {
        return id.chain().toArray(X509Certificate[]::new);
    }
}
