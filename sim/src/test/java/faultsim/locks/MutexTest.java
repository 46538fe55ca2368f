package faultsim.locks;

import static faultsim.machine.Scenario.acquire;
import static faultsim.machine.Scenario.cpu;
import static faultsim.machine.Scenario.release;
import static faultsim.machine.Scenario.sleepFor;
import static faultsim.machine.Scenario.tryAcquire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.machine.CostProfile;
import faultsim.machine.MachineSpec;
import faultsim.machine.Scenario;
import faultsim.machine.SimulationException;
import faultsim.machine.SpinlockKind;
import faultsim.machine.Task;
import org.junit.jupiter.api.Test;

/** {@code struct mutex} in hand-worked scenarios (kernel-paths.md §B, "Mutex"). */
final class MutexTest {
  private static final String CLASS = "&mapping->i_mmap_mutex";

  @Test
  void mutexLock_wokenTopWaiterLosesRace_nextUnlockHandsOffToIt() {
    // No optimistic spinning; wake-up latency 1 us; everything else free.
    //   0      A locks (fast path), holds 10 us
    //   1 us   B: owner A -> sleeps on the wait list                     [B]
    //   10     A unlocks: wakes the top waiter B (on its core at 11)
    //   10.5   C: the lock is free and HANDOFF is not set -> C takes it (steals), holds 10 us
    //   11     B retries: owner C -> B is the top waiter, sets HANDOFF, sleeps
    //   15     D: owner C -> sleeps                                       [B, D]
    //   20.5   C unlocks: HANDOFF -> ownership passes to B directly (B on its core at 21.5)
    //   21     E: owner is B (handed off, not yet running) -> sleeps      [D, E]
    //          (without the handoff E would have found the lock free and stolen it again)
    //   21.5   B holds, 5 us; unlocks at 26.5: wakes D (27.5), D takes the free lock
    //   27.5   D holds 1 us; unlocks at 28.5: wakes E, E holds at 29.5
    // lock_stat: 5 acquisitions, 3 contentions: B 1 -> 21.5 = 20.5 us, D 15 -> 27.5 = 12.5 us,
    // E 21 -> 29.5 = 8.5 us; total 41.5 us, max 20.5 us.
    Scenario s = new Scenario(new MachineSpec(5, 1, SpinlockKind.QUEUED, false,
        Scenario.zeroExceptWakeup(1_000)));
    Lock m = s.lock(CLASS, LockKind.MUTEX);
    s.spawn("A", 0, acquire(m), cpu(10_000), release(m));
    s.spawn("B", 1_000, acquire(m), s.mark("B acquired"), cpu(5_000), release(m));
    s.spawn("C", 10_500, acquire(m), s.mark("C acquired"), cpu(10_000), release(m));
    s.spawn("D", 15_000, acquire(m), s.mark("D acquired"), cpu(1_000), release(m));
    s.spawn("E", 21_000, acquire(m), s.mark("E acquired"), cpu(1_000), release(m));

    s.run();

    assertThat(s.time("C acquired")).isEqualTo(10_500);
    assertThat(s.time("B acquired")).isEqualTo(21_500);
    assertThat(s.time("D acquired")).isEqualTo(27_500);
    assertThat(s.time("E acquired")).isEqualTo(29_500);
    LockStats st = m.lockClass().write();
    assertThat(st.acquisitions()).isEqualTo(5);
    assertThat(st.contentions()).isEqualTo(3);
    assertThat(st.waitTotalNs()).isEqualTo(41_500);
    assertThat(st.waitMaxNs()).isEqualTo(20_500);
  }

  @Test
  void mutexLock_ownerRunning_spinnerGetsLockAfterThreeTransfers() {
    // Optimistic spinning on; one transfer costs 100 ns, a local atomic 0. 2 cores.
    //   0      A's cmpxchg on a line nobody owns: fetched at a transfer's cost -> A holds from
    //          0.1 us, then computes 10 us
    //   1 us   B's cmpxchg moves the line to cpu1 (not charged while it then spins); the owner
    //          runs -> B spins reading the owner word
    //   10.1   A unlocks: its atomic takes the line back from cpu1 (10.2), B's spin re-reads it
    //          (10.3) and B's cmpxchg takes it from A's shared copy (10.4): B has it at 10.4
    // B spins 1 -> 10.4 = 9.4 us and never sleeps.
    Scenario s = new Scenario(new MachineSpec(2, 1, SpinlockKind.QUEUED, true,
        CostProfile.ZERO.withTransfers(100, 100)));
    Lock m = s.lock(CLASS, LockKind.MUTEX);
    s.spawn("A", 0, acquire(m), cpu(10_000), s.mark("A unlocks"), release(m));
    Task b = s.spawn("B", 1_000, acquire(m), s.mark("B acquired"), release(m));

    s.run();

    assertThat(s.time("A unlocks")).isEqualTo(10_100);
    assertThat(s.time("B acquired")).isEqualTo(10_400);
    assertThat(b.timeInStateNs(Task.State.SPINNING)).isEqualTo(9_400);
    assertThat(s.machine().core(1).spinNs()).isEqualTo(9_400);
    assertThat(b.timeInStateNs(Task.State.SLEEPING)).isZero();
  }

  @Test
  void mutexLock_ownerSleeps_spinnerStopsSpinningAndSleeps() {
    // Optimistic spinning on, every cost zero, 2 cores.
    //   0      A locks, computes 5 us on cpu0
    //   1 us   B: owner running -> spins on cpu1
    //   5 us   A sleeps 10 us holding the mutex: mutex_spin_on_owner() sees the owner off CPU,
    //          B stops spinning and sleeps on the wait list
    //   15     A wakes, computes 5 us, unlocks at 20: wakes B, which takes the lock at 20
    // B: spinning 1 -> 5 = 4 us, sleeping 5 -> 20 = 15 us.
    Scenario s = new Scenario(Scenario.zeroCost(2, true));
    Lock m = s.lock(CLASS, LockKind.MUTEX);
    s.spawn("A", 0, acquire(m), cpu(5_000), sleepFor(10_000), cpu(5_000), release(m));
    Task b = s.spawn("B", 1_000, acquire(m), s.mark("B acquired"), release(m));

    s.run();

    assertThat(s.time("B acquired")).isEqualTo(20_000);
    assertThat(b.timeInStateNs(Task.State.SPINNING)).isEqualTo(4_000);
    assertThat(s.machine().core(1).spinNs()).isEqualTo(4_000);
    assertThat(b.timeInStateNs(Task.State.SLEEPING)).isEqualTo(15_000);
  }

  @Test
  void mutexUnlock_handoffToSleepingWaiter_spinnersStopSpinningAndSleep() {
    // Optimistic spinning on; wake-up latency 1 us; everything else free; 4 cores.
    //   0      A locks, computes 2 us, sleeps 3 us (wakes at 5, on its core at 6), computes 4 us
    //   3 us   B: owner A is off CPU -> B sleeps                          wait list [B]
    //   7, 8   C, E: owner A is running -> both spin (osq order C, E)
    //   10     A unlocks: the first spinner C takes it (no transfer cost); the top waiter B is
    //          woken (on its core at 11)
    //   11     B retries: owner C -> B sets HANDOFF and sleeps
    //   15     C unlocks: HANDOFF -> ownership passes to B, which is not running until 16. E's
    //          owner is now off CPU, so mutex_spin_on_owner() gives up: E sleeps   [E]
    //   16     B holds, computes 1 us, unlocks at 17: wakes E, which takes it at 18
    // E: spinning 8 -> 15 = 7 us, sleeping 15 -> 17 = 2 us.
    Scenario s = new Scenario(new MachineSpec(4, 1, SpinlockKind.QUEUED, true,
        Scenario.zeroExceptWakeup(1_000)));
    Lock m = s.lock(CLASS, LockKind.MUTEX);
    s.spawn("A", 0, acquire(m), cpu(2_000), sleepFor(3_000), cpu(4_000), release(m));
    s.spawn("B", 3_000, acquire(m), s.mark("B acquired"), cpu(1_000), release(m));
    s.spawn("C", 7_000, acquire(m), s.mark("C acquired"), cpu(5_000), release(m));
    Task e = s.spawn("E", 8_000, acquire(m), s.mark("E acquired"), release(m));

    s.run();

    assertThat(s.time("C acquired")).isEqualTo(10_000);
    assertThat(s.time("B acquired")).isEqualTo(16_000);
    assertThat(s.time("E acquired")).isEqualTo(18_000);
    assertThat(e.timeInStateNs(Task.State.SPINNING)).isEqualTo(7_000);
    assertThat(e.timeInStateNs(Task.State.SLEEPING)).isEqualTo(2_000);
  }

  @Test
  void mutexTrylock_heldAndFree_resultsZeroThenOne() {
    // A holds 0..10 us. T tries at 1 us (held -> 0) and at 11 us (free -> 1).
    Scenario s = new Scenario(Scenario.zeroCost(2, true));
    Lock m = s.lock(CLASS, LockKind.MUTEX);
    s.spawn("A", 0, acquire(m), cpu(10_000), release(m));
    s.spawn("T", 1_000, tryAcquire(m, true), s.result("at 1 us"), cpu(10_000),
        tryAcquire(m, true), s.result("at 11 us"), release(m));

    s.run();

    assertThat(s.value("at 1 us")).isEqualTo(0);
    assertThat(s.value("at 11 us")).isEqualTo(1);
  }

  @Test
  void mutexUnlock_byNonOwner_faultNamesOwner() {
    Scenario s = new Scenario(Scenario.zeroCost(2, true));
    Lock m = s.lock(CLASS, LockKind.MUTEX);
    s.spawn("A", 0, acquire(m), cpu(10_000), release(m));
    s.spawn("B", 1_000, release(m));

    assertThatThrownBy(s::run)
        .isInstanceOf(SimulationException.class)
        .hasMessage("task B at 1000 ns: mutex_unlock(&mapping->i_mmap_mutex) but the lock is held"
            + " by A");
  }

  @Test
  void mutexUnlock_unlocked_faultSaysHeldByNobody() {
    Scenario s = new Scenario(Scenario.zeroCost(1, true));
    Lock m = s.lock(CLASS, LockKind.MUTEX);
    s.spawn("B", 0, release(m));

    assertThatThrownBy(s::run)
        .isInstanceOf(SimulationException.class)
        .hasMessage("task B at 0 ns: mutex_unlock(&mapping->i_mmap_mutex) but the lock is held"
            + " by nobody");
  }

  @Test
  void mutexLock_sharedSide_faultSaysNoReadSide() {
    Scenario s = new Scenario(Scenario.zeroCost(1, true));
    Lock m = s.lock(CLASS, LockKind.MUTEX);
    s.spawn("B", 0, t -> m.acquire(t, false));

    assertThatThrownBy(s::run)
        .isInstanceOf(SimulationException.class)
        .hasMessage("task B at 0 ns: mutex_lock(&mapping->i_mmap_mutex): a mutex has no shared"
            + " (read) side");
  }
}
