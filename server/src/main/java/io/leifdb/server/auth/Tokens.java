package io.leifdb.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Bearer tokens: {@code lf1.<base64url(user \n expiry-epoch-seconds)>.<base64url(HMAC-SHA256)>}, signed with
 * the cluster secret that {@link AuthState} replicates, so every member accepts what any member issued.
 * A token names its user, so deleting the user ends it; it is not stored anywhere.
 */
public final class Tokens {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);
    public static final Duration MAX_TTL = Duration.ofDays(1);
    private static final String PREFIX = "lf1.";

    private final Clock clock;

    public Tokens(Clock clock) {
        this.clock = clock;
    }

    /** A token for {@code user} valid for {@code ttl}. */
    public Issued issue(AuthState state, String user, Duration ttl) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        String body = b64((user + "\n" + expires).getBytes(StandardCharsets.UTF_8));
        return new Issued(PREFIX + body + "." + b64(mac(state.secret(), body)), expires);
    }

    /** A token and when it expires (epoch seconds). */
    public record Issued(String token, long expiresAt) {
    }

    /** The user a valid, unexpired token names, if that user still exists; empty for anything else. */
    public Optional<User> verify(AuthState state, String token) {
        if (!state.enabled() || !token.startsWith(PREFIX)) return Optional.empty();
        int dot = token.indexOf('.', PREFIX.length());
        if (dot < 0) return Optional.empty();
        String body = token.substring(PREFIX.length(), dot);
        byte[] sig;
        byte[] payload;
        try {
            sig = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            payload = Base64.getUrlDecoder().decode(body);
        } catch (IllegalArgumentException bad) {
            return Optional.empty();
        }
        // Constant time, so the signature cannot be found byte by byte from response times.
        if (!MessageDigest.isEqual(sig, mac(state.secret(), body))) return Optional.empty();
        String text = new String(payload, StandardCharsets.UTF_8);
        int nl = text.lastIndexOf('\n');
        if (nl < 0) return Optional.empty();
        long expires;
        try {
            expires = Long.parseLong(text.substring(nl + 1));
        } catch (NumberFormatException bad) {
            return Optional.empty();
        }
        if (clock.instant().getEpochSecond() >= expires) return Optional.empty();
        return state.user(text.substring(0, nl));
    }

    private static byte[] mac(byte[] secret, String body) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(secret, "HmacSHA256"));
            return m.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
