package faultsim.locks;

import faultsim.machine.CacheLine;
import faultsim.machine.Machine;
import faultsim.machine.Task;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * {@code struct rw_semaphore} (kernel/locking/rwsem.c; kernel-paths.md §B):
 *
 * <ul>
 *   <li>every {@code down_read}/{@code up_read} is an atomic on the count word, so readers on
 *       different CPUs bounce its cache line;
 *   <li>reader fast path: taken when no writer holds it, nobody waits and no handoff is set;
 *       {@code down_read_trylock} succeeds exactly when the fast path would;
 *   <li>reader slow path ({@code rwsem_down_read_slowpath}): if the lock is reader-owned and no
 *       writer holds it, the reader queues rather than steal ("to prevent a constant stream of
 *       readers from starving a sleeping writer") — so <b>once a writer waits, arriving readers
 *       wait behind it</b>; if the lock is free and no handoff is set, the reader steals it and,
 *       as first reader, wakes the readers queued if a reader heads the queue (§B: "readers
 *       at the head"; a writer at the head keeps every reader behind it waiting);
 *   <li>writers take a free lock (stealing from sleeping waiters unless handoff is set), spin
 *       optimistically while a running writer owns it, otherwise sleep in the FIFO queue;
 *   <li>wake-up ({@code rwsem_mark_wake}): a writer at the head is woken to try again; a reader at
 *       the head gets the lock granted together with every reader in the queue (up to
 *       {@code MAX_READERS_WAKEUP} = 256);
 *   <li>a woken writer that loses the race after waiting longer than {@code RWSEM_WAIT_TIMEOUT}
 *       sets {@code RWSEM_FLAG_HANDOFF}: no one may steal, and the next release grants it the
 *       lock.
 * </ul>
 */
public final class RwSemaphore extends Lock {
  private static final int MAX_READERS_WAKEUP = 256;

  private int readers;
  private Task writer;
  private boolean handoff;
  private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
  private final ArrayDeque<Waiter> writerSpinners = new ArrayDeque<>();

  public RwSemaphore(Machine machine, LockClass cls) {
    this(machine, cls, new CacheLine());
  }

  /** A RwSemaphore whose word shares {@code line} with other fields of its structure. */
  public RwSemaphore(Machine machine, LockClass cls, CacheLine line) {
    super(machine, cls, line);
  }

  /** Number of readers holding the lock. */
  public int readers() {
    return readers;
  }

  /** The writer holding it, or null. */
  public Task writer() {
    return writer;
  }

  public boolean handoffSet() {
    return handoff;
  }

  @Override
  public int waiters() {
    return queue.size() + writerSpinners.size();
  }

  /** Whether a writer is queued (sleeping) for the lock. */
  public boolean writerWaiting() {
    for (Waiter w : queue) {
      if (w.write) {
        return true;
      }
    }
    return !writerSpinners.isEmpty();
  }

  @Override
  public void acquire(Task t, boolean write) {
    String op = write ? "down_write" : "down_read";
    t.mightSleep(op + "(" + className() + ")");
    if (writer == t) {
      throw t.fault(op + "(" + className() + ") while holding it for write");
    }
    long cost = atomic(t);
    if (write) {
      downWrite(t, cost);
    } else {
      downRead(t, cost);
    }
  }

  /**
   * The reader fast path's test ({@code RWSEM_READ_FAILED_MASK}): no writer holds it, nobody waits
   * and no handoff is set. {@code down_read_trylock} makes the same test.
   */
  private boolean readFastPathOpen() {
    return writer == null && queue.isEmpty() && writerSpinners.isEmpty() && !handoff;
  }

  private void downRead(Task t, long cost) {
    boolean fast = readFastPathOpen();
    boolean steal = !fast && writer == null && readers == 0 && !handoff;
    if (fast || steal) {
      readers++;
      if (steal) {
        cls.event("rwsem_rlock_steal");
      }
      acquiredAfter(t, false, cost);
      Waiter head = queue.peekFirst();
      if (steal && head != null && !head.write) {
        // rwsem_mark_wake(RWSEM_WAKE_READ_OWNED) wakes nothing when a writer heads the queue.
        wakeQueuedReaders();
      }
      t.busy(cost);
      return;
    }
    queue.addLast(waiter(t, false));
    cls.event("rwsem_sleep_reader");
    t.sleep(waitingOn("down_read"), null);
  }

  private void downWrite(Task t, long cost) {
    if (writer == null && readers == 0 && !handoff) {
      writer = t;
      acquiredAfter(t, true, cost);
      t.busy(cost);
      return;
    }
    Waiter w = waiter(t, true);
    if (writer != null && writer.onCpu() && !handoff && machine.spinOnOwner()) {
      if (writerSpinners.isEmpty()) {
        // The osq's head spins reading sem->owner, on the count's cache line; the others spin
        // on their own osq nodes.
        line.watch(machine, t.core().id());
      }
      writerSpinners.addLast(w);
      t.spin(waitingOn("rwsem_optimistic_spin"));
    } else {
      queue.addLast(w);
      cls.event("rwsem_sleep_writer");
      t.sleep(waitingOn("down_write"), null);
    }
  }

  @Override
  protected void doTryAcquire(Task t, boolean write) {
    long cost = atomic(t);
    boolean ok;
    if (write) {
      ok = writer == null && readers == 0 && !handoff;
      if (ok) {
        writer = t;
      }
    } else {
      // down_read_trylock() fails on RWSEM_READ_FAILED_MASK: writer, waiters or handoff.
      ok = readFastPathOpen();
      if (ok) {
        readers++;
      }
    }
    if (ok) {
      acquiredAfter(t, write, cost);
    }
    t.setResult(ok ? 1 : 0);
    t.busy(cost);
  }

  @Override
  public void release(Task t, boolean write) {
    if (write) {
      if (writer != t) {
        throw t.fault("up_write(" + className() + ") but the lock is held for write by "
            + (writer == null ? "nobody" : writer.name()));
      }
      releasedNow(t, true, "up_write");
      writer = null;
    } else {
      releasedNow(t, false, "up_read");
      readers--;
    }
    long cost = atomic(t);
    if (writer == null && readers == 0) {
      afterFree(t);
    }
    t.busy(cost);
  }

  /**
   * {@code downgrade_write}: the writer keeps the lock for read, and the readers queued at the
   * head of the queue enter with it ({@code rwsem_downgrade_wake}). As lockdep's
   * {@code lock_downgrade}, the read hold that replaces the write hold orders nothing.
   */
  public void downgrade(Task t) {
    if (writer != t) {
      throw t.fault("downgrade_write(" + className() + ") but the lock is held for write by "
          + (writer == null ? "nobody" : writer.name()));
    }
    releasedNow(t, true, "downgrade_write");
    writer = null;
    readers++;
    t.beginTrylock();
    try {
      acquiredNow(t, false, null);
    } finally {
      t.endTrylock();
    }
    long cost = atomic(t);
    Waiter head = queue.peekFirst();
    if (head != null && !head.write && !handoff) {
      wakeQueuedReaders();
    }
    t.busy(cost);
  }

  /** The lock just became free: hand it on as rwsem_wake() and the spinners would. */
  private void afterFree(Task releaser) {
    Waiter head = queue.peekFirst();
    if (handoff && head != null) {
      if (head.write) {
        if (!head.woken) {
          handoff = false;
          queue.pollFirst();
          writer = head.task;
          cls.event("rwsem_wlock");
          head.task.setContinuation(task -> acquiredNow(task, true, head));
          head.task.wake();
          // The new owner is not running yet: writers spinning on the owner stop and queue.
          ownerOffCpu(head.task);
        }
        return;
      }
      handoff = false;
      wakeQueuedReaders();
      return;
    }
    if (!writerSpinners.isEmpty()) {
      Waiter next = writerSpinners.pollFirst();
      writer = next.task;
      cls.event("rwsem_opt_lock");
      long at = spinnerTakesAtNs(next.task);
      Waiter nextHead = writerSpinners.peekFirst();
      if (nextHead != null) {
        line.watch(machine, nextHead.task.core().id());
      }
      next.task.setContinuation(task -> acquiredNow(task, true, next));
      next.task.grantAfter(at - now());
      if (head != null && head.write) {
        wakeWriter(head);
      }
      return;
    }
    if (head == null) {
      return;
    }
    if (head.write) {
      wakeWriter(head);
    } else {
      wakeQueuedReaders();
    }
  }

  private void wakeWriter(Waiter w) {
    if (!w.woken) {
      w.woken = true;
      w.task.setContinuation(task -> retryWrite(w));
      w.task.wake();
    }
  }

  /** rwsem_mark_wake() for readers: grant the read lock to the queued readers and wake them. */
  private void wakeQueuedReaders() {
    int granted = 0;
    for (Iterator<Waiter> it = queue.iterator(); it.hasNext() && granted < MAX_READERS_WAKEUP; ) {
      Waiter w = it.next();
      if (w.write) {
        continue;
      }
      it.remove();
      readers++;
      granted++;
      cls.event("rwsem_rlock");
      w.task.setContinuation(task -> acquiredNow(task, false, w));
      w.task.wake();
    }
  }

  private void retryWrite(Waiter w) {
    w.woken = false;
    Task t = w.task;
    long cost = atomic(t);
    boolean first = queue.peekFirst() == w;
    if (writer == null && readers == 0 && (!handoff || first)) {
      queue.remove(w);
      if (first) {
        handoff = false;
      }
      writer = t;
      cls.event("rwsem_wlock");
      acquiredAfter(t, true, w, cost);
      t.busy(cost);
      return;
    }
    if (first && now() - w.sinceNs >= machine.costs().rwsemWaitTimeoutNs()) {
      if (!handoff) {
        cls.event("rwsem_wlock_handoff");
      }
      handoff = true;
    }
    cls.event("rwsem_sleep_writer");
    t.sleep(waitingOn("down_write"), null);
  }

  @Override
  public void ownerOffCpu(Task o) {
    if (o != writer) {
      return;
    }
    // rwsem_spin_on_owner() stops when the owner is not on a CPU: spinners queue and sleep.
    if (!writerSpinners.isEmpty()) {
      line.unwatch(writerSpinners.peekFirst().task.core().id());
    }
    while (!writerSpinners.isEmpty()) {
      Waiter w = writerSpinners.pollFirst();
      queue.addLast(w);
      w.task.sleep(waitingOn("down_write"), null);
    }
  }
}
