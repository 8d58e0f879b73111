package io.leifdb.server.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/** The TLS side of an HTTPS client (the CLI, the load generator, tests): whom to trust and what to present. */
public final class ClientSsl {
    private static final char[] NO_PASSWORD = new char[0];

    private ClientSsl() {
    }

    /**
     * An SSL context trusting {@code caCert}'s certificates (the JDK's CAs when null) and
     * presenting {@code cert} with {@code key} when both are given.
     *
     * @throws TlsFileException naming the file that cannot be used; also when only one of cert and key is given
     */
    public static SSLContext context(Path caCert, Path cert, Path key) throws TlsFileException {
        if ((cert == null) != (key == null)) {
            throw new TlsFileException("a client certificate needs both its certificate and its key");
        }
        try {
            TrustManagerFactory tmf = null;
            if (caCert != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trustStore(PemFiles.certificates(caCert)));
            }
            KeyManagerFactory kmf = null;
            if (cert != null) {
                TlsIdentity id;
                try {
                    id = TlsIdentity.load(cert, key, null);
                } catch (TlsIdentity.LoadException e) {
                    throw new TlsFileException(e.getMessage());
                }
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keyStore(id), NO_PASSWORD);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsFileException("cannot build a TLS context: " + PemFiles.oneLine(e));
        }
    }

    /** TLS 1.2+ with the suites of {@link TlsPolicy}, and the server's name checked against its certificate. */
    public static SSLParameters parameters(SSLContext ctx) {
        SSLParameters p = ctx.getDefaultSSLParameters();
        p.setProtocols(TlsPolicy.PROTOCOLS.toArray(String[]::new));
        List<String> supported = List.of(ctx.getSupportedSSLParameters().getCipherSuites());
        p.setCipherSuites(TlsPolicy.CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new));
        p.setEndpointIdentificationAlgorithm("HTTPS");
        return p;
    }

    public static KeyStore trustStore(List<X509Certificate> cas) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < cas.size(); i++) ks.setCertificateEntry("ca-" + i, cas.get(i));
        return ks;
    }

    private static KeyStore keyStore(TlsIdentity id) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", id.key(), NO_PASSWORD, id.chain().toArray(X509Certificate[]::new));
        return ks;
    }
}
