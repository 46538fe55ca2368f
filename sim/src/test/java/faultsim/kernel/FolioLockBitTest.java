package faultsim.kernel;

import static faultsim.machine.Scenario.cpu;
import static org.assertj.core.api.Assertions.assertThat;

import faultsim.locks.Lock;
import faultsim.locks.LockKind;
import faultsim.locks.LockStats;
import faultsim.machine.MachineSpec;
import faultsim.machine.Scenario;
import faultsim.machine.SpinlockKind;
import faultsim.machine.Task;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A folio's {@code PG_locked} as a bit of the folio, with a lock object only while a task waits:
 * the same lock_stat as the lock object alone gives (FolioLockTest's scenarios are the object's).
 */
final class FolioLockBitTest {
  /** Three cores, 1 us wake-up latency, every other cost zero. */
  private static MachineSpec spec() {
    return new MachineSpec(3, 1, SpinlockKind.QUEUED, true, Scenario.zeroExceptWakeup(1_000));
  }

  private static Folio folio(Scenario s) {
    Kernel k = new Kernel(s.machine(), s.locks());
    return k.createFile("f", FsType.EXT4, 1 << 20, 1.0).folio(0);
  }

  @Test
  void uncontendedLockAndUnlock_keepNoLockObject() {
    // A locks at 0, holds 4 us, unlocks; B locks at 6 us, holds 1 us. Nobody waits, so the lock
    // is the bit alone throughout; lock_stat: 2 acquisitions, no contention, holds 4 + 1 us.
    Scenario s = new Scenario(spec());
    Folio f = folio(s);
    s.spawn("A", 0, t -> f.lock(t),
        s.observe("locked, object", () -> (f.isLocked() ? 10 : 0) + (f.hasLockObject() ? 1 : 0)),
        cpu(4_000), t -> f.unlock(t));
    s.spawn("B", 6_000, t -> f.lock(t), cpu(1_000), t -> f.unlock(t));

    s.run();

    assertThat(s.value("locked, object")).isEqualTo(10);
    assertThat(f.isLocked()).isFalse();
    assertThat(f.hasLockObject()).isFalse();
    LockStats st = s.locks().lockClass("PG_locked", LockKind.FOLIO).write();
    assertThat(st.acquisitions()).isEqualTo(2);
    assertThat(st.contentions()).isZero();
    assertThat(st.holds()).isEqualTo(2);
    assertThat(st.holdTotalNs()).isEqualTo(5_000);
    assertThat(st.holdMaxNs()).isEqualTo(4_000);
  }

  @Test
  void trylockOfATakenBit_failsWithoutALockObject() {
    // A holds 0..5 us; T's trylock at 1 us finds the bit set: result 0, and still no object,
    // as the kernel's test-and-set needs no wait queue.
    Scenario s = new Scenario(spec());
    Folio f = folio(s);
    s.spawn("A", 0, t -> f.lock(t), cpu(5_000), t -> f.unlock(t));
    s.spawn("T", 1_000, t -> f.trylock(t), s.result("trylock"),
        s.observe("object", () -> f.hasLockObject() ? 1 : 0));

    s.run();

    assertThat(s.value("trylock")).isZero();
    assertThat(s.value("object")).isZero();
  }

  @Test
  void waiterOnTheBit_getsTheSameLockStatAsOnTheLockObject() {
    // A locks at 0 (no one waits: the bit), B asks at 2 us and sleeps (the object is made,
    // taking the lock over as A's, taken at "A steps"), A unlocks at 10 us, B is back on its
    // core at 11 us and takes it, holds 5 us. C asks at 12 us and waits for B's unlock at 16 us,
    // holding from 17 us for 1 us.
    //   waits: B 2 -> 11 = 9 us, C 12 -> 17 = 5 us; holds: A 10, B 5, C 1 us.
    //   contention points: B's against A's site, C's against B's.
    // The same script on a lock object alone (a folio_lock_t a design declares) gives the same.
    Scenario onFolio = new Scenario(spec());
    Folio f = folio(onFolio);
    LockStats bit = run(onFolio, t -> f.lock(t), t -> f.unlock(t))
        .locks().lockClass("PG_locked", LockKind.FOLIO).write();
    assertThat(f.hasLockObject()).isFalse();

    Scenario onObject = new Scenario(spec());
    Lock l = onObject.lock("PG_locked", LockKind.FOLIO);
    LockStats object = run(onObject, t -> l.acquire(t, true), t -> l.release(t, true))
        .locks().lockClass("PG_locked", LockKind.FOLIO).write();

    for (LockStats st : new LockStats[] {bit, object}) {
      assertThat(st.acquisitions()).isEqualTo(3);
      assertThat(st.contentions()).isEqualTo(2);
      assertThat(st.waitTotalNs()).isEqualTo(14_000);
      assertThat(st.waitMaxNs()).isEqualTo(9_000);
      assertThat(st.holds()).isEqualTo(3);
      assertThat(st.holdTotalNs()).isEqualTo(16_000);
      assertThat(st.holdMaxNs()).isEqualTo(10_000);
    }
    assertThat(bit.contentionPoints()).isEqualTo(object.contentionPoints());
    assertThat(bit.contendingPoints()).isEqualTo(object.contendingPoints());
    assertThat(bit.contendingPoints()).containsKeys("A steps", "B steps");
  }

  @Test
  void unlockByAnotherTask_endsTheHoldersHold() {
    // A locks at 0 and computes 20 us; U unlocks at 5 us (a folio has no owner). A's held stack
    // is emptied and the hold 0 -> 5 us recorded; the bit is clear for C's trylock at 6 us.
    Scenario s = new Scenario(spec());
    Folio f = folio(s);
    Task a = s.spawn("A", 0, t -> f.lock(t), cpu(20_000));
    s.spawn("U", 5_000, t -> f.unlock(t), s.observe("A's held locks", () -> a.held().size()));
    s.spawn("C", 6_000, t -> f.trylock(t), s.result("C trylock"), t -> f.unlock(t));

    s.run();

    assertThat(s.value("A's held locks")).isZero();
    assertThat(s.value("C trylock")).isEqualTo(1);
    LockStats st = s.locks().lockClass("PG_locked", LockKind.FOLIO).write();
    assertThat(st.holds()).isEqualTo(2);
    assertThat(st.holdMaxNs()).isEqualTo(5_000);
  }

  private static Scenario run(Scenario s, Consumer<Task> lock, Consumer<Task> unlock) {
    s.spawn("A", 0, lock::accept, cpu(10_000), unlock::accept);
    s.spawn("B", 2_000, lock::accept, cpu(5_000), unlock::accept);
    s.spawn("C", 12_000, lock::accept, cpu(1_000), unlock::accept);
    return s.run();
  }
}
