package io.leifdb.server.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What one TLS endpoint presents and whom it trusts: a private key, its certificate chain (leaf
 * first), and the CA certificates a peer's chain must lead to (empty: trust no peer certificate).
 */
public record TlsIdentity(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trust) {
    public TlsIdentity {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        trust = List.copyOf(trust);
        if (chain.isEmpty()) throw new IllegalArgumentException("empty certificate chain");
    }

    /** Which file failed: the certificate, the key or the CA, so the caller can name its variable. */
    public enum Part { CERT, KEY, CA }

    /** A load failure blamed on one of the three files. */
    public static final class LoadException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Part part;

        LoadException(Part part, String message) {
            super(message);
            this.part = part;
        }

        public Part part() {
            return part;
        }
    }

    /**
     * Reads {@code cert} and {@code key} (and {@code ca} when not null) and checks that the key
     * belongs to the certificate: a mismatch fails here, not at the first handshake.
     */
    public static TlsIdentity load(Path cert, Path key, Path ca) throws LoadException {
        List<X509Certificate> chain = read(Part.CERT, () -> PemFiles.certificates(cert));
        PrivateKey privateKey = read(Part.KEY, () -> PemFiles.privateKey(key));
        List<X509Certificate> trust = ca == null ? List.of() : read(Part.CA, () -> PemFiles.certificates(ca));
        if (!matches(privateKey, chain.getFirst())) {
            throw new LoadException(Part.KEY, key + " is not the key of the certificate in " + cert);
        }
        return new TlsIdentity(privateKey, chain, trust);
    }

    /** Signs with the key and verifies with the certificate: works for RSA, EC and EdDSA alike. */
    static boolean matches(PrivateKey key, X509Certificate cert) {
        if (!key.getAlgorithm().equals(cert.getPublicKey().getAlgorithm())) return false;
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        byte[] probe = "leifdb key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private interface Reading<T> {
        T read() throws TlsFileException;
    }

    private static <T> T read(Part part, Reading<T> r) throws LoadException {
        try {
            return r.read();
        } catch (TlsFileException e) {
            throw new LoadException(part, e.getMessage());
        }
    }
}
