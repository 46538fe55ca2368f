package faultsim.locks;

import static faultsim.machine.Scenario.acquire;
import static faultsim.machine.Scenario.cpu;
import static faultsim.machine.Scenario.release;
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

/** The folio lock ({@code PG_locked}) in hand-worked scenarios (kernel-paths.md §B). */
final class FolioLockTest {

  @Test
  void folioTrylock_lockedThenUnlocked_resultsZeroThenOne() {
    // A holds 0..10 us. T tries at 1 us (locked -> 0) and at 11 us (unlocked -> 1).
    Scenario s = new Scenario(Scenario.zeroCost(2, true));
    Lock f = s.lock("PG_locked", LockKind.FOLIO);
    s.spawn("A", 0, acquire(f), cpu(10_000), release(f));
    s.spawn("T", 1_000, tryAcquire(f, true), s.result("at 1 us"), cpu(10_000),
        tryAcquire(f, true), s.result("at 11 us"), release(f));

    s.run();

    assertThat(s.value("at 1 us")).isEqualTo(0);
    assertThat(s.value("at 11 us")).isEqualTo(1);
  }

  @Test
  void folioLock_wokenWaiterLosesFiveTimes_isHandedTheLock() {
    // sysctl_page_lock_unfairness = 5; wake-up latency 1 us; all else free; 8 cores.
    // H holds 0..10 us. W asks at 1 us and sleeps. Each unlock at U wakes W, which is back on a
    // core at U + 1; a stealer S_k arriving at U + 0.5 finds the bit clear and takes it for
    // 10 us, so W's retry fails and it sleeps again, its steal count now k. Unlock times:
    //   U0 = 10 (H), U1 = 20.5 (S1), U2 = 31, U3 = 41.5, U4 = 52, U5 = 62.5 (S5)
    //   stealers arrive at 10.5, 21, 31.5, 42, 52.5.
    // At U5 W has lost 5 times: folio_wake_bit takes PG_locked on W's behalf (WQ_FLAG_CUSTOM)
    // and W holds it when back on its core at 63.5. S6 arriving at 63 finds it locked and
    // sleeps; W holds 2 us, unlocks at 65.5, S6 is woken and takes it at 66.5.
    // lock_stat: W waited 1 -> 63.5 = 62.5 us; S6 waited 63 -> 66.5 = 3.5 us.
    Scenario s = new Scenario(new MachineSpec(8, 1, SpinlockKind.QUEUED, true,
        Scenario.zeroExceptWakeup(1_000)));
    FolioLock f = (FolioLock) s.lock("PG_locked", LockKind.FOLIO);
    s.spawn("H", 0, acquire(f), cpu(10_000), release(f));
    s.spawn("W", 1_000, acquire(f), s.mark("W acquired"), cpu(2_000), release(f));
    long[] arrivals = {10_500, 21_000, 31_500, 42_000, 52_500};
    for (int k = 0; k < arrivals.length; k++) {
      String name = "S" + (k + 1);
      s.spawn(name, arrivals[k], acquire(f), s.mark(name + " acquired"), cpu(10_000), release(f));
    }
    s.spawn("S6", 63_000, acquire(f), s.mark("S6 acquired"), cpu(1_000), release(f));

    s.run();

    for (int k = 0; k < arrivals.length; k++) {
      assertThat(s.time("S" + (k + 1) + " acquired")).isEqualTo(arrivals[k]);
    }
    assertThat(s.time("W acquired")).isEqualTo(63_500);
    assertThat(s.time("S6 acquired")).isEqualTo(66_500);
    LockStats st = f.lockClass().write();
    assertThat(st.acquisitions()).isEqualTo(8);
    assertThat(st.contentions()).isEqualTo(2);
    assertThat(st.waitMaxNs()).isEqualTo(62_500);
    assertThat(st.waitTotalNs()).isEqualTo(66_000);
  }

  @Test
  void folioLock_unfairnessZero_firstWakeHandsOver() {
    // With sysctl_page_lock_unfairness = 0 the very first unlock hands the lock over: H holds
    // 0..10 us, W sleeps from 1 us, the stealer S at 10.5 us finds the bit already taken on W's
    // behalf and sleeps; W holds at 11 us (1 us wake-up), 1 us, then S at 13 us.
    Scenario s = new Scenario(new MachineSpec(3, 1, SpinlockKind.QUEUED, true,
        new CostProfile(0, 0, 0, 1_000, 0, 3_000_000, 4_000_000, 0)));
    Lock f = s.lock("PG_locked", LockKind.FOLIO);
    s.spawn("H", 0, acquire(f), cpu(10_000), release(f));
    s.spawn("W", 1_000, acquire(f), s.mark("W acquired"), cpu(1_000), release(f));
    s.spawn("S", 10_500, acquire(f), s.mark("S acquired"), release(f));

    s.run();

    assertThat(s.time("W acquired")).isEqualTo(11_000);
    assertThat(s.time("S acquired")).isEqualTo(13_000);
  }

  @Test
  void folioUnlock_byAnotherTask_releasesHoldersEntry() {
    // A locks at 0 and computes 20 us without unlocking; B unlocks at 5 us (no owner: any task
    // may). A's held stack is emptied, the hold (0 -> 5 us) is recorded, C's trylock at 6 us
    // succeeds, and A exits at 20 us holding nothing.
    Scenario s = new Scenario(Scenario.zeroCost(3, true));
    FolioLock f = (FolioLock) s.lock("PG_locked", LockKind.FOLIO);
    Task a = s.spawn("A", 0, acquire(f), cpu(20_000));
    s.spawn("B", 5_000, release(f), s.observe("A's held locks", () -> a.held().size()));
    s.spawn("C", 6_000, tryAcquire(f, true), s.result("C trylock"), release(f));

    s.run();

    assertThat(s.value("A's held locks")).isZero();
    assertThat(s.value("C trylock")).isEqualTo(1);
    assertThat(f.locked()).isFalse();
    LockStats st = f.lockClass().write();
    assertThat(st.holds()).isEqualTo(2);
    assertThat(st.holdMaxNs()).isEqualTo(5_000);
    assertThat(a.state()).isEqualTo(Task.State.EXITED);
  }

  @Test
  void folioUnlock_notLocked_faultSaysNotLocked() {
    Scenario s = new Scenario(Scenario.zeroCost(1, true));
    Lock f = s.lock("PG_locked", LockKind.FOLIO);
    s.spawn("B", 0, release(f));

    assertThatThrownBy(s::run)
        .isInstanceOf(SimulationException.class)
        .hasMessage("task B at 0 ns: folio_unlock() of a folio that is not locked");
  }
}
