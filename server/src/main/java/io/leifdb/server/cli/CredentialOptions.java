package io.leifdb.server.cli;

import io.leifdb.client.LeifClientBuilder;
import io.leifdb.client.LeifException;
import picocli.CommandLine.Option;

/** Who the client command acts as when the cluster has auth on: a user and password (Basic) or a token (Bearer). */
public final class CredentialOptions {
    @Option(names = "--user", paramLabel = "NAME", defaultValue = "${env:LEIFDB_USER}",
            description = "User name, with --password (default: $LEIFDB_USER).")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", defaultValue = "${env:LEIFDB_PASSWORD}",
            description = "The user's password (default: $LEIFDB_PASSWORD, which other users cannot see in ps).")
    String password;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:LEIFDB_TOKEN}",
            description = "A bearer token from 'leifdb auth token' (default: $LEIFDB_TOKEN).")
    String token;

    /** Gives {@code b} the credentials these options ask for, if any. */
    void applyTo(LeifClientBuilder b) {
        if (token != null && !token.isBlank()) {
            if (user != null) throw new LeifException(0, "bad_credentials", "give --token or --user, not both");
            b.bearerToken(token);
            return;
        }
        if (user == null) {
            if (password != null) throw new LeifException(0, "bad_credentials", "--password needs --user");
            return;
        }
        if (password == null) throw new LeifException(0, "bad_credentials", "--user needs --password (or $LEIFDB_PASSWORD)");
        b.basicAuth(user, password);
    }
}
