package io.leifdb.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfianGeneratorTest {
  private static final int DRAWS = 2_000_000;

  private static long[] histogram(ZipfianGenerator z, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] counts = new long[z.items()];
    for (int i = 0; i < DRAWS; i++) {
      counts[z.next(random)]++;
    }
    return counts;
  }

  @Test
  void headRanksFollowTheZipfLawWithinOnePercentOfDraws() {
    ZipfianGenerator z = new ZipfianGenerator(1000, 0.99);

    long[] counts = histogram(z, 7);

    // Ranks 0 and 1 are drawn exactly by the method; later ranks come from an approximation
    // that bins nearby ranks, so check them loosely and check the mass of the head overall.
    for (int rank = 0; rank < 2; rank++) {
      double expected = z.probability(rank) * DRAWS;
      assertThat((double) counts[rank]).isCloseTo(expected, withPercentage(1));
    }
    double expectedTop10 = 0;
    long top10 = 0;
    for (int rank = 0; rank < 10; rank++) {
      expectedTop10 += z.probability(rank) * DRAWS;
      top10 += counts[rank];
    }
    assertThat((double) top10).isCloseTo(expectedTop10, withPercentage(5));
  }

  @Test
  void skewedTowardLowRanksAndCoversTheWholeRange() {
    ZipfianGenerator z = new ZipfianGenerator(10_000, ZipfianGenerator.DEFAULT_THETA);

    long[] counts = histogram(z, 11);

    long firstTenth = 0;
    for (int i = 0; i < 1000; i++) {
      firstTenth += counts[i];
    }
    // Under theta 0.99 the first 10% of keys take most of the traffic (about 75%).
    assertThat(firstTenth).isBetween((long) (DRAWS * 0.70), (long) (DRAWS * 0.80));
    assertThat(counts[0]).isGreaterThan(counts[1]).isGreaterThan(counts[100]);
    assertThat(counts[counts.length - 1] + counts[counts.length - 2]).isPositive();
  }

  @Test
  void sameSeedSameSequence() {
    ZipfianGenerator z = new ZipfianGenerator(500, 0.9);
    SplittableRandom a = new SplittableRandom(3);
    SplittableRandom b = new SplittableRandom(3);
    for (int i = 0; i < 10_000; i++) {
      assertThat(z.next(a)).isEqualTo(z.next(b));
    }
  }

  @Test
  void tinyKeySpacesStayInRange() {
    for (int n = 1; n <= 3; n++) {
      ZipfianGenerator z = new ZipfianGenerator(n, 0.99);
      SplittableRandom random = new SplittableRandom(n);
      for (int i = 0; i < 10_000; i++) {
        assertThat(z.next(random)).isBetween(0, n - 1);
      }
    }
  }

  @Test
  void rejectsThetaOutsideOpenUnitInterval() {
    assertThatThrownBy(() -> new ZipfianGenerator(10, 1.0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ZipfianGenerator(0, 0.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
