package io.leifdb.bench;

import java.util.SplittableRandom;

/**
 * Zipfian key choice: rank r (0-based) is drawn with probability proportional to 1/(r+1)^theta.
 *
 * <p>Uses the rejection-free method of Gray et al., "Quickly Generating Billion-Record Synthetic
 * Databases" (SIGMOD 1994), which YCSB also uses: one uniform draw per key after an O(n) setup.
 * Rank 0 is the hottest key. Immutable, so one instance serves every worker thread.
 */
final class ZipfianGenerator implements KeyChooser {
  /** YCSB's default skew. */
  static final double DEFAULT_THETA = 0.99;

  private final int items;
  private final double theta;
  private final double zetaN;
  private final double alpha;
  private final double eta;
  private final double secondThreshold;

  ZipfianGenerator(int items, double theta) {
    if (items < 1) {
      throw new IllegalArgumentException("need at least one item, got " + items);
    }
    if (!(theta > 0 && theta < 1)) {
      throw new IllegalArgumentException("theta must be in (0, 1), got " + theta);
    }
    this.items = items;
    this.theta = theta;
    this.zetaN = zeta(items, theta);
    this.alpha = 1.0 / (1.0 - theta);
    double zeta2 = zeta(Math.min(2, items), theta);
    // With one item eta is 0/0; any value works since every draw returns rank 0.
    this.eta = items < 3 ? 0 : (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta2 / zetaN);
    this.secondThreshold = 1 + Math.pow(0.5, theta);
  }

  /** The generalised harmonic number: sum of 1/i^theta for i in 1..n. */
  static double zeta(int n, double theta) {
    double sum = 0;
    for (int i = 1; i <= n; i++) {
      sum += 1 / Math.pow(i, theta);
    }
    return sum;
  }

  /** The exact probability of rank {@code r}, for checks. */
  double probability(int rank) {
    return 1 / Math.pow(rank + 1, theta) / zetaN;
  }

  @Override
  public int next(SplittableRandom random) {
    double u = random.nextDouble();
    double uz = u * zetaN;
    if (uz < 1.0) {
      return 0;
    }
    if (items > 1 && uz < secondThreshold) {
      return 1;
    }
    long rank = (long) (items * Math.pow(eta * u - eta + 1, alpha));
    return (int) Math.min(Math.max(rank, 0), items - 1);
  }

  int items() {
    return items;
  }
}
