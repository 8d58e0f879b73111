package io.leifdb.server.cli;

import io.leifdb.client.LeifClient;
import io.leifdb.client.LeifClientBuilder;
import io.leifdb.client.LeifException;
import io.leifdb.server.tls.ClientSsl;
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
            throw new LeifException(0, "bad_timeout", "--timeout \"" + timeoutSeconds
                    + "\" is not valid: expected a positive number of seconds");
        }
        // One attempt: a person at the prompt sees each failure at once and decides whether to try again.
        LeifClientBuilder b = LeifClient.builder(url).timeout(Duration.ofSeconds(timeoutSeconds)).maxAttempts(1);
        SSLContext ssl = ssl();
        if (ssl != null) b.sslContext(ssl).sslParameters(ClientSsl.parameters(ssl));
        credentials.applyTo(b);
        try {
            return b.build();
        } catch (LeifException e) {
            throw e.code().equals("bad_url") ? new LeifException(0, e.code(), "--url " + e.getMessage()) : e;
        }
    }

    private SSLContext ssl() {
        try {
            return tls.sslContext();
        } catch (TlsFileException e) {
            throw new LeifException(0, "bad_tls", e.getMessage());
        }
    }
}
