package io.leifdb.server.kv;

/**
 * Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF), checked on the
 * bytes in one pass that also tells whether JSON needs any escape in them. A put's entry records the
 * {@link Kind} of its value, so that a replica holding only a fragment knows the value's JSON form
 * before it has gathered the value (docs/craft.md, "Reads").
 */
public final class Utf8 {
    /** How a value goes into a JSON string: its own bytes, its bytes with escapes, or base64. */
    public enum Kind { PLAIN, NEEDS_ESCAPES, NOT_UTF8 }

    private Utf8() {
    }

    public static Kind scan(byte[] b) {
        boolean escapes = false;
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                escapes |= c < 0x20 || c == '"' || c == '\\';
                i++;
                continue;
            }
            int more;
            int lo = 0x80;
            int hi = 0xBF; // the range of the second byte; the others are always 80..BF
            if (c >= 0xC2 && c <= 0xDF) {
                more = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                more = 2;
                if (c == 0xE0) lo = 0xA0; // overlong
                if (c == 0xED) hi = 0x9F; // surrogates
            } else if (c >= 0xF0 && c <= 0xF4) {
                more = 3;
                if (c == 0xF0) lo = 0x90; // overlong
                if (c == 0xF4) hi = 0x8F; // past U+10FFFF
            } else {
                return Kind.NOT_UTF8;
            }
            if (i + more >= n) return Kind.NOT_UTF8; // cut short
            int second = b[i + 1] & 0xFF;
            if (second < lo || second > hi) return Kind.NOT_UTF8;
            for (int j = 2; j <= more; j++) {
                if ((b[i + j] & 0xC0) != 0x80) return Kind.NOT_UTF8;
            }
            i += more + 1;
        }
        return escapes ? Kind.NEEDS_ESCAPES : Kind.PLAIN;
    }
}
