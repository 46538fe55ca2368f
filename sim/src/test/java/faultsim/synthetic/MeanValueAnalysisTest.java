package faultsim.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import faultsim.engine.Dist;
import faultsim.locks.LockClass;
import faultsim.locks.LockKind;
import faultsim.machine.CostProfile;
import faultsim.machine.MachineSpec;
import faultsim.machine.SpinlockKind;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A closed system of N tasks on N cores, each thinking for Z then holding one lock for S, with
 * every cost (cache transfers, handoffs, wake-ups) zero, is the machine-repairman model: a
 * single FCFS server and a delay station. With exponential S it has product form, so exact Mean
 * Value Analysis gives its throughput and mean wait (see {@link OneLockSystem#mva}); the
 * simulated lock must match within 1 % (throughput) and 2 % (mean wait per acquisition).
 *
 * <p>The run length is chosen per N from the MVA throughput so that about 600,000 operations are
 * measured: the standard error of the mean wait is then well under 1 % even at N = 2, where a
 * wait happens in only ~5 % of acquisitions.
 *
 * <p>With deterministic Z and S there is no queueing theory beyond the bottleneck bound: after a
 * transient the tasks fall into step, and X = min(N / (Z + S), 1 / S) exactly.
 */
final class MeanValueAnalysisTest {
  private static final int[] POPULATIONS = {1, 2, 4, 8, 16, 32, 64};

  static Stream<Arguments> exponentialCases() {
    // (Z, S) pairs: a lock that saturates near N = 21, and one that saturates near N = 3.
    double[][] pairs = {{20_000, 1_000}, {5_000, 2_000}};
    return Stream.of(pairs).flatMap(p -> java.util.Arrays.stream(POPULATIONS)
        .mapToObj(n -> Arguments.of(n, p[0], p[1])));
  }

  @ParameterizedTest(name = "N={0} Z={1}ns S={2}ns")
  @MethodSource("exponentialCases")
  void exponentialThinkAndHold_matchExactMva(int n, double z, double s) {
    double[] expected = OneLockSystem.mva(n, z, s);
    double xPerNs = expected[0];
    long runtimeNs = (long) (600_000 / xPerNs);
    SyntheticSpec spec = OneLockSystem.spec(
        zeroCostMachine(n), LockKind.SPINLOCK, n, Dist.exponential(z), true, Dist.exponential(s),
        runtimeNs / 20, runtimeNs);

    SyntheticRun run = OneLockSystem.run(spec, 42);

    double throughput = run.recorder("worker").operations() / (double) runtimeNs;
    assertThat(throughput).isCloseTo(xPerNs, within(0.01 * xPerNs));
    LockClass lock = run.locks().lockClass("&test->lock", LockKind.SPINLOCK);
    double meanWaitNs = (double) lock.write().waitTotalNs() / lock.write().acquisitions();
    if (n == 1) {
      assertThat(lock.write().contentions()).isZero();
    } else {
      assertThat(meanWaitNs).isCloseTo(expected[1], within(0.02 * expected[1]));
    }
  }

  static Stream<Arguments> deterministicCases() {
    double[][] pairs = {{20_000, 1_000}, {5_000, 2_000}};
    return Stream.of(pairs).flatMap(p -> java.util.Arrays.stream(POPULATIONS)
        .mapToObj(n -> Arguments.of(n, (long) p[0], (long) p[1])));
  }

  @ParameterizedTest(name = "N={0} Z={1}ns S={2}ns")
  @MethodSource("deterministicCases")
  void deterministicThinkAndHold_matchBottleneckBound(int n, long z, long s) {
    double expected = Math.min(n / (double) (z + s), 1.0 / s);
    long runtimeNs = (long) (200_000 / expected);
    SyntheticSpec spec = OneLockSystem.spec(zeroCostMachine(n), LockKind.SPINLOCK, n,
        Dist.constant(z), true, Dist.constant(s), runtimeNs / 10, runtimeNs);

    SyntheticRun run = OneLockSystem.run(spec, 7);

    double throughput = run.recorder("worker").operations() / (double) runtimeNs;
    assertThat(throughput).isCloseTo(expected, within(0.01 * expected));
  }

  static MachineSpec zeroCostMachine(int cores) {
    return new MachineSpec(cores, 1, SpinlockKind.QUEUED, true, CostProfile.ZERO);
  }
}
