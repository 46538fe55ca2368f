package faultsim.report;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.engine.RandomStreams;
import faultsim.run.Experiment;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Paired comparisons: with common random numbers a small real difference is significant where
 * the same difference measured on independent streams is lost in the noise.
 */
final class ComparisonTest {
  @Test
  void paired_sharedNoise_findsTwoPercentWhereWelchDoesNot() {
    // Ten replications whose values share a large noise term (sd 5 % of the mean) and differ by
    // 2 % plus a small independent part (sd 0.2 %), as common random numbers make them.
    Random rnd = new Random(3);
    int n = 10;
    double[] a = new double[n];
    double[] b = new double[n];
    for (int r = 0; r < n; r++) {
      double shared = rnd.nextGaussian() * 5;
      a[r] = 100 + shared + rnd.nextGaussian() * 0.2;
      b[r] = 102 + shared + rnd.nextGaussian() * 0.2;
    }

    Comparison paired = Comparison.paired(a, b, Comparison.ALPHA);
    Comparison independent = Comparison.independent(a, b, Comparison.ALPHA);

    assertThat(paired.relativeDifference()).isBetween(0.015, 0.025);
    assertThat(paired.pValue()).isLessThan(1e-6);
    assertThat(paired.significant()).isTrue();
    assertThat(independent.pValue()).isGreaterThan(0.2);
    assertThat(independent.significant()).isFalse();
  }

  @Test
  void paired_degenerateSamples_areFlaggedNotTested() {
    // Identical replications (a workload that draws no randomness) and a constant difference
    // give a t statistic of 0/0 or x/0: no test, and the reason says why.
    double[] same = {1, 2, 3, 4, 5};
    Comparison identical = Comparison.paired(same, same, 0.01);
    assertThat(identical.testable()).isFalse();
    assertThat(identical.significant()).isFalse();
    assertThat(identical.notTested()).isEqualTo("identical in every replication: not tested");
    Comparison shifted = Comparison.paired(same, new double[] {2, 3, 4, 5, 6}, 0.01);
    assertThat(shifted.testable()).isFalse();
    assertThat(shifted.significant()).isFalse();
    assertThat(shifted.notTested()).contains("same difference in every replication");
    // Fewer than five replications: no test, even with a clear difference.
    Comparison two = Comparison.paired(new double[] {1, 1.1}, new double[] {2, 2.3}, 0.01);
    assertThat(two.testable()).isFalse();
    assertThat(two.notTested()).isEqualTo("n = 2 < 5: not tested");
    assertThat(Comparison.paired(new double[] {0, 0}, new double[] {1, 1}, 0.01)
        .relativeDifference()).isNaN();
  }

  @Test
  void holm_multipliesTheSmallestByTheFamilySizeAndKeepsOrder() {
    // Holm (1979): p-values 0.001, 0.004, 0.03 and 0.5 of four tests become
    // 4 * 0.001 = 0.004, 3 * 0.004 = 0.012, max(0.012, 2 * 0.03) = 0.06, max(0.06, 0.5) = 0.5;
    // at alpha 0.01 only the first stays significant, where three of four were before.
    double[] ps = {0.03, 0.001, 0.5, 0.004};
    java.util.List<Comparison> family = new java.util.ArrayList<>();
    for (double p : ps) {
      family.add(new Comparison(5, 1, 2, p, 0.01, ""));
    }
    family.add(new Comparison(2, 1, 2, Double.NaN, 0.01, "n = 2 < 5: not tested"));
    java.util.List<Comparison> adj = Comparison.holm(family);
    assertThat(adj.get(1).pValue()).isCloseTo(0.004, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(adj.get(3).pValue()).isCloseTo(0.012, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(adj.get(0).pValue()).isCloseTo(0.06, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(adj.get(2).pValue()).isEqualTo(0.5);
    assertThat(adj.get(4).testable()).isFalse();
    assertThat(adj.stream().filter(Comparison::significant).count()).isEqualTo(1);
  }

  private static final String WORKLOAD = """
      # Two percent longer critical section: does the comparison see it?
      machine:
        cores: 16
        costs: {atomic_local: 0ns, transfer_same_socket: 0ns, transfer_cross_socket: 0ns,
                wakeup: 0ns, context_switch: 0ns, memory_fetch: 0ns}
      locks:
        L: {kind: spinlock, class: "&test->lock"}
      global:
        runtime: 2ms
        randseed: 11
      jobs:
        worker:
          numjobs: 16
          thinktime_spin: exp(4us)
          steps:
            - spin_lock: L
            - cpu: exp(HOLD)
            - spin_unlock: L
      replications: 8
      """;

  /** Throughput of each replication; replication r uses substream {@code r + offset}. */
  private static double[] throughput(String hold, int offset) throws Exception {
    Workload w = new WorkloadLoader().parse("two-percent.yaml", WORKLOAD.replace("HOLD", hold),
        java.util.List.of());
    RandomStreams streams = RandomStreams.create(w.seed(), w.spec().streamNames());
    double[] out = new double[w.replications()];
    for (int r = 0; r < out.length; r++) {
      out[r] = Experiment.runOne(w, "synthetic", null, r, streams.forReplication(r + offset))
          .jobs().get(0).throughput();
    }
    return out;
  }

  @Test
  void simulatedDesigns_twoPercentLongerHold_significantOnlyWithCommonRandomNumbers()
      throws Exception {
    // Sixteen tasks on sixteen cores, each thinking exp(4 us) and then holding one spinlock for
    // exp(1 us) (design A) or exp(1.02 us) (design B): the lock is saturated, so B completes
    // about 2 % fewer operations. A 2 ms replication has ~2,000 of them, whose count varies by
    // ~2 % between independent replications; on common random numbers every task draws the
    // same think and hold times in A and B (B's scaled by 1.02), and most of that noise cancels.
    double[] a = throughput("1000ns", 0);
    double[] bSameStreams = throughput("1020ns", 0);
    double[] bOtherStreams = throughput("1020ns", 100);

    Comparison crn = Comparison.paired(a, bSameStreams, Comparison.ALPHA);
    Comparison independent = Comparison.independent(a, bOtherStreams, Comparison.ALPHA);
    Comparison mispaired = Comparison.paired(a, bOtherStreams, Comparison.ALPHA);

    assertThat(crn.relativeDifference()).isBetween(-0.03, -0.01);
    assertThat(crn.significant()).as("paired on common random numbers, p=%s", crn.pValue())
        .isTrue();
    assertThat(crn.pValue()).isLessThan(1e-4);
    assertThat(independent.significant()).as("independent streams, p=%s", independent.pValue())
        .isFalse();
    assertThat(mispaired.significant()).as("pairs of independent runs, p=%s", mispaired.pValue())
        .isFalse();
  }
}
