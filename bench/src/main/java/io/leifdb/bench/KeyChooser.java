package io.leifdb.bench;

import java.util.SplittableRandom;

/** Picks the index of the next key to touch, in [0, keyCount). */
interface KeyChooser {
  int next(SplittableRandom random);

  static KeyChooser uniform(int keyCount) {
    return random -> random.nextInt(keyCount);
  }
}
