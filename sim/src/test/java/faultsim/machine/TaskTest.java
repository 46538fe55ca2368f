package faultsim.machine;

import static faultsim.machine.Scenario.acquire;
import static faultsim.machine.Scenario.cpu;
import static faultsim.machine.Scenario.release;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.locks.Lock;
import faultsim.locks.LockKind;
import org.junit.jupiter.api.Test;

/** {@link Task}: time slicing, non-preemptible sections, accounting and bad input. */
final class TaskTest {
  private static MachineSpec oneCoreSlice(long sliceNs) {
    return new MachineSpec(1, 1, SpinlockKind.QUEUED, true,
        new CostProfile(0, 0, 0, 0, 0, sliceNs, 4_000_000, 5));
  }

  @Test
  void cpu_twoTasksOneCore_alternateInSlices() {
    // One core, 3 us slices, free context switches; A and B each compute 10 us from 0.
    //   A 0-3, B 3-6, A 6-9, B 9-12, A 12-15, B 15-18, A 18-19 (done), B 19-20 (done)
    Scenario s = new Scenario(oneCoreSlice(3_000));
    Task a = s.spawn("A", 0, cpu(10_000), s.mark("A done"));
    s.spawn("B", 0, cpu(10_000), s.mark("B done"));

    s.run();

    assertThat(s.time("A done")).isEqualTo(19_000);
    assertThat(s.time("B done")).isEqualTo(20_000);
    assertThat(a.timeInStateNs(Task.State.BUSY)).isEqualTo(10_000);
    assertThat(a.timeInStateNs(Task.State.RUNNABLE)).isEqualTo(9_000);
    assertThat(s.machine().core(0).busyNs()).isEqualTo(20_000);
  }

  @Test
  void cpu_underSpinlock_isNotPreempted() {
    // As above but A computes inside spin_lock: non-preemptible, so A runs 0-10 and B 10-20.
    Scenario s = new Scenario(oneCoreSlice(3_000));
    Lock ptl = s.lock("ptlock", LockKind.SPINLOCK);
    s.spawn("A", 0, acquire(ptl), cpu(10_000), release(ptl), s.mark("A done"));
    s.spawn("B", 0, cpu(10_000), s.mark("B done"));

    s.run();

    assertThat(s.time("A done")).isEqualTo(10_000);
    assertThat(s.time("B done")).isEqualTo(20_000);
  }

  @Test
  void coreTime_busySpinningIdle_chargedToTheCoreOfEachInterval() {
    // Two cores, every cost zero. A (cpu0 from 0) holds the spinlock while computing 0-5 us.
    // B starts at 1 us on the idle cpu1 and spins for the lock 1-5 us, computes 5-7 us under it,
    // sleeps 7-10 us (cpu1 idle), wakes onto cpu1 again and computes 10-11 us.
    //   cpu0: busy 5 us; cpu1: spinning 4 us, busy 2 + 1 = 3 us; the rest of the run idle.
    // The steps between changes of activity (running, then busy) change nothing on the core:
    // its time is charged when the activity changes, so the sums must come out whole.
    Scenario s = new Scenario(Scenario.zeroCost(2, true));
    Lock ptl = s.lock("ptlock", LockKind.SPINLOCK);
    s.spawn("A", 0, acquire(ptl), cpu(5_000), release(ptl));
    Task b = s.spawn("B", 1_000, acquire(ptl), s.mark("B holds"), cpu(2_000), release(ptl),
        Scenario.sleepFor(3_000), s.mark("B back"), cpu(1_000), s.mark("B done"));

    s.run();

    assertThat(s.time("B holds")).isEqualTo(5_000);
    assertThat(s.time("B back")).isEqualTo(10_000);
    assertThat(s.time("B done")).isEqualTo(11_000);
    Core cpu0 = s.machine().core(0);
    Core cpu1 = s.machine().core(1);
    assertThat(cpu0.busyNs()).isEqualTo(5_000);
    assertThat(cpu0.spinNs()).isZero();
    assertThat(cpu0.idleNs()).isEqualTo(Scenario.END_NS - 5_000);
    assertThat(cpu1.busyNs()).isEqualTo(3_000);
    assertThat(cpu1.spinNs()).isEqualTo(4_000);
    assertThat(cpu1.idleNs()).isEqualTo(Scenario.END_NS - 7_000);
    assertThat(b.timeInStateNs(Task.State.SPINNING)).isEqualTo(4_000);
    assertThat(b.timeInStateNs(Task.State.BUSY)).isEqualTo(3_000);
    assertThat(b.timeInStateNs(Task.State.SLEEPING)).isEqualTo(3_000);
  }

  @Test
  void cpu_negative_messageNamesTaskAndValue() {
    Scenario s = new Scenario(Scenario.zeroCost(1, true));
    s.spawn("T", 0, cpu(-1));

    assertThatThrownBy(s::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("T: cpu time must be >= 0, was -1 ns");
  }

  @Test
  void busyAndSleep_negative_messagesNameTaskAndValue() {
    Scenario s1 = new Scenario(Scenario.zeroCost(1, true));
    s1.spawn("T", 0, t -> t.busy(-2));
    assertThatThrownBy(s1::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("T: a cost must be >= 0, was -2 ns");

    Scenario s2 = new Scenario(Scenario.zeroCost(1, true));
    s2.spawn("T", 0, Scenario.sleepFor(-3));
    assertThatThrownBy(s2::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("T: a sleep must be >= 0, was -3 ns");
  }

  @Test
  void exit_holdingLock_faultNamesLockAndSide() {
    Scenario s = new Scenario(Scenario.zeroCost(1, true));
    Lock rw = s.lock("&mm->mmap_lock", LockKind.RWSEM);
    s.spawn("T", 2_000, Scenario.acquireRead(rw));

    assertThatThrownBy(s::run)
        .isInstanceOf(SimulationException.class)
        .hasMessage("task T at 2000 ns: exited holding &mm->mmap_lock-R");
  }

  @Test
  void rcuReadUnlock_outsideSection_fault() {
    Scenario s = new Scenario(Scenario.zeroCost(1, true));
    s.spawn("T", 0, Task::rcuReadUnlock);

    assertThatThrownBy(s::run)
        .isInstanceOf(SimulationException.class)
        .hasMessage("task T at 0 ns: rcu_read_unlock() outside an RCU read section");
  }

  @Test
  void sleepFor_withWakeupLatency_accountsSleepingThenWaking() {
    // Sleep 10 us with a 2 us wake-up latency: SLEEPING 0..10, WAKING 10..12, back at 12 us.
    Scenario s = new Scenario(new MachineSpec(1, 1, SpinlockKind.QUEUED, true,
        Scenario.zeroExceptWakeup(2_000)));
    Task t = s.spawn("T", 0, Scenario.sleepFor(10_000), s.mark("back"));

    s.run();

    assertThat(s.time("back")).isEqualTo(12_000);
    assertThat(t.timeInStateNs(Task.State.SLEEPING)).isEqualTo(10_000);
    assertThat(t.timeInStateNs(Task.State.WAKING)).isEqualTo(2_000);
  }
}
