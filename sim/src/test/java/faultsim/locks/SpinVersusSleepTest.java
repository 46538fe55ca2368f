package faultsim.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import faultsim.machine.CostProfile;
import faultsim.machine.MachineSpec;
import faultsim.machine.SpinlockKind;
import faultsim.machine.Task;
import faultsim.synthetic.SyntheticRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spinning and sleeping waiters on an ideal machine (every cost zero): a queued spinlock and a
 * mutex without optimistic spinning are then the same FIFO work-conserving single server in the
 * closed one-lock system (think Z = exp(10 us), hold S = exp(1 us), N tasks on N cores), so they
 * must give the same throughput; what differs is where the waiting is accounted.
 *
 * <p><b>Throughput tolerance, 0.5 %.</b> Both runs use the same seed, and every task draws its
 * think and hold times from its own stream, so the two runs see identical draws (common random
 * numbers). With zero costs a spinlock handoff and a mutex wake-up both take no time, so the two
 * runs are event-for-event identical until the first time a task ends its think in the very
 * nanosecond a holder releases: the mutex is then free and the newcomer takes it ahead of the
 * woken waiter, while at the spinlock it queues. After such a tie the order of service differs
 * but the draws do not, so the paired difference stays far below the noise of one run: a 100 ms
 * run measures 18,000 (N = 2) to 98,000 (N = 16) operations, a relative standard error of one run
 * of about 1 / sqrt(ops) = 0.3 % to 0.75 %. A systematic difference such as one extra 10 ns per
 * handoff (1 % of S) would move N = 16, where the lock is 98 % busy, by about 1 %.
 *
 * <p><b>CPU accounting.</b> A spinning waiter keeps its core: the cores' spin time equals the
 * spinlock's total wait and no task ever sleeps (thinking is on the CPU). A sleeping waiter frees
 * its core: no core ever spins and the tasks' sleeping time equals the mutex's total wait. The
 * equalities are exact except for waits that straddle the start or end of the measured window
 * (at most N of each, a few microseconds each, against a total of milliseconds to seconds), hence
 * 1 %.
 */
final class SpinVersusSleepTest {
  private static final long RAMP_NS = 1_000_000;
  private static final long RUNTIME_NS = 100_000_000;
  private static final long SEED = 42;

  private static SyntheticRun run(LockKind kind, int n) {
    MachineSpec m = new MachineSpec(n, 1, SpinlockKind.QUEUED, false, CostProfile.ZERO);
    return ClosedLoop.run(m, kind, n, 10_000, 1_000, RAMP_NS, RUNTIME_NS, SEED);
  }

  @ParameterizedTest(name = "N={0}")
  @ValueSource(ints = {2, 4, 8, 16})
  void queuedSpinlockAndSleepingMutex_zeroCosts_sameThroughputDifferentCpuAccounting(int n) {
    SyntheticRun spin = run(LockKind.SPINLOCK, n);
    SyntheticRun sleep = run(LockKind.MUTEX, n);

    double xSpin = ClosedLoop.perUs(spin, RUNTIME_NS);
    double xSleep = ClosedLoop.perUs(sleep, RUNTIME_NS);
    assertThat(xSleep).isCloseTo(xSpin, within(0.005 * xSpin));

    LockStats spinStats = spin.locks().lockClass(ClosedLoop.CLASS, LockKind.SPINLOCK).write();
    long spinNs = ClosedLoop.totalSpinNs(spin);
    assertThat(spinStats.contentions()).isPositive();
    assertThat(spinNs).isPositive();
    assertThat((double) spinNs)
        .isCloseTo(spinStats.waitTotalNs(), within(0.01 * spinStats.waitTotalNs()));
    assertThat(ClosedLoop.totalTimeIn(spin, Task.State.SLEEPING)).isZero();

    LockStats sleepStats = sleep.locks().lockClass(ClosedLoop.CLASS, LockKind.MUTEX).write();
    long sleepingNs = ClosedLoop.totalTimeIn(sleep, Task.State.SLEEPING);
    assertThat(ClosedLoop.totalSpinNs(sleep)).isZero();
    assertThat(sleepingNs).isPositive();
    assertThat((double) sleepingNs)
        .isCloseTo(sleepStats.waitTotalNs(), within(0.01 * sleepStats.waitTotalNs()));
  }
}
