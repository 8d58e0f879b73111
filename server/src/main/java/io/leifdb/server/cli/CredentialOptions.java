package io.leifdb.server.cli;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
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

    /** The Authorization header these options ask for, or null when none were given. */
    String authorization() {
        if (token != null && !token.isBlank()) {
            if (user != null) throw new LeifClientException(0, "bad_credentials", "give --token or --user, not both");
            return "Bearer " + token.strip();
        }
        if (user == null) {
            if (password != null) throw new LeifClientException(0, "bad_credentials", "--password needs --user");
            return null;
        }
        if (password == null) throw new LeifClientException(0, "bad_credentials", "--user needs --password (or $LEIFDB_PASSWORD)");
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
