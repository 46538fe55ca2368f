package faultsim.stats;

import org.apache.commons.math3.distribution.TDistribution;

/** Mean and Student-t confidence half-width of a sample of per-replication values. */
public final class ConfidenceInterval {
  private ConfidenceInterval() {}

  public static double mean(double[] xs) {
    double s = 0;
    for (double x : xs) {
      s += x;
    }
    return xs.length == 0 ? Double.NaN : s / xs.length;
  }

  /**
   * Half-width of the two-sided {@code level} confidence interval for the mean:
   * {@code t(1 - (1 - level)/2, n - 1) * s / sqrt(n)}; NaN for fewer than two values.
   */
  public static double halfWidth(double[] xs, double level) {
    int n = xs.length;
    if (n < 2) {
      return Double.NaN;
    }
    double m = mean(xs);
    double ss = 0;
    for (double x : xs) {
      ss += (x - m) * (x - m);
    }
    double sd = Math.sqrt(ss / (n - 1));
    double t = new TDistribution(null, n - 1).inverseCumulativeProbability(1 - (1 - level) / 2);
    return t * sd / Math.sqrt(n);
  }
}
