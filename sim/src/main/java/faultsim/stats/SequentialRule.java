package faultsim.stats;

import java.util.List;

/**
 * How many replications to run: the sequential procedure for a relative precision of Law and
 * Kelton (Simulation Modeling and Analysis, 5th ed., section 9.4.1). Replications are added one
 * at a time until, for every series watched, the half-width of the {@code level} Student-t
 * confidence interval of the mean is at most {@code gamma' = gamma / (1 + gamma)} of the mean's
 * magnitude; {@code gamma'} rather than {@code gamma} makes the actual relative error of the
 * mean at most {@code gamma} with the interval's confidence. At least {@code min} and at most
 * {@code max} replications are run.
 *
 * <p>Runs may be made in batches (for parallelism) with {@link #nextTarget}: {@link #stop} then
 * picks, among the replications made, the first count at which the one-at-a-time procedure would
 * have stopped, so the outcome does not depend on the batch sizes.
 *
 * @param precision the relative precision {@code gamma}, e.g. 0.02
 * @param level the confidence level, e.g. 0.99
 * @param min replications always run (at least 2)
 * @param max replications never exceeded
 */
public record SequentialRule(double precision, double level, int min, int max) {
  public SequentialRule {
    if (!(precision > 0) || !(level > 0 && level < 1) || min < 2 || max < min) {
      throw new IllegalArgumentException("precision " + precision + ", level " + level
          + ", min " + min + ", max " + max);
    }
  }

  /** The bound on half-width / |mean| that gives a relative error of at most {@code precision}. */
  public double adjusted() {
    return precision / (1 + precision);
  }

  /**
   * Whether the first {@code n} values of {@code xs} meet the precision: a zero half-width always
   * does (every value equal, a mean of zero included); otherwise the mean must be non-zero.
   */
  public boolean precise(double[] xs, int n) {
    double[] head = java.util.Arrays.copyOf(xs, n);
    double hw = ConfidenceInterval.halfWidth(head, level);
    return hw == 0 || hw <= adjusted() * Math.abs(ConfidenceInterval.mean(head));
  }

  /**
   * The number of replications the one-at-a-time procedure stops at, given the values made so
   * far (every series as long as the shortest counts): the first {@code n >= min} at which every
   * series is precise, or {@code max} if they reach it first; -1 if more replications are needed.
   */
  public int stop(List<double[]> series) {
    int available = series.stream().mapToInt(s -> s.length).min().orElse(0);
    for (int n = min; n <= Math.min(available, max); n++) {
      if (n == max || allPrecise(series, n)) {
        return n;
      }
    }
    return -1;
  }

  private boolean allPrecise(List<double[]> series, int n) {
    for (double[] s : series) {
      if (!precise(s, n)) {
        return false;
      }
    }
    return true;
  }

  /**
   * How many replications to have after the next batch, when {@link #stop} says more are needed:
   * for each imprecise series, {@code n * (halfWidth / (gamma' * |mean|))^2} (the half-width
   * shrinks as {@code 1/sqrt(n)}), the largest of them, at least {@code n + 1} and at most
   * {@code max}.
   */
  public int nextTarget(List<double[]> series) {
    int n = series.stream().mapToInt(s -> s.length).min().orElse(0);
    if (n < min) {
      return min;
    }
    double want = n + 1;
    for (double[] s : series) {
      double[] head = java.util.Arrays.copyOf(s, n);
      double hw = ConfidenceInterval.halfWidth(head, level);
      double bound = adjusted() * Math.abs(ConfidenceInterval.mean(head));
      if (hw > bound) {
        want = Math.max(want, bound == 0 ? max : n * (hw / bound) * (hw / bound));
      }
    }
    return (int) Math.min(max, Math.ceil(want));
  }
}
