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

  /**
   * The {@code level} interval of a positive quantity's mean, on the log scale: with the
   * delta method, the standard error of {@code log(mean)} is {@code se / mean}, so
   * {@code [mean * exp(-h / mean), mean * exp(h / mean)]} with {@code h} the Student-t
   * half-width of {@link #halfWidth}. It is never below zero, is close to {@code mean +- h} when
   * {@code h} is small against the mean, and widens upward when it is not. {@code {NaN, NaN}}
   * when there is no interval (fewer than two values, or a mean that is not positive).
   */
  public static double[] positive(double mean, double halfWidth) {
    if (!(mean > 0) || Double.isNaN(halfWidth)) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double r = halfWidth / mean;
    return new double[] {mean * Math.exp(-r), mean * Math.exp(r)};
  }

  /**
   * A paired ratio of positive values: the geometric mean of {@code values[i] / baseline[i]}
   * and its {@code level} Student-t interval on the log scale, {@code {ratio, low, high}}; every
   * one of them is positive. NaN where a value is not positive or there are fewer than two.
   */
  public static double[] pairedRatio(double[] baseline, double[] values, double level) {
    int n = values.length;
    double[] logs = new double[n];
    for (int i = 0; i < n; i++) {
      if (!(baseline[i] > 0 && values[i] > 0)) {
        return new double[] {Double.NaN, Double.NaN, Double.NaN};
      }
      logs[i] = Math.log(values[i] / baseline[i]);
    }
    double m = mean(logs);
    double h = halfWidth(logs, level);
    return new double[] {Math.exp(m), Math.exp(m - h), Math.exp(m + h)};
  }
}
