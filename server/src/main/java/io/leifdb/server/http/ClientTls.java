package io.leifdb.server.http;

import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import io.leifdb.server.tls.TlsIdentity;
import io.leifdb.server.tls.TlsPolicy;

/** HTTPS for the client port: TLS 1.2+ and AEAD suites only; with a client CA, a client without a certificate it signed is refused. */
final class ClientTls {
    private ClientTls() {
    }

    static Tls of(TlsIdentity id) {
        var b = Tls.builder()
                .privateKey(id.key())
                .privateKeyCertChain(id.chain())
                .enabledProtocols(TlsPolicy.PROTOCOLS)
                .enabledCipherSuites(TlsPolicy.CIPHER_SUITES)
                // Helidon would otherwise look for TLS managers on the class path; ours are the files we were given.
                .managerDiscoverServices(false);
        if (!id.trust().isEmpty()) {
            b.trust(id.trust()).clientAuth(TlsClientAuth.REQUIRED);
        }
        return b.build();
    }
}
