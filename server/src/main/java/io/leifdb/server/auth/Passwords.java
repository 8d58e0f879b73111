package io.leifdb.server.auth;

import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** bcrypt (memory-hard enough to make offline guessing costly), and the rule a new password must meet. */
public final class Passwords {
    /** 2^10 rounds: about 50-100 ms on one core, so a Basic request stays usable and guessing stays slow. */
    static final int COST = 10;
    public static final int MIN_LENGTH = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {
    }

    /**
     * The bcrypt hash of {@code password}.
     *
     * @throws AuthRefusedException if the password is too weak (the client's 400)
     */
    public static String hash(String password) {
        check(password);
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate(password.toCharArray(), salt, COST);
    }

    /** Whether {@code password} matches {@code hash}; a malformed hash never matches. */
    public static boolean matches(String password, String hash) {
        try {
            return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
        } catch (IllegalArgumentException | org.bouncycastle.crypto.DataLengthException bad) {
            return false;
        }
    }

    /** A hash no password is known for, computed once, to spend a real check's time on an unknown user. */
    private static final class Decoy {
        static final String HASH = hash("decoy-" + new java.math.BigInteger(128, RANDOM).toString(36));
    }

    /** Spends as long as {@link #matches} on a real user, and is always false. */
    public static boolean matchesNobody(String password) {
        matches(password, Decoy.HASH);
        return false;
    }

    /** bcrypt reads at most 72 bytes, so a longer password would be silently cut: refused instead. */
    static void check(String password) {
        if (password == null || password.isEmpty()) throw new AuthRefusedException("weak_password", "the password is empty");
        if (password.length() < MIN_LENGTH) {
            throw new AuthRefusedException("weak_password", "the password has " + password.length()
                    + " characters; at least " + MIN_LENGTH + " are required");
        }
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 72) {
            throw new AuthRefusedException("weak_password", "the password is longer than bcrypt's 72 bytes");
        }
        if (password.chars().distinct().count() < 3) {
            throw new AuthRefusedException("weak_password", "the password repeats too few characters");
        }
    }
}
