package io.leifdb.server.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small certificate authority for demos and tests ({@code ./leifdb certs}): an EC P-256 CA that
 * issues server, peer and client certificates. Not a PKI: no revocation, no intermediate CAs.
 */
public final class CertificateAuthority {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SIGNATURE = "SHA256withECDSA";

    private final Issued ca;

    /** A key and its certificate, as a node or a client loads them. */
    public record Issued(PrivateKey key, X509Certificate certificate) {
        /** Writes the certificate (0644) and the key (0600, whatever the umask). */
        public void write(Path certFile, Path keyFile) throws IOException {
            Files.writeString(certFile, PemFiles.pem(certificate), StandardCharsets.US_ASCII);
            Files.deleteIfExists(keyFile);
            if (keyFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(keyFile, PemFiles.pem(key), StandardCharsets.US_ASCII);
        }
    }

    /** What a certificate may be used for. */
    public enum Use {
        /** The client port: TLS server only. */
        SERVER(KeyPurposeId.id_kp_serverAuth),
        /** Between members: each side is both a TLS server and a client. */
        PEER(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth),
        /** A client of the HTTP API. */
        CLIENT(KeyPurposeId.id_kp_clientAuth);

        private final KeyPurposeId[] purposes;

        Use(KeyPurposeId... purposes) {
            this.purposes = purposes;
        }
    }

    private CertificateAuthority(Issued ca) {
        this.ca = ca;
    }

    /** A new CA named {@code name}, valid for {@code validity}. */
    public static CertificateAuthority create(String name, Duration validity) {
        KeyPair pair = newKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        try {
            X509v3CertificateBuilder b = builder(subject, subject, pair, validity);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
            return new CertificateAuthority(new Issued(pair.getPrivate(), sign(b, pair.getPrivate())));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a CA certificate", e);
        }
    }

    /** The CA a {@code certs --out DIR} run wrote, read back to issue more certificates from it. */
    public static CertificateAuthority load(Path certFile, Path keyFile) throws TlsFileException {
        List<X509Certificate> certs = PemFiles.certificates(certFile);
        if (certs.size() != 1) throw new TlsFileException(certFile + " must hold exactly one CA certificate, not " + certs.size());
        return new CertificateAuthority(new Issued(PemFiles.privateKey(keyFile), certs.getFirst()));
    }

    public Issued self() {
        return ca;
    }

    public X509Certificate certificate() {
        return ca.certificate();
    }

    /**
     * A certificate for {@code use}, naming each of {@code hosts} (DNS names or IP addresses) and
     * each of {@code members} ({@code host:raftport}, see {@link MemberIdentity}).
     */
    public Issued issue(String commonName, Use use, List<String> hosts, List<String> members, Duration validity) {
        return issue(commonName, use, hosts, members, validity, newKeyPair());
    }

    /** As above, for the given subject key pair (an RSA one, say); the CA still signs with its own EC key. */
    public Issued issue(String commonName, Use use, List<String> hosts, List<String> members, Duration validity,
                        KeyPair pair) {
        try {
            X500Name issuer = new X500Name(ca.certificate().getSubjectX500Principal().getName());
            X509v3CertificateBuilder b = builder(issuer, new X500Name("CN=" + commonName), pair, validity);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(use.purposes));
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            b.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca.certificate()));
            List<GeneralName> names = new ArrayList<>();
            for (String h : hosts) names.add(hostName(h));
            for (String m : members) names.add(new GeneralName(GeneralName.uniformResourceIdentifier,
                    MemberIdentity.URI_PREFIX + MemberIdentity.normalise(m)));
            if (!names.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return new Issued(pair.getPrivate(), sign(b, ca.key()));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
        }
    }

    /** An IP literal becomes an IP address name (what clients compare an IP URL with), anything else a DNS name. */
    private static GeneralName hostName(String host) {
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (isIpLiteral(h)) return new GeneralName(GeneralName.iPAddress, h);
        return new GeneralName(GeneralName.dNSName, h);
    }

    /** True for dotted IPv4 or IPv6 text; never resolves a name. */
    public static boolean isIpLiteral(String h) {
        if (h.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (h.contains(":") && h.matches("[0-9A-Fa-f:.]+"))) {
            try {
                InetAddress.getByName(h);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair pair, Duration validity) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, pair.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
        }
    }
}
