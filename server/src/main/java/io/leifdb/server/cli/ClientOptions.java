package io.leifdb.server.cli;

import io.leifdb.server.tls.TlsFileException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options every client command shares. */
public final class ClientOptions {
    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:LEIFDB_URL:-http://localhost:8080}",
            description = "Any node of the cluster (default: $LEIFDB_URL or ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait for an answer (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Mixin
    TlsOptions tls;

    @Mixin
    CredentialOptions credentials;

    LeifClient client() {
        if (timeoutSeconds < 1) {
            throw new LeifClientException(0, "bad_timeout", "--timeout \"" + timeoutSeconds
                    + "\" is not valid: expected a positive number of seconds");
        }
        return new LeifClient(url, Duration.ofSeconds(timeoutSeconds), ssl(), credentials.authorization());
    }

    private SSLContext ssl() {
        try {
            return tls.sslContext();
        } catch (TlsFileException e) {
            throw new LeifClientException(0, "bad_tls", e.getMessage());
        }
    }
}
