package io.leifdb.server.http;

import io.helidon.http.Status;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding of keys and query values. Keys are decoded from the raw path ourselves, so that
 * {@code /db/a%2Fb} and {@code /db/a/b} both name "a/b" and nothing is decoded twice.
 */
final class Keys {
    static final String DB_PREFIX = "/db/";

    private Keys() {
    }

    /** The key addressed by a raw path that starts with {@code /db/}, checked against the size limit. */
    static String fromRawPath(String rawPath, int maxKeyBytes) {
        String key = decode(rawPath, DB_PREFIX.length(), rawPath.length(), false, "bad_key", "key");
        checkKey(key, maxKeyBytes, "key");
        return key;
    }

    /** Rejects empty keys and keys longer than the limit in UTF-8 bytes. */
    static void checkKey(String key, int maxKeyBytes, String what) {
        if (key.isEmpty()) {
            throw ApiError.badRequest("empty_key", "the " + what + " is empty; give it after /db/");
        }
        int bytes = utf8Length(key, what);
        if (bytes > maxKeyBytes) {
            throw ApiError.badRequest("key_too_long", "the " + what + " is " + bytes
                    + " bytes of UTF-8; at most " + maxKeyBytes + " are allowed");
        }
    }

    /** Like {@link #checkKey} for optional strings such as a prefix: empty is fine. */
    static void checkLength(String s, int maxKeyBytes, String what) {
        int bytes = utf8Length(s, what);
        if (bytes > maxKeyBytes) {
            throw ApiError.badRequest("key_too_long", "the " + what + " is " + bytes
                    + " bytes of UTF-8; at most " + maxKeyBytes + " are allowed");
        }
    }

    /**
     * Decodes {@code s[from, to)}: %XX escapes as UTF-8 bytes, and '+' as a space when {@code plusIsSpace}
     * (query strings, as the original's Go server read them). Malformed input is a 400 naming {@code what}.
     * Helidon reads the request line as US-ASCII, so every raw byte above 0x7F arrives as U+FFFD and its
     * value is lost: such a URL is refused (RFC 3986 asks for percent-encoding) rather than stored under
     * a key the client did not send.
     */
    static String decode(String s, int from, int to, boolean plusIsSpace, String code, String what) {
        boolean plain = true;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                throw ApiError.badRequest("raw_non_ascii", "the " + what + " holds raw bytes outside ASCII;"
                        + " percent-encode them as UTF-8 (e.g. caf%C3%A9 for café)");
            }
            if (c == '%' || (plusIsSpace && c == '+')) {
                plain = false;
            }
        }
        if (plain) {
            return s.substring(from, to);
        }
        ByteBuffer bytes = ByteBuffer.allocate(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < to ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw ApiError.badRequest(code, "the " + what + " has a malformed %-escape at \""
                            + s.substring(i, Math.min(to, i + 3)) + "\"");
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else {
                bytes.put(plusIsSpace && c == '+' ? (byte) ' ' : (byte) c);
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw ApiError.badRequest(code, "the " + what + " is not valid UTF-8 once %-decoded");
        }
    }

    /** UTF-8 length without encoding; a lone surrogate cannot be stored faithfully, so it is refused. */
    static int utf8Length(CharSequence s, String what) {
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiError.badRequest("bad_" + what.replace(' ', '_'), "the " + what
                        + " holds an unpaired UTF-16 surrogate, which is not valid Unicode");
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** A value as UTF-8 bytes, refused with 413 past the limit before any encoding work is wasted. */
    static byte[] valueBytes(String value, int maxValueBytes) {
        if (value.length() > maxValueBytes) {
            throw tooLarge(value.length(), maxValueBytes);
        }
        int bytes = utf8Length(value, "value");
        if (bytes > maxValueBytes) {
            throw tooLarge(bytes, maxValueBytes);
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static ApiError tooLarge(int bytes, int max) {
        return new ApiError(Status.REQUEST_ENTITY_TOO_LARGE_413, "value_too_large",
                "the value is at least " + bytes + " bytes of UTF-8; at most " + max + " are allowed");
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
