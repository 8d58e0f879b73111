package io.leifdb.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Reads and writes PEM certificates and private keys. Keys may be PKCS#8 ("PRIVATE KEY"), PKCS#1
 * ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"), unencrypted: a node starts unattended, so a
 * passphrase would have to sit beside the key anyway.
 */
public final class PemFiles {
    private PemFiles() {
    }

    /** Every certificate in {@code file}, in order; at least one. */
    public static List<X509Certificate> certificates(Path file) throws TlsFileException {
        List<X509Certificate> certs = new ArrayList<>();
        try (PEMParser p = new PEMParser(reader(file))) {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(h.getEncoded())));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new TlsFileException(file + " is not a PEM certificate file (" + oneLine(e) + ")");
        }
        if (certs.isEmpty()) {
            throw new TlsFileException(file + " holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
        }
        return certs;
    }

    /** The first private key in {@code file}. */
    public static PrivateKey privateKey(Path file) throws TlsFileException {
        try (PEMParser p = new PEMParser(reader(file))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
                // The private half alone: a SEC1 key may leave out its optional public key.
                if (o instanceof PEMKeyPair pair) return converter.getPrivateKey(pair.getPrivateKeyInfo());
                if (o.getClass().getSimpleName().contains("Encrypted")) {
                    throw new TlsFileException(file + " holds an encrypted key; expected an unencrypted PEM key");
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new TlsFileException(file + " is not a PEM private key file (" + oneLine(e) + ")");
        }
        throw new TlsFileException(file + " holds no PEM private key (expected -----BEGIN PRIVATE KEY-----)");
    }

    /** PEM text of {@code objects}: certificates as they are, private keys as unencrypted PKCS#8 (what every tool reads). */
    public static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                if (o instanceof PrivateKey k) w.writeObject(new JcaPKCS8Generator(k, null));
                else w.writeObject(o);
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing PEM to memory failed", e);
        }
        return out.toString();
    }

    private static Reader reader(Path file) throws TlsFileException {
        if (!Files.exists(file)) throw new TlsFileException(file + " does not exist");
        if (!Files.isRegularFile(file)) throw new TlsFileException(file + " is not a file");
        try {
            return new StringReader(Files.readString(file, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new TlsFileException(file + " cannot be read (" + oneLine(e) + ")");
        }
    }

    static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").strip();
    }
}
