package io.leifdb.server.config;

import io.leifdb.server.auth.AuthRefusedException;
import io.leifdb.server.auth.Passwords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * LEIFDB_AUTH and LEIFDB_ROOT_PASSWORD_FILE. With auth on, the node hashes the root password once at
 * start (the plaintext is never kept or logged) and, when it leads a cluster whose auth is still off,
 * proposes the root user and the token secret through the log.
 *
 * @param on       LEIFDB_AUTH=on: requests must authenticate from the start, even before the bootstrap applies
 * @param rootHash the bcrypt hash of the root password, present when {@code on}
 */
public record AuthSettings(boolean on, Optional<String> rootHash) {
    public static final String AUTH = "LEIFDB_AUTH";
    public static final String ROOT_PASSWORD_FILE = "LEIFDB_ROOT_PASSWORD_FILE";
    public static final AuthSettings OFF = new AuthSettings(false, Optional.empty());

    /** @throws ConfigException one line naming the variable when a value cannot be used */
    public static AuthSettings fromEnv(Map<String, String> env) {
        EnvReader r = new EnvReader(env);
        String v = r.value(AUTH).orElse("off");
        if (v.equals("off")) return OFF;
        if (!v.equals("on")) throw ConfigException.invalid(AUTH, v, "expected on or off");
        if (r.value(Exposure.CORS_ORIGINS).filter(o -> o.equals("*")).isPresent()) {
            throw ConfigException.invalid(Exposure.CORS_ORIGINS, "*", "with " + AUTH + "=on list the origins"
                    + " allowed to send credentials (e.g. https://ui.example.com), never *");
        }
        String file = r.value(ROOT_PASSWORD_FILE).orElseThrow(() -> new ConfigException(ROOT_PASSWORD_FILE
                + " is not set: with " + AUTH + "=on it names a file holding the root user's password"));
        String password = readPassword(ROOT_PASSWORD_FILE, file, "the root password");
        try {
            return new AuthSettings(true, Optional.of(Passwords.hash(password)));
        } catch (AuthRefusedException weak) {
            throw ConfigException.invalid(ROOT_PASSWORD_FILE, file, weak.getMessage());
        }
    }

    /** The stripped content of a password file; one line naming {@code variable} when it cannot be read. */
    static String readPassword(String variable, String file, String holding) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException | InvalidPathException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : "unreadable";
            throw ConfigException.invalid(variable, file, "cannot read it (" + why + "); expected a readable file holding "
                    + holding);
        }
    }
}
