package io.leifdb.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Fixed-size keys and JSON write bodies, built once so the load loop does not allocate them.
 *
 * <p>Keys are {@code k} followed by the zero-padded key number: URL-safe, so the request target
 * needs no encoding, and exactly {@code keySize} bytes.
 */
final class Payloads {
  private static final char[] ALPHABET =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
  private static final int BODY_VARIANTS = 16;

  private final int keySize;
  private final String readSuffix;
  private final byte[][] bodies;

  Payloads(int keyCount, int keySize, int valueSize, boolean staleReads, long seed) {
    int digits = Integer.toString(Math.max(keyCount - 1, 0)).length();
    if (keySize < digits + 1) {
      throw new IllegalArgumentException(
          "key size " + keySize + " is too small for " + keyCount + " keys (need "
              + (digits + 1) + ")");
    }
    this.keySize = keySize;
    this.readSuffix = staleReads ? "?consistency=stale" : "";
    SplittableRandom random = new SplittableRandom(seed);
    this.bodies = new byte[BODY_VARIANTS][];
    for (int i = 0; i < BODY_VARIANTS; i++) {
      bodies[i] = jsonBody(randomText(random, valueSize));
    }
  }

  /** The key string for key number {@code index}. */
  String key(int index) {
    String n = Integer.toString(index);
    StringBuilder sb = new StringBuilder(keySize).append('k');
    for (int i = n.length() + 1; i < keySize; i++) {
      sb.append('0');
    }
    return sb.append(n).toString();
  }

  String writeTarget(int index) {
    return "/db/" + key(index);
  }

  String readTarget(int index) {
    return "/db/" + key(index) + readSuffix;
  }

  byte[] body(SplittableRandom random) {
    return bodies[random.nextInt(BODY_VARIANTS)];
  }

  static String randomText(SplittableRandom random, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(chars);
  }

  /** {@code {"value":"..."}}; the text is alphanumeric, so it needs no JSON escaping. */
  static byte[] jsonBody(String value) {
    return ("{\"value\":\"" + value + "\"}").getBytes(StandardCharsets.UTF_8);
  }
}
