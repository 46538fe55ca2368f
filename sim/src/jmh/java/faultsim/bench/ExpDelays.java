package faultsim.bench;

/**
 * A cheap source of exponential delays in whole nanoseconds, identical for every event loop it is
 * handed to: a SplitMix64 generator indexes a table of 4,096 exponential quantiles, so that a draw
 * costs a few multiplications and one load rather than a logarithm, and the benchmarks measure the
 * event list rather than the random-variate generation.
 *
 * <p>Entry {@code i} of the table is the quantile at {@code (i + 0.5) / 4096}, rounded; the
 * table's mean is within 0.1 % of {@code meanNs}.
 */
final class ExpDelays {
  private static final int TABLE_BITS = 12;
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private final long[] table = new long[1 << TABLE_BITS];
  private long state;

  ExpDelays(double meanNs, long seed) {
    for (int i = 0; i < table.length; i++) {
      double u = (i + 0.5) / table.length;
      table[i] = Math.round(-meanNs * Math.log1p(-u));
    }
    this.state = seed;
  }

  /** The next delay. */
  long next() {
    long z = (state += GOLDEN_GAMMA);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return table[(int) (z >>> (64 - TABLE_BITS))];
  }
}
