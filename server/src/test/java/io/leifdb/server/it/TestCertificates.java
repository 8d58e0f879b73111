package io.leifdb.server.it;

import io.leifdb.server.tls.CertificateAuthority;
import io.leifdb.server.tls.CertificateSet;
import io.leifdb.server.tls.ClientSsl;
import io.leifdb.server.tls.TlsFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/** One certificate set per test class, made by the code behind {@code ./leifdb certs}, and what clients and nodes need of it. */
record TestCertificates(Path dir, CertificateAuthority ca) {
    static TestCertificates create(Path dir) throws IOException {
        return new TestCertificates(dir, CertificateSet.write(dir, List.of("localhost", "127.0.0.1")));
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    /** HTTPS on the client port and mutual TLS between members, as README's "Secure a cluster" sets them. */
    Map<String, String> nodeEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("LEIFDB_TLS_CERT", file(CertificateSet.SERVER).toString());
        env.put("LEIFDB_TLS_KEY", file(CertificateSet.SERVER_KEY).toString());
        env.put("LEIFDB_PEER_TLS_CERT", file(CertificateSet.PEER).toString());
        env.put("LEIFDB_PEER_TLS_KEY", file(CertificateSet.PEER_KEY).toString());
        env.put("LEIFDB_PEER_TLS_CA", file(CertificateSet.CA).toString());
        return env;
    }

    /** Trusts the CA and presents no certificate. */
    SSLContext trustingClient() throws TlsFileException {
        return ClientSsl.context(file(CertificateSet.CA), null, null);
    }

    /** Trusts the CA and presents the client certificate. */
    SSLContext certifiedClient() throws TlsFileException {
        return ClientSsl.context(file(CertificateSet.CA), file(CertificateSet.CLIENT), file(CertificateSet.CLIENT_KEY));
    }
}
