package faultsim.locks;

import static faultsim.machine.Scenario.acquire;
import static faultsim.machine.Scenario.acquireRead;
import static faultsim.machine.Scenario.cpu;
import static faultsim.machine.Scenario.release;
import static faultsim.machine.Scenario.releaseRead;
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

/**
 * {@code struct rw_semaphore} in hand-worked scenarios (kernel-paths.md §B, "Rwsem"). Unless said
 * otherwise every cost is zero, so a task woken at time T is back on its core and holding the
 * lock at T, and every expected time below follows from the scripts alone.
 */
final class RwSemaphoreTest {
  private static final String CLASS = "&mm->mmap_lock";

  private static Scenario zeroCost(int cores) {
    return new Scenario(Scenario.zeroCost(cores, true));
  }

  @Test
  void downRead_writerWaiting_readerQueuesBehindWriter() {
    // R1 holds for read 0..10 us. W asks for write at 1 us: readers hold, so it queues (no owner
    // writer to spin on). R2 asks for read at 2 us: the lock is reader-owned, but a writer waits,
    // so R2 queues behind W. At 10 us R1's up_read frees the lock and wakes W (the head); W takes
    // it at 10 us, holds 5 us, and its up_write at 15 us grants R2: R2 acquires at 15 us, never
    // before W's up_write.
    //   read side:  R1 no wait; R2 waits 2 -> 15 us = 13 us      (1 contention)
    //   write side: W waits 1 -> 10 us = 9 us                     (1 contention)
    Scenario s = zeroCost(3);
    Lock rw = s.lock(CLASS, LockKind.RWSEM);
    s.spawn("R1", 0, acquireRead(rw), s.mark("R1 acquired"), cpu(10_000), releaseRead(rw));
    s.spawn("W", 1_000, acquire(rw), s.mark("W acquired"), cpu(5_000), s.mark("W up_write"),
        release(rw));
    s.spawn("R2", 2_000, acquireRead(rw), s.mark("R2 acquired"), cpu(1_000), releaseRead(rw));

    s.run();

    assertThat(s.time("R1 acquired")).isEqualTo(0);
    assertThat(s.time("W acquired")).isEqualTo(10_000);
    assertThat(s.time("R2 acquired"))
        .isEqualTo(15_000)
        .isGreaterThanOrEqualTo(s.time("W up_write"));
    LockClass c = rw.lockClass();
    assertThat(c.read().contentions()).isEqualTo(1);
    assertThat(c.read().waitTotalNs()).isEqualTo(13_000);
    assertThat(c.write().contentions()).isEqualTo(1);
    assertThat(c.write().waitTotalNs()).isEqualTo(9_000);
  }

  @Test
  void downRead_onlyReadersHoldAndNoWriterWaits_acquiresAtOnce() {
    // R1 holds for read 0..10 us; R2 asks at 1 us with nobody waiting: reader fast path, it holds
    // at 1 us and the lock has two readers.
    Scenario s = zeroCost(2);
    RwSemaphore rw = (RwSemaphore) s.lock(CLASS, LockKind.RWSEM);
    s.spawn("R1", 0, acquireRead(rw), cpu(10_000), releaseRead(rw));
    s.spawn("R2", 1_000, acquireRead(rw), s.mark("R2 acquired"),
        s.observe("readers at 1 us", rw::readers), cpu(1_000), releaseRead(rw));

    s.run();

    assertThat(s.time("R2 acquired")).isEqualTo(1_000);
    assertThat(s.value("readers at 1 us")).isEqualTo(2);
    assertThat(rw.lockClass().read().contentions()).isZero();
  }

  @Test
  void upWrite_readersQueued_grantsAllQueuedReadersTogether() {
    // Writer spinning off, so W2 queues instead of spinning on the running W (see the next
    // test). W holds 0..10 us. R1 (1 us), W2 (2 us), R2 (3 us), R3 (4 us) queue in that order.
    // The up_write at 10 us finds a reader at the head: rwsem_mark_wake grants every reader in
    // the queue (skipping the writer W2), so R1, R2 and R3 all hold from 10 us and the count is
    // 3. R1 holds 5 us, R2 6 us, R3 7 us; the last up_read at 17 us wakes W2, holding from 17 us.
    Scenario s = new Scenario(Scenario.zeroCost(5, false));
    RwSemaphore rw = (RwSemaphore) s.lock(CLASS, LockKind.RWSEM);
    s.spawn("W", 0, acquire(rw), cpu(10_000), release(rw));
    s.spawn("R1", 1_000, acquireRead(rw), s.mark("R1 acquired"),
        s.observe("readers seen by R1", rw::readers), cpu(5_000), releaseRead(rw));
    s.spawn("W2", 2_000, acquire(rw), s.mark("W2 acquired"), cpu(1_000), release(rw));
    s.spawn("R2", 3_000, acquireRead(rw), s.mark("R2 acquired"), cpu(6_000), releaseRead(rw));
    s.spawn("R3", 4_000, acquireRead(rw), s.mark("R3 acquired"), cpu(7_000), releaseRead(rw));

    s.run();

    assertThat(s.time("R1 acquired")).isEqualTo(10_000);
    assertThat(s.time("R2 acquired")).isEqualTo(10_000);
    assertThat(s.time("R3 acquired")).isEqualTo(10_000);
    assertThat(s.value("readers seen by R1")).isEqualTo(3);
    assertThat(s.time("W2 acquired")).isEqualTo(17_000);
  }

  @Test
  void downWrite_runningWriterOwner_spinsAndTakesLockBeforeQueuedReaders() {
    // Writer spinning on (CONFIG_RWSEM_SPIN_ON_OWNER). W holds 0..10 us on its core. R1 queues
    // at 1 us; W2 at 2 us finds a running writer owner and spins (keeping its core). The
    // up_write at 10 us passes the lock to the spinner (one transfer, free here): W2 holds
    // 10..11 us while R1 stays queued; W2's up_write at 11 us grants R1.
    //   W2 spins 2 -> 10 us = 8 us, the only spinning on the machine.
    Scenario s = zeroCost(3);
    Lock rw = s.lock(CLASS, LockKind.RWSEM);
    s.spawn("W", 0, acquire(rw), cpu(10_000), release(rw));
    s.spawn("R1", 1_000, acquireRead(rw), s.mark("R1 acquired"), cpu(1_000), releaseRead(rw));
    Task w2 = s.spawn("W2", 2_000, acquire(rw), s.mark("W2 acquired"), cpu(1_000), release(rw));

    s.run();

    assertThat(s.time("W2 acquired")).isEqualTo(10_000);
    assertThat(s.time("R1 acquired")).isEqualTo(11_000);
    long spin = 0;
    for (int c = 0; c < s.machine().coreCount(); c++) {
      spin += s.machine().core(c).spinNs();
    }
    assertThat(spin).isEqualTo(8_000);
    assertThat(w2.timeInStateNs(Task.State.SPINNING)).isEqualTo(8_000);
    assertThat(w2.timeInStateNs(Task.State.SLEEPING)).isZero();
  }

  @Test
  void upWrite_readersQueuedWithWakeupLatency_allHoldAfterOneLatency() {
    // As above with only W, R1, R2: wake-up latency 2 us, everything else free. Both readers are
    // granted at the up_write (10 us) and run 2 us later, so both acquire at 12 us.
    Scenario s = new Scenario(new MachineSpec(3, 1, SpinlockKind.QUEUED, true,
        Scenario.zeroExceptWakeup(2_000)));
    Lock rw = s.lock(CLASS, LockKind.RWSEM);
    s.spawn("W", 0, acquire(rw), cpu(10_000), release(rw));
    s.spawn("R1", 1_000, acquireRead(rw), s.mark("R1 acquired"), cpu(1_000), releaseRead(rw));
    s.spawn("R2", 2_000, acquireRead(rw), s.mark("R2 acquired"), cpu(1_000), releaseRead(rw));

    s.run();

    assertThat(s.time("R1 acquired")).isEqualTo(12_000);
    assertThat(s.time("R2 acquired")).isEqualTo(12_000);
  }

  @Test
  void trylock_eachState_succeedsOnlyWhereTheFastPathWould() {
    // Each probe task tries at a moment when the state is known from the scripts:
    //   0 us  free lock:                            down_write_trylock -> 1 (then released)
    //   2 us  R holds for read (1..11 us), no waiter: down_write_trylock -> 0,
    //                                                  down_read_trylock -> 1
    //   21 us W holds for write (20..30 us):          down_read_trylock -> 0,
    //                                                  down_write_trylock -> 0
    Scenario s = zeroCost(2);
    RwSemaphore rw = (RwSemaphore) s.lock(CLASS, LockKind.RWSEM);
    s.spawn("T", 0, tryAcquire(rw, true), s.result("write on free"), release(rw));
    s.spawn("R", 1_000, acquireRead(rw), cpu(10_000), releaseRead(rw));
    s.spawn("T2", 2_000, tryAcquire(rw, true), s.result("write on read-held"),
        tryAcquire(rw, false), s.result("read on read-held"), releaseRead(rw));
    s.spawn("W", 20_000, acquire(rw), cpu(10_000), release(rw));
    s.spawn("T3", 21_000, tryAcquire(rw, false), s.result("read on write-held"),
        tryAcquire(rw, true), s.result("write on write-held"));

    s.run();

    assertThat(s.value("write on free")).isEqualTo(1);
    assertThat(s.value("write on read-held")).isEqualTo(0);
    assertThat(s.value("read on read-held")).isEqualTo(1);
    assertThat(s.value("read on write-held")).isEqualTo(0);
    assertThat(s.value("write on write-held")).isEqualTo(0);
  }

  @Test
  void downReadTrylock_writerWaiting_fails() {
    // R1 holds for read from 0; W queues at 1 us. down_read_trylock at 2 us: the count has
    // RWSEM_FLAG_WAITERS set, which is in RWSEM_READ_FAILED_MASK, so the trylock fails, just as
    // down_read queues (§B: "once a writer is waiting, newly arriving readers block behind it").
    // A trylock that succeeded here would let mmap_read_trylock() in the fault path overtake a
    // waiting mmap() writer.
    Scenario s = zeroCost(3);
    RwSemaphore rw = (RwSemaphore) s.lock(CLASS, LockKind.RWSEM);
    s.spawn("R1", 0, acquireRead(rw), cpu(10_000), releaseRead(rw));
    s.spawn("W", 1_000, acquire(rw), cpu(1_000), release(rw));
    s.spawn("T", 2_000, tryAcquire(rw, false), s.result("read trylock"),
        s.observe("readers", rw::readers));

    s.run();

    assertThat(s.value("read trylock")).isEqualTo(0);
    assertThat(s.value("readers")).isEqualTo(1);
  }

  @Test
  void downRead_stealWhileWriterHeadsQueue_leavesReadersBehindWriterQueued() {
    // Wake-up latency 1 us, all else free; RWSEM_WAIT_TIMEOUT 4 ms (never reached here).
    //   0      R1 down_read, holds 10 us
    //   1 us   W down_write: reader-owned, queues           queue [W]
    //   2 us   R2 down_read: writer waits, queues            queue [W, R2]
    //   10 us  R1 up_read: lock free, head W is woken (back on a core at 11 us)
    //   10.5   S down_read: free, no handoff -> steals the read lock. As first reader it calls
    //          rwsem_mark_wake(READ_OWNED), which wakes nothing when the head is a writer, so R2
    //          stays queued (§B: readers at the head are woken).
    //   11 us  W retries: S holds for read -> sleeps again (waited 10 us < timeout)
    //   20.5   S up_read: wakes W -> W holds at 21.5, writes 5 us, up_write at 26.5
    //   26.5   R2 granted, on its core at 27.5
    Scenario s = new Scenario(new MachineSpec(4, 1, SpinlockKind.QUEUED, true,
        Scenario.zeroExceptWakeup(1_000)));
    Lock rw = s.lock(CLASS, LockKind.RWSEM);
    s.spawn("R1", 0, acquireRead(rw), cpu(10_000), releaseRead(rw));
    s.spawn("W", 1_000, acquire(rw), s.mark("W acquired"), cpu(5_000), release(rw));
    s.spawn("R2", 2_000, acquireRead(rw), s.mark("R2 acquired"), cpu(1_000), releaseRead(rw));
    s.spawn("S", 10_500, acquireRead(rw), s.mark("S acquired"), cpu(10_000), releaseRead(rw));

    s.run();

    assertThat(s.time("S acquired")).isEqualTo(10_500);
    assertThat(s.time("W acquired")).isEqualTo(21_500);
    assertThat(s.time("R2 acquired")).isEqualTo(27_500);
  }

  @Test
  void downWrite_wokenWriterLosesToStealersPastTimeout_getsLockByHandoff() {
    // Wake-up latency 1 us, all else free; RWSEM_WAIT_TIMEOUT 15 us.
    //   0      R0 down_read, holds 10 us
    //   1 us   W down_write: queues (waiting since 1 us)
    //   10 us  R0 up_read: wakes W (runs at 11 us)
    //   10.5   S1 down_read: free, no handoff -> steals, holds 10 us (to 20.5)
    //   11     W retries: read-held; waited 10 us < 15 us -> sleeps, no handoff
    //   12     probe: handoff not set, one reader holds
    //   20.5   S1 up_read: wakes W (runs at 21.5)
    //   21     S2 down_read: steals again, holds 10 us (to 31)
    //   21.5   W retries: read-held; waited 20.5 us >= 15 us and W is first -> sets HANDOFF
    //   22     probe: handoff set
    //   25     S3 down_read: HANDOFF forbids stealing -> queues behind W      queue [W, S3]
    //   31     S2 up_read: HANDOFF and W at the head -> the lock is granted to W, which is on
    //          its core at 32; nobody could take it in between
    //   31.5   S4 down_read: writer-owned -> queues                             queue [S3, S4]
    //   32     W holds (waited 1 -> 32 = 31 us), writes 5 us, up_write at 37
    //   37     head S3 is a reader: S3 and S4 granted together, on their cores at 38
    Scenario s = new Scenario(new MachineSpec(6, 1, SpinlockKind.QUEUED, true,
        new CostProfile(0, 0, 0, 1_000, 0, 3_000_000, 15_000, 5)));
    RwSemaphore rw = (RwSemaphore) s.lock(CLASS, LockKind.RWSEM);
    s.spawn("R0", 0, acquireRead(rw), cpu(10_000), releaseRead(rw));
    s.spawn("W", 1_000, acquire(rw), s.mark("W acquired"), cpu(5_000), release(rw));
    s.spawn("S1", 10_500, acquireRead(rw), s.mark("S1 acquired"), cpu(10_000), releaseRead(rw));
    s.spawn("P1", 12_000, s.observe("handoff at 12 us", () -> rw.handoffSet() ? 1 : 0),
        s.observe("readers at 12 us", rw::readers));
    s.spawn("S2", 21_000, acquireRead(rw), s.mark("S2 acquired"), cpu(10_000), releaseRead(rw));
    s.spawn("P2", 22_000, s.observe("handoff at 22 us", () -> rw.handoffSet() ? 1 : 0));
    s.spawn("S3", 25_000, acquireRead(rw), s.mark("S3 acquired"), cpu(1_000), releaseRead(rw));
    s.spawn("S4", 31_500, acquireRead(rw), s.mark("S4 acquired"), cpu(1_000), releaseRead(rw));

    s.run();

    assertThat(s.time("S1 acquired")).isEqualTo(10_500);
    assertThat(s.value("handoff at 12 us")).isEqualTo(0);
    assertThat(s.value("readers at 12 us")).isEqualTo(1);
    assertThat(s.time("S2 acquired")).isEqualTo(21_000);
    assertThat(s.value("handoff at 22 us")).isEqualTo(1);
    assertThat(s.time("W acquired")).isEqualTo(32_000);
    assertThat(s.time("S3 acquired")).isEqualTo(38_000);
    assertThat(s.time("S4 acquired")).isEqualTo(38_000);
    assertThat(rw.lockClass().write().waitMaxNs()).isEqualTo(31_000);
    assertThat(rw.handoffSet()).isFalse();
  }

  @Test
  void upWrite_handoffToSleepingWriter_writerSpinnersStopSpinningAndQueue() {
    // Writer spinning on; wake-up latency 1 us; RWSEM_WAIT_TIMEOUT 5 us; all else free.
    //   0      R down_read, holds 10 us
    //   1 us   W down_write: reader-owned -> queues                          [W]
    //   10     R up_read: wakes W (on its core at 11)
    //   10.5   X down_write: free, no handoff -> takes it, computes 5 us on its core
    //   10.7   Y down_write: a running writer owns it -> Y spins
    //   11     W retries: X holds; waited 10 us >= 5 us -> sets HANDOFF, sleeps
    //   15.5   X up_write: HANDOFF -> the lock is granted to W, not running until 16.5. Y's
    //          owner is now off CPU, so rwsem_spin_on_owner() stops: Y queues and sleeps  [Y]
    //   16.5   W holds 1 us; up_write at 17.5 wakes Y (head), which takes it at 18.5
    // Y: spinning 10.7 -> 15.5 = 4.8 us, sleeping 15.5 -> 17.5 = 2 us.
    Scenario s = new Scenario(new MachineSpec(4, 1, SpinlockKind.QUEUED, true,
        new CostProfile(0, 0, 0, 1_000, 0, 3_000_000, 5_000, 5)));
    Lock rw = s.lock(CLASS, LockKind.RWSEM);
    s.spawn("R", 0, acquireRead(rw), cpu(10_000), releaseRead(rw));
    s.spawn("W", 1_000, acquire(rw), s.mark("W acquired"), cpu(1_000), release(rw));
    s.spawn("X", 10_500, acquire(rw), s.mark("X acquired"), cpu(5_000), release(rw));
    Task y = s.spawn("Y", 10_700, acquire(rw), s.mark("Y acquired"), release(rw));

    s.run();

    assertThat(s.time("X acquired")).isEqualTo(10_500);
    assertThat(s.time("W acquired")).isEqualTo(16_500);
    assertThat(s.time("Y acquired")).isEqualTo(18_500);
    assertThat(y.timeInStateNs(Task.State.SPINNING)).isEqualTo(4_800);
    assertThat(y.timeInStateNs(Task.State.SLEEPING)).isEqualTo(2_000);
  }

  @Test
  void upWrite_byNonWriter_faultNamesLockAndWriter() {
    Scenario s = zeroCost(2);
    Lock rw = s.lock(CLASS, LockKind.RWSEM);
    s.spawn("W", 0, acquire(rw), cpu(10_000), release(rw));
    s.spawn("X", 1_000, release(rw));

    assertThatThrownBy(s::run)
        .isInstanceOf(SimulationException.class)
        .hasMessage("task X at 1000 ns: up_write(&mm->mmap_lock) but the lock is held for write"
            + " by W");
  }

  @Test
  void upRead_notHeld_faultSaysNotHeldForRead() {
    Scenario s = zeroCost(2);
    Lock rw = s.lock(CLASS, LockKind.RWSEM);
    s.spawn("R", 0, acquireRead(rw), cpu(10_000), releaseRead(rw));
    s.spawn("X", 1_000, releaseRead(rw));

    assertThatThrownBy(s::run)
        .isInstanceOf(SimulationException.class)
        .hasMessage("task X at 1000 ns: up_read(&mm->mmap_lock) but the lock is not held for read;"
            + " held: nothing");
  }

  @Test
  void downWrite_whileHoldingForWrite_faultIsSelfDeadlock() {
    Scenario s = zeroCost(1);
    Lock rw = s.lock(CLASS, LockKind.RWSEM);
    Task t = s.spawn("W", 0, acquire(rw), acquire(rw));

    assertThatThrownBy(s::run)
        .isInstanceOf(SimulationException.class)
        .hasMessageContaining("task W at 0 ns: down_write(&mm->mmap_lock) while holding it for"
            + " write");
    assertThat(t.held()).hasSize(1);
  }
}
