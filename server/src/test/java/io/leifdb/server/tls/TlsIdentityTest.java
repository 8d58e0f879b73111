package io.leifdb.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM keys of every common kind load, a key of another certificate is refused, and certs writes keys 0600. */
class TlsIdentityTest {
    static CertificateAuthority ca;

    @TempDir
    Path dir;

    @BeforeAll
    static void createCa() {
        ca = CertificateAuthority.create("test CA", Duration.ofDays(1));
    }

    @Test
    void ecAndRsaKeysLoadAsPkcs8AndInTheirTraditionalForms() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rsaPair = rsa.generateKeyPair();
        CertificateAuthority.Issued rsaCert = issue(rsaPair);
        CertificateAuthority.Issued ecCert = ca.issue("ec", CertificateAuthority.Use.SERVER, List.of("localhost"),
                List.of(), Duration.ofDays(1));
        for (CertificateAuthority.Issued id : List.of(rsaCert, ecCert)) {
            String alg = id.key().getAlgorithm();
            Path cert = dir.resolve(alg + ".pem");
            Path pkcs8 = dir.resolve(alg + "-pkcs8.pem");
            id.write(cert, pkcs8);
            assertThat(Files.readString(pkcs8)).startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(TlsIdentity.load(cert, pkcs8, null).key().getAlgorithm()).isEqualTo(alg);

            Path traditional = dir.resolve(alg + "-traditional.pem");
            Files.writeString(traditional, traditionalPem(id), StandardCharsets.US_ASCII);
            assertThat(Files.readString(traditional)).startsWith("-----BEGIN " + alg + " PRIVATE KEY-----");
            // load() signs with the key and verifies with the certificate, so loading at all proves the key is the one.
            assertThat(TlsIdentity.load(cert, traditional, null).key().getAlgorithm()).isEqualTo(alg);
        }
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingTheKey() throws Exception {
        CertificateAuthority.Issued a = issue(null);
        CertificateAuthority.Issued b = issue(null);
        a.write(dir.resolve("a.pem"), dir.resolve("a-key.pem"));
        b.write(dir.resolve("b.pem"), dir.resolve("b-key.pem"));
        assertThatThrownBy(() -> TlsIdentity.load(dir.resolve("a.pem"), dir.resolve("b-key.pem"), null))
                .isInstanceOfSatisfying(TlsIdentity.LoadException.class, e -> {
                    assertThat(e.part()).isEqualTo(TlsIdentity.Part.KEY);
                    assertThat(e.getMessage()).contains("b-key.pem is not the key of the certificate in");
                });
        assertThatThrownBy(() -> TlsIdentity.load(dir.resolve("a-key.pem"), dir.resolve("a-key.pem"), null))
                .isInstanceOfSatisfying(TlsIdentity.LoadException.class,
                        e -> assertThat(e.part()).isEqualTo(TlsIdentity.Part.CERT));
    }

    @Test
    void theCertificateSetWritesKeysOwnerOnlyAndRefusesToOverwrite() throws Exception {
        CertificateSet.write(dir, List.of("localhost", "127.0.0.1"));
        for (String key : List.of(CertificateSet.CA_KEY, CertificateSet.SERVER_KEY, CertificateSet.PEER_KEY, CertificateSet.CLIENT_KEY)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key)))).as(key).isEqualTo("rw-------");
        }
        TlsIdentity peer = TlsIdentity.load(dir.resolve(CertificateSet.PEER), dir.resolve(CertificateSet.PEER_KEY),
                dir.resolve(CertificateSet.CA));
        peer.chain().getFirst().verify(peer.trust().getFirst().getPublicKey());
        assertThat(peer.chain().getFirst().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThatThrownBy(() -> CertificateSet.write(dir, List.of("localhost")))
                .hasMessageContaining("already exists");
    }

    @Test
    void aCertificateNamesTheMembersItWasIssuedTo() {
        CertificateAuthority.Issued named = ca.issue("m", CertificateAuthority.Use.PEER, List.of("127.0.0.1"),
                List.of("Node-A:16990"), Duration.ofDays(1));
        assertThat(MemberIdentity.members(named.certificate())).containsExactly("node-a:16990");
        assertThat(MemberIdentity.members(issue(null).certificate())).isEmpty();
    }

    private static CertificateAuthority.Issued issue(KeyPair pair) {
        return pair == null
                ? ca.issue("leaf", CertificateAuthority.Use.SERVER, List.of("localhost"), List.of(), Duration.ofDays(1))
                : ca.issue("leaf", CertificateAuthority.Use.SERVER, List.of("localhost"), List.of(), Duration.ofDays(1), pair);
    }

    /** PKCS#1 for RSA, SEC1 (with its curve and public key, as openssl writes it) for EC. */
    private static String traditionalPem(CertificateAuthority.Issued id) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            if (id.key() instanceof java.security.interfaces.ECPrivateKey ec) {
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(ec.getEncoded());
                var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(ec.getParams().getOrder().bitLength(), ec.getS(),
                        SubjectPublicKeyInfo.getInstance(id.certificate().getPublicKey().getEncoded()).getPublicKeyData(),
                        info.getPrivateKeyAlgorithm().getParameters());
                w.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
            } else {
                w.writeObject(new KeyPair(id.certificate().getPublicKey(), id.key()));
            }
        }
        return out.toString();
    }
}
