package faultsim.machine;

import static faultsim.machine.Scenario.acquire;
import static faultsim.machine.Scenario.acquireRead;
import static faultsim.machine.Scenario.release;
import static faultsim.machine.Scenario.releaseRead;
import static faultsim.machine.Scenario.sleepFor;
import static faultsim.machine.Scenario.tryAcquire;
import static org.assertj.core.api.Assertions.assertThat;

import faultsim.engine.Dist;
import faultsim.engine.RandomStreams;
import faultsim.locks.Lock;
import faultsim.locks.LockKind;
import faultsim.locks.Rcu;
import faultsim.locks.WaitQueue;
import faultsim.machine.Scenario.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sleeping primitives in atomic context ("BUG: sleeping function called from invalid context",
 * kernel-paths.md §B "RCU"): recorded in {@link Machine#contextViolations()} with the operation
 * and what made the context atomic; the locks here are free, so nothing actually sleeps on them.
 */
final class ContextViolationTest {
  private static final Op RCU_LOCK = Rcu::readLock;
  private static final Op RCU_UNLOCK = Rcu::readUnlock;

  @Test
  void downRead_insideRcuReadSection_recordedWithRcuContext() {
    // ->map_pages runs under rcu_read_lock; taking invalidate_lock there is the GP26 case.
    Scenario s = new Scenario(Scenario.zeroCost(1, true));
    Lock rw = s.lock("&mapping->invalidate_lock", LockKind.RWSEM);
    s.spawn("fault", 3_000, RCU_LOCK, acquireRead(rw), releaseRead(rw), RCU_UNLOCK);

    s.run();

    assertThat(s.machine().contextViolations()).containsExactly(new ContextViolation(3_000,
        "fault", "down_read(&mapping->invalidate_lock)", "rcu_read_lock"));
  }

  @Test
  void mutexLock_underSpinlock_recordedWithSpinlockClass() {
    Scenario s = new Scenario(Scenario.zeroCost(1, true));
    Lock ptl = s.lock("ptlock", LockKind.SPINLOCK);
    Lock m = s.lock("&mapping->i_mmap_mutex", LockKind.MUTEX);
    s.spawn("T", 0, acquire(ptl), acquire(m), release(m), release(ptl));

    s.run();

    assertThat(s.machine().contextViolations()).containsExactly(
        new ContextViolation(0, "T", "mutex_lock(&mapping->i_mmap_mutex)", "ptlock"));
  }

  @Test
  void folioLock_underSpinlockInsideRcu_contextNamesBoth() {
    Scenario s = new Scenario(Scenario.zeroCost(1, true));
    Lock ptl = s.lock("ptlock", LockKind.SPINLOCK);
    Lock folio = s.lock("PG_locked", LockKind.FOLIO);
    s.spawn("T", 0, RCU_LOCK, acquire(ptl), acquire(folio), release(folio), release(ptl),
        RCU_UNLOCK);

    s.run();

    assertThat(s.machine().contextViolations()).containsExactly(
        new ContextViolation(0, "T", "folio_lock", "rcu_read_lock, ptlock"));
  }

  @Test
  void sleepIoAndWaitEvent_inAtomicContext_eachRecorded() {
    // schedule_timeout inside an RCU read section (at 0), an I/O under a spinlock (at 1 us,
    // after the 1 us sleep), wait_event under the same spinlock (condition true: no sleep).
    Scenario s = new Scenario(Scenario.zeroCost(1, true));
    Lock ptl = s.lock("&inode->i_lock", LockKind.SPINLOCK);
    Device d = new Device(s.machine(), "nvme0n1", 1, Dist.constant(10_000),
        Dist.constant(10_000),
        RandomStreams.create(1, List.of("d")).forReplication(0).stream("d"));
    WaitQueue wq = new WaitQueue(s.machine(), "&folio_waitqueue");
    s.spawn("T", 0, RCU_LOCK, sleepFor(1_000), RCU_UNLOCK, acquire(ptl),
        t -> d.submitAndWait(t, false), t -> wq.waitEvent(t, () -> true), release(ptl));

    s.run();

    assertThat(s.machine().contextViolations()).containsExactly(
        new ContextViolation(0, "T", "schedule_timeout", "rcu_read_lock"),
        new ContextViolation(1_000, "T", "submit_bio(READ) nvme0n1", "&inode->i_lock"),
        new ContextViolation(11_000, "T", "wait_event(&folio_waitqueue)", "&inode->i_lock"));
  }

  @Test
  void trylocksAndSpinlocks_inAtomicContext_notRecorded() {
    // Trylocks never sleep and a spinlock inside an RCU section is fine; a sleeping lock after
    // rcu_read_unlock and spin_unlock is fine too.
    Scenario s = new Scenario(Scenario.zeroCost(1, true));
    Lock ptl = s.lock("ptlock", LockKind.SPINLOCK);
    Lock m = s.lock("&m", LockKind.MUTEX);
    Lock rw = s.lock("&rw", LockKind.RWSEM);
    Lock folio = s.lock("PG_locked", LockKind.FOLIO);
    s.spawn("T", 0, RCU_LOCK, acquire(ptl), tryAcquire(m, true), release(m),
        tryAcquire(rw, false), releaseRead(rw), tryAcquire(folio, true), release(folio),
        release(ptl), RCU_UNLOCK, acquire(m), release(m), acquireRead(rw), releaseRead(rw));

    s.run();

    assertThat(s.machine().contextViolations()).isEmpty();
  }
}
