package io.leifdb.bench.jmh;

import java.util.SplittableRandom;

/** Seeded payloads, so every run measures the same bytes. */
final class Payloads {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private Payloads() {
    }

    /** {@code size} random bytes. */
    static byte[] bytes(int size, long seed) {
        byte[] out = new byte[size];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            out[i] = (byte) r.nextInt(256);
        }
        return out;
    }

    /** {@code size} ASCII letters and digits: a value that needs no JSON escaping, one byte per char. */
    static String text(int size, long seed) {
        StringBuilder sb = new StringBuilder(size);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
