package faultsim.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ConfidenceIntervalTest {
  @Property
  void intervalsOfPositiveQuantitiesNeverGoBelowZero(
      @ForAll @Size(min = 2, max = 12) java.util.List<@DoubleRange(min = 0.0, max = 1e9) Double>
          values) {
    double[] xs = values.stream().mapToDouble(Double::doubleValue).toArray();
    double mean = ConfidenceInterval.mean(xs);
    double[] lh = ConfidenceInterval.positive(mean, ConfidenceInterval.halfWidth(xs, 0.99));
    if (mean > 0) {
      assertThat(lh[0]).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(mean);
      assertThat(lh[1]).isGreaterThanOrEqualTo(mean);
    } else {
      assertThat(lh[0]).isNaN();
    }
  }

  @Property
  void pairedRatiosStayPositive(
      @ForAll @Size(min = 2, max = 12) java.util.List<@DoubleRange(min = 0.01, max = 1e9) Double>
          a,
      @ForAll @Size(min = 2, max = 12) java.util.List<@DoubleRange(min = 0.01, max = 1e9) Double>
          b) {
    int n = Math.min(a.size(), b.size());
    double[] x = a.stream().limit(n).mapToDouble(Double::doubleValue).toArray();
    double[] y = b.stream().limit(n).mapToDouble(Double::doubleValue).toArray();
    double[] r = ConfidenceInterval.pairedRatio(x, y, 0.99);
    // Never below zero (exp of a very negative bound may round to 0.0 itself).
    assertThat(r[1]).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(r[0] * (1 + 1e-12));
    assertThat(r[2]).isGreaterThanOrEqualTo(r[0] * (1 - 1e-12));
  }

  @Test
  void theIssuesExampleStaysAboveZero() {
    // 81.17k +- 180.36k, the symmetric interval of two replications, went down to -99.19k.
    // On the log scale: 81.17k * exp(-180.36 / 81.17) = 81.17k * 0.1084 = 8.80k, and
    // 81.17k * exp(2.222) = 81.17k * 9.226 = 748.9k.
    double[] lh = ConfidenceInterval.positive(81_170, 180_360);
    assertThat(lh[0]).isCloseTo(8_800, within(10.0));
    assertThat(lh[1]).isCloseTo(748_900, within(200.0));
  }

  @Test
  void aNarrowIntervalIsTheSymmetricOne() {
    // h / mean = 1 %: exp(-0.01) = 0.99005, exp(0.01) = 1.01005; within 0.005 % of 99 and 101.
    double[] lh = ConfidenceInterval.positive(100, 1);
    assertThat(lh[0]).isCloseTo(99.0, within(0.01));
    assertThat(lh[1]).isCloseTo(101.0, within(0.01));
  }
}
