package faultsim.stats;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.run.Experiment;
import faultsim.run.ReplicationResult;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SequentialRuleTest {
  private static final SequentialRule RULE = new SequentialRule(0.02, 0.99, 5, 200);

  /** Replications of a metric with mean {@code mu} and coefficient of variation {@code cv}. */
  private static double[] normal(long seed, double mu, double cv, int n) {
    Random rnd = new Random(seed);
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = mu * (1 + cv * rnd.nextGaussian());
    }
    return xs;
  }

  private static double relativeHalfWidth(double[] xs, int n) {
    double[] head = Arrays.copyOf(xs, n);
    return ConfidenceInterval.halfWidth(head, 0.99) / ConfidenceInterval.mean(head);
  }

  @Test
  void stopsAtTheFirstReplicationWhereThePrecisionIsMet() {
    // cv 3 %, gamma 2 % (gamma' = 0.02 / 1.02 = 0.0196): the rule needs
    // t(0.995, n-1) * 0.03 / sqrt(n) <= 0.0196, about n = (2.9 * 0.03 / 0.0196)^2 = 20.
    for (long seed = 1; seed <= 50; seed++) {
      double[] xs = normal(seed, 1e6, 0.03, 200);
      int n = RULE.stop(List.of(xs));
      assertThat(n).isBetween(5, 199);
      assertThat(relativeHalfWidth(xs, n)).isLessThanOrEqualTo(0.02 / 1.02);
      for (int k = 5; k < n; k++) {
        assertThat(relativeHalfWidth(xs, k)).isGreaterThan(0.02 / 1.02);
      }
    }
  }

  @Test
  void theStoppingCountFollowsTheVariance() {
    // The expected count grows as cv^2: about 20 at cv 3 % (above), about 5 to 8 at cv 1 %
    // (t(0.995, 4) = 4.60: 4.60 * 0.01 / sqrt(5) = 0.0206 just misses 0.0196 at n = 5, while
    // t(0.995, 5) * 0.01 / sqrt(6) = 4.03 * 0.01 / 2.45 = 0.0165 meets it at n = 6) and
    // (2.65 * 0.06 / 0.0196)^2 = 66 at cv 6 %. Stopping at the first crossing of a noisy
    // half-width makes the mean count a little lower than these.
    double[] mean = new double[3];
    double[] cvs = {0.01, 0.03, 0.06};
    for (int c = 0; c < cvs.length; c++) {
      for (long seed = 1; seed <= 100; seed++) {
        mean[c] += RULE.stop(List.of(normal(seed, 5e5, cvs[c], 200))) / 100.0;
      }
    }
    assertThat(mean[0]).isBetween(5.0, 8.0);
    assertThat(mean[1]).isBetween(14.0, 21.0);
    assertThat(mean[2]).isBetween(52.0, 68.0);
  }

  @Test
  void theMeanItStopsAtIsWithinThePrecisionWithTheIntervalsConfidence() {
    // Law and Kelton: stopping when half-width / |mean| <= gamma / (1 + gamma) bounds the
    // relative error |mean - mu| / mu by gamma with about the interval's confidence (99 %).
    int within = 0;
    int trials = 1000;
    for (long seed = 1; seed <= trials; seed++) {
      double[] xs = normal(seed, 1e6, 0.04, 200);
      int n = RULE.stop(List.of(xs));
      double m = ConfidenceInterval.mean(Arrays.copyOf(xs, n));
      if (Math.abs(m - 1e6) / 1e6 <= 0.02) {
        within++;
      }
    }
    assertThat(within / (double) trials).isGreaterThanOrEqualTo(0.97);
  }

  @Test
  void everySeriesMustBePreciseAndIdenticalValuesArePrecise() {
    double[] constant = new double[30];
    Arrays.fill(constant, 7);
    double[] zeros = new double[30];
    double[] noisy = normal(3, 100, 0.05, 30);
    // Constant series (zeros included) have a zero half-width: precise at the minimum.
    assertThat(RULE.stop(List.of(constant, zeros))).isEqualTo(5);
    // With a noisy series beside them, the noisy one decides.
    assertThat(RULE.stop(List.of(constant, noisy))).isEqualTo(RULE.stop(List.of(noisy)));
    // Too few values to decide yet.
    assertThat(RULE.stop(List.of(Arrays.copyOf(noisy, 4)))).isEqualTo(-1);
  }

  @Test
  void theRuleNeverGoesBeyondItsMaximum() {
    SequentialRule rule = new SequentialRule(0.001, 0.99, 5, 12);
    double[] xs = normal(9, 10, 0.5, 40);
    assertThat(rule.stop(List.of(Arrays.copyOf(xs, 11)))).isEqualTo(-1);
    assertThat(rule.nextTarget(List.of(Arrays.copyOf(xs, 11)))).isEqualTo(12);
    assertThat(rule.stop(List.of(xs))).isEqualTo(12);
  }

  @Test
  void aRunStopsAtThePrecisionOfAWorkloadWhoseVarianceIsKnown() throws Exception {
    // One task running exp(1us) steps back to back on its own core, every machine cost zero:
    // a Poisson process of rate 1/us, so a replication of 1 ms counts N ~ Poisson(1000)
    // operations, a throughput with coefficient of variation 1 / sqrt(1000) = 3.2 %. At 3 %
    // precision (gamma' = 0.0291) the rule needs t(0.995, n-1) * 0.032 / sqrt(n) <= 0.0291,
    // about n = 11; the run must stop where the rule on its own replications says, with the
    // precision met, and give the same replications as a run of that many fixed ones.
    String yaml = """
        machine:
          cores: 1
          costs: {atomic_local: 0ns, transfer_same_socket: 0ns, transfer_cross_socket: 0ns,
                  wakeup: 0ns, context_switch: 0ns, memory_fetch: 0ns}
        global:
          runtime: 1ms
          randseed: 5
        jobs:
          w:
            steps:
              - cpu: exp(1us)
        precision: 3%
        max_replications: 60
        """;
    Workload w = new WorkloadLoader().parse("poisson.yaml", yaml, List.of());
    List<ReplicationResult> runs = Experiment.run(w, 2, null);
    int n = runs.size();
    double[] xs = runs.stream().mapToDouble(r -> r.jobs().get(0).throughput()).toArray();
    assertThat(n).isBetween(6, 30);
    assertThat(relativeHalfWidth(xs, n)).isLessThanOrEqualTo(0.03 / 1.03);
    assertThat(relativeHalfWidth(xs, n - 1)).isGreaterThan(0.03 / 1.03);
    double cv = Math.sqrt(new org.apache.commons.math3.stat.descriptive.moment.Variance()
        .evaluate(xs)) / ConfidenceInterval.mean(xs);
    assertThat(cv).isBetween(0.015, 0.05);
    List<ReplicationResult> fixed = Experiment.run(
        new WorkloadLoader().parse("poisson.yaml", yaml, List.of("replications=" + n)), 1, null);
    List<Double> a = new ArrayList<>();
    List<Double> b = new ArrayList<>();
    runs.forEach(r -> a.add(r.jobs().get(0).throughput()));
    fixed.forEach(r -> b.add(r.jobs().get(0).throughput()));
    assertThat(a).isEqualTo(b);
  }
}
