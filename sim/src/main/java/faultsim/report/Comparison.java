package faultsim.report;

import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * A design's metric against the baseline's, replication by replication. Replication {@code r} of
 * every design draws from substream {@code r} of every random stream (common random numbers), so
 * the two values of a replication saw the same arrivals and accesses and their difference carries
 * little of the noise both share: the paired t-test on the differences is the test to use. The
 * independent (Welch) test is here to show what the pairing buys.
 *
 * @param n replications compared
 * @param baselineMean mean of the baseline's values
 * @param mean mean of the design's values
 * @param pValue two-sided p-value; NaN when it cannot be computed (fewer than two replications)
 * @param alpha significance level
 */
public record Comparison(int n, double baselineMean, double mean, double pValue, double alpha) {
  /** Significance level of the report: 99 %, as the confidence intervals. */
  public static final double ALPHA = 0.01;

  /** Paired t-test of {@code values} against {@code baseline}, element {@code i} with {@code i}. */
  public static Comparison paired(double[] baseline, double[] values, double alpha) {
    if (baseline.length != values.length) {
      throw new IllegalArgumentException("paired samples differ in size: " + baseline.length
          + " and " + values.length);
    }
    int n = values.length;
    double p;
    if (n < 2) {
      p = Double.NaN;
    } else {
      double[] d = new double[n];
      for (int i = 0; i < n; i++) {
        d[i] = values[i] - baseline[i];
      }
      p = StatUtils.variance(d) == 0 ? degenerate(StatUtils.mean(d)) : new TTest()
          .pairedTTest(values, baseline);
    }
    return new Comparison(n, mean(baseline), mean(values), p, alpha);
  }

  /** Welch's two-sample t-test, as if the two samples had been drawn independently. */
  public static Comparison independent(double[] baseline, double[] values, double alpha) {
    int n = Math.min(baseline.length, values.length);
    double p;
    if (baseline.length < 2 || values.length < 2) {
      p = Double.NaN;
    } else if (StatUtils.variance(baseline) == 0 && StatUtils.variance(values) == 0) {
      p = degenerate(mean(values) - mean(baseline));
    } else {
      p = new TTest().tTest(values, baseline);
    }
    return new Comparison(n, mean(baseline), mean(values), p, alpha);
  }

  /** Differences with no spread: certainly different unless they are all zero. */
  private static double degenerate(double meanDifference) {
    return meanDifference == 0 ? 1 : 0;
  }

  private static double mean(double[] xs) {
    return xs.length == 0 ? Double.NaN : StatUtils.mean(xs);
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
