package io.leifdb.server.config;

import io.leifdb.server.tls.ClientSsl;
import io.leifdb.server.tls.PemFiles;
import io.leifdb.server.tls.TlsFileException;
import io.leifdb.server.tls.TlsIdentity;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How a node with LEIFDB_JOIN reaches the member it asks (issue 13 on a secured cluster, issue 15):
 * over which scheme, trusting which CA, presenting which certificate, as which user. Everything is
 * read and checked at start, so a bad file stops the node with one line naming its variable.
 *
 * @param target   {@code http://host:port} or {@code https://host:port}; a bare address is https when
 *                 this node serves HTTPS itself (a secured cluster's members all do)
 * @param tls      the context an https target is verified with; empty for http
 * @param user     the user the join authenticates as (HTTP Basic), present with {@code password}
 * @param password read from LEIFDB_JOIN_PASSWORD_FILE (else LEIFDB_ROOT_PASSWORD_FILE); never from the environment
 */
public record JoinSettings(URI target, Optional<SSLContext> tls, Optional<String> user, Optional<String> password) {
    public static final String JOIN_CA = "LEIFDB_JOIN_CA";
    public static final String JOIN_CERT = "LEIFDB_JOIN_CERT";
    public static final String JOIN_KEY = "LEIFDB_JOIN_KEY";
    public static final String JOIN_USER = "LEIFDB_JOIN_USER";
    public static final String JOIN_PASSWORD_FILE = "LEIFDB_JOIN_PASSWORD_FILE";
    public static final List<String> VARIABLES = List.of(JOIN_CA, JOIN_CERT, JOIN_KEY, JOIN_USER, JOIN_PASSWORD_FILE);
    /** The role that may change membership (issue 15): the user a join authenticates as unless told otherwise. */
    public static final String DEFAULT_USER = "root";
    static final String RULE = "expected the HTTP address host:port, http://host:port or https://host:port of any member"
            + " of the cluster to join";

    @Override
    public String toString() {
        return target + user.map(u -> " (user " + u + ")").orElse(""); // never the password
    }

    /** Reads LEIFDB_JOIN (already known to be set) and the LEIFDB_JOIN_* variables that go with it. */
    static JoinSettings read(EnvReader r, String join, List<String> warnings) {
        boolean servesHttps = r.value(TlsSettings.TLS_CERT).isPresent();
        URI target = target(join, servesHttps);
        boolean https = target.getScheme().equals("https");
        Optional<SSLContext> tls = Optional.empty();
        if (https) {
            tls = Optional.of(context(r));
        } else {
            for (String name : List.of(JOIN_CA, JOIN_CERT, JOIN_KEY)) {
                if (r.value(name).isPresent()) warnings.add(name + " is ignored because " + Config.JOIN + " is http://");
            }
        }
        Optional<String> file = r.value(JOIN_PASSWORD_FILE).or(() -> r.value(AuthSettings.ROOT_PASSWORD_FILE));
        String fileVariable = r.value(JOIN_PASSWORD_FILE).isPresent() ? JOIN_PASSWORD_FILE : AuthSettings.ROOT_PASSWORD_FILE;
        Optional<String> userValue = r.value(JOIN_USER);
        if (file.isEmpty()) {
            userValue.ifPresent(u -> {
                throw ConfigException.invalid(JOIN_USER, u, "needs " + JOIN_PASSWORD_FILE + ", a file holding that user's password");
            });
            return new JoinSettings(target, tls, Optional.empty(), Optional.empty());
        }
        String user = userValue.orElse(DEFAULT_USER);
        if (user.isEmpty() || user.indexOf(':') >= 0 || user.chars().anyMatch(Character::isISOControl)) {
            throw ConfigException.invalid(JOIN_USER, user, "expected a user name without ':' or control characters");
        }
        String password = password(fileVariable, file.get());
        if (!https) {
            warnings.add(Config.JOIN + " is http://: the join password travels unencrypted; use https:// where the cluster"
                    + " serves HTTPS");
        }
        return new JoinSettings(target, tls, Optional.of(user), Optional.of(password));
    }

    private static URI target(String value, boolean servesHttps) {
        String t = value.strip();
        String scheme = servesHttps ? "https" : "http";
        if (t.startsWith("https://")) {
            scheme = "https";
            t = t.substring("https://".length());
        } else if (t.startsWith("http://")) {
            scheme = "http";
            t = t.substring("http://".length());
        } else if (t.contains("://")) {
            throw ConfigException.invalid(Config.JOIN, value, RULE);
        }
        if (t.endsWith("/")) t = t.substring(0, t.length() - 1);
        EnvReader.HostPort hp = EnvReader.hostPort(t);
        if (hp == null || hp.port() == 0) throw ConfigException.invalid(Config.JOIN, value, RULE);
        try {
            return new URI(scheme + "://" + hp);
        } catch (java.net.URISyntaxException e) {
            throw ConfigException.invalid(Config.JOIN, value, RULE);
        }
    }

    /**
     * The CA defaults to the one members trust each other with: {@code ./leifdb certs} signs the client
     * port's certificate with it too. The certificate defaults to the peer certificate, which is also a
     * client certificate of that CA, so a cluster that requires client certificates admits the joiner.
     */
    private static SSLContext context(EnvReader r) {
        Optional<String> caVar = r.value(JOIN_CA).map(v -> JOIN_CA).or(() -> r.value(TlsSettings.PEER_TLS_CA)
                .map(v -> TlsSettings.PEER_TLS_CA));
        Path ca = caVar.map(name -> path(name, r.value(name).orElseThrow())).orElse(null);
        if (ca != null) {
            try {
                PemFiles.certificates(ca);
            } catch (TlsFileException e) {
                throw ConfigException.invalid(caVar.get(), ca.toString(), e.getMessage());
            }
        }
        Optional<String> cert = r.value(JOIN_CERT);
        Optional<String> key = r.value(JOIN_KEY);
        String certVar = JOIN_CERT;
        String keyVar = JOIN_KEY;
        if (cert.isEmpty() && key.isEmpty()) {
            cert = r.value(TlsSettings.PEER_TLS_CERT);
            key = r.value(TlsSettings.PEER_TLS_KEY);
            certVar = TlsSettings.PEER_TLS_CERT;
            keyVar = TlsSettings.PEER_TLS_KEY;
        } else if (cert.isEmpty() || key.isEmpty()) {
            String missing = cert.isEmpty() ? JOIN_CERT : JOIN_KEY;
            throw new ConfigException(missing + " is not set: " + JOIN_CERT + " and " + JOIN_KEY
                    + " go together; expected the path of a PEM file");
        }
        Path certPath = cert.map(v -> path(JOIN_CERT, v)).orElse(null);
        Path keyPath = key.map(v -> path(JOIN_KEY, v)).orElse(null);
        if (certPath != null && keyPath != null) {
            try {
                TlsIdentity.load(certPath, keyPath, null);
            } catch (TlsIdentity.LoadException e) {
                boolean blameKey = e.part() == TlsIdentity.Part.KEY;
                throw ConfigException.invalid(blameKey ? keyVar : certVar, (blameKey ? keyPath : certPath).toString(),
                        e.getMessage());
            }
        } else {
            certPath = null;
            keyPath = null;
        }
        try {
            return ClientSsl.context(ca, certPath, keyPath);
        } catch (TlsFileException e) {
            throw new ConfigException(JOIN_CA + ": cannot build the TLS context for joining: " + e.getMessage());
        }
    }

    private static String password(String variable, String file) {
        String password = AuthSettings.readPassword(variable, file, "the password the join authenticates with");
        if (password.isEmpty()) {
            throw ConfigException.invalid(variable, file, "the file is empty; expected the password the join authenticates with");
        }
        return password;
    }

    private static Path path(String name, String value) {
        try {
            return Path.of(value).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw ConfigException.invalid(name, value, "expected a file path (" + e.getReason() + ")");
        }
    }
}
