package faultsim.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * A design's metric against the baseline's, replication by replication. Replication {@code r} of
 * every design draws from substream {@code r} of every random stream (common random numbers), so
 * the two values of a replication saw the same arrivals and accesses and their difference carries
 * little of the noise both share: the paired t-test on the differences is the test to use. The
 * independent (Welch) test is here to show what the pairing buys.
 *
 * <p>No test is made where it would mislead: with fewer than {@link #MIN_N} replications (the
 * t distribution's tails are then so wide, and the normality of the mean so doubtful, that a
 * p-value says little), or when the differences do not vary at all (the t statistic is then
 * 0/0 or infinite, whatever the size of the difference); {@link #notTested} says why.
 *
 * @param n replications compared
 * @param baselineMean mean of the baseline's values
 * @param mean mean of the design's values
 * @param pValue two-sided p-value; NaN when no test was made
 * @param alpha significance level
 * @param notTested why no test was made, or empty
 */
public record Comparison(int n, double baselineMean, double mean, double pValue, double alpha,
    String notTested) {
  /** Significance level of the report: 99 %, as the confidence intervals. */
  public static final double ALPHA = 0.01;

  /** Fewest replications a test is made on. */
  public static final int MIN_N = 5;

  /** Paired t-test of {@code values} against {@code baseline}, element {@code i} with {@code i}. */
  public static Comparison paired(double[] baseline, double[] values, double alpha) {
    if (baseline.length != values.length) {
      throw new IllegalArgumentException("paired samples differ in size: " + baseline.length
          + " and " + values.length);
    }
    int n = values.length;
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = values[i] - baseline[i];
    }
    String why = n < MIN_N ? "n = " + n + " < " + MIN_N + ": not tested"
        : StatUtils.variance(d) != 0 ? ""
        : StatUtils.mean(d) == 0 ? "identical in every replication: not tested"
        : "the same difference in every replication: not tested";
    double p = why.isEmpty() ? new TTest().pairedTTest(values, baseline) : Double.NaN;
    return new Comparison(n, mean(baseline), mean(values), p, alpha, why);
  }

  /** Welch's two-sample t-test, as if the two samples had been drawn independently. */
  public static Comparison independent(double[] baseline, double[] values, double alpha) {
    int n = Math.min(baseline.length, values.length);
    String why = n < MIN_N ? "n = " + n + " < " + MIN_N + ": not tested"
        : StatUtils.variance(baseline) == 0 && StatUtils.variance(values) == 0
        ? "no spread in either sample: not tested" : "";
    double p = why.isEmpty() ? new TTest().tTest(values, baseline) : Double.NaN;
    return new Comparison(n, mean(baseline), mean(values), p, alpha, why);
  }

  private static double mean(double[] xs) {
    return xs.length == 0 ? Double.NaN : StatUtils.mean(xs);
  }

  /** The same comparison with {@code p} in place of its p-value (e.g. adjusted by Holm). */
  public Comparison withPValue(double p) {
    return new Comparison(n, baselineMean, mean, p, alpha, notTested);
  }

  /**
   * Holm's step-down adjustment of the p-values of a family of tests (Holm 1979): the i-th
   * smallest of m is multiplied by {@code m - i + 1}, then made non-decreasing, capped at 1.
   * Rejecting where the adjusted p-value is below alpha keeps the chance of any false
   * "significant" in the family at most alpha, whatever the tests' dependence. Untested
   * comparisons are left as they are and do not count in m.
   */
  public static List<Comparison> holm(List<Comparison> family) {
    List<Integer> tested = new ArrayList<>();
    for (int i = 0; i < family.size(); i++) {
      if (family.get(i).testable()) {
        tested.add(i);
      }
    }
    tested.sort(Comparator.comparingDouble(i -> family.get(i).pValue()));
    List<Comparison> out = new ArrayList<>(family);
    int m = tested.size();
    double running = 0;
    for (int k = 0; k < m; k++) {
      int i = tested.get(k);
      running = Math.max(running, Math.min(1, (m - k) * family.get(i).pValue()));
      out.set(i, family.get(i).withPValue(running));
    }
    return out;
  }

  /** Whether the difference is significant at {@code alpha}. */
  public boolean significant() {
    return !Double.isNaN(pValue) && pValue < alpha;
  }

  /** Whether a p-value could be computed. */
  public boolean testable() {
    return !Double.isNaN(pValue);
  }

  public double difference() {
    return mean - baselineMean;
  }

  /** {@code (mean - baseline) / baseline}; NaN when the baseline mean is zero. */
  public double relativeDifference() {
    return baselineMean == 0 ? Double.NaN : difference() / Math.abs(baselineMean);
  }
}
