package faultsim.locks;

import faultsim.machine.CacheLine;
import faultsim.machine.Machine;
import faultsim.machine.Task;
import java.util.ArrayDeque;

/**
 * {@code rwlock_t} as the queued rwlock (kernel/locking/qrwlock.c): a reader/writer spinning
 * lock, fair between the two sides in process context.
 *
 * <ul>
 *   <li>every {@code read_lock}/{@code read_unlock} and {@code write_lock}/{@code write_unlock}
 *       is an atomic on the count word; acquiring disables preemption, waiters spin on their
 *       core;
 *   <li>a reader takes the lock at once when no writer holds it or waits ({@code _QW_WMASK}
 *       clear) and nobody is queued; otherwise it queues on the wait lock
 *       ({@code queued_read_lock_slowpath});
 *   <li>a writer takes a free lock with one cmpxchg; otherwise it queues on the wait lock, sets
 *       {@code _QW_WAITING} when it reaches the head and spins until the readers drain;
 *   <li>the wait lock is a FIFO: the head of the queue enters as soon as it may (a writer when no
 *       one holds the lock, a reader when no writer does), and a reader that enters lets the
 *       readers queued right behind it enter too, as each releases the wait lock to the next;
 *   <li>{@code read_trylock} succeeds when no writer holds or waits; {@code write_trylock} when
 *       the count is zero.
 * </ul>
 *
 * <p>Readers in interrupt context may steal the lock from a waiting writer; designs run in
 * process context, so that case does not arise.
 */
public final class RwLock extends Lock {
  private int readers;
  private Task writer;
  private final ArrayDeque<Waiter> queue = new ArrayDeque<>();

  public RwLock(Machine machine, LockClass cls) {
    this(machine, cls, new CacheLine());
  }

  /** A RwLock whose word shares {@code line} with other fields of its structure. */
  public RwLock(Machine machine, LockClass cls, CacheLine line) {
    super(machine, cls, line);
  }

  public int readers() {
    return readers;
  }

  public Task writer() {
    return writer;
  }

  @Override
  public int waiters() {
    return queue.size();
  }

  @Override
  public void acquire(Task t, boolean write) {
    String op = write ? "write_lock" : "read_lock";
    if (writer == t) {
      throw t.fault(op + "(" + className() + ") while holding it for write: deadlock");
    }
    t.preemptDisable();
    long cost = atomic(t);
    boolean free = write ? writer == null && readers == 0 : writer == null;
    if (free && queue.isEmpty()) {
      take(t, write);
      acquiredNow(t, write, null);
      t.busy(cost);
      return;
    }
    queue.addLast(waiter(t, write));
    t.spin(op + "(" + className() + ")");
  }

  private void take(Task t, boolean write) {
    if (write) {
      writer = t;
    } else {
      readers++;
    }
  }

  @Override
  protected void doTryAcquire(Task t, boolean write) {
    long cost = atomic(t);
    boolean ok = write ? writer == null && readers == 0
        : writer == null && !writerQueued();
    if (ok) {
      t.preemptDisable();
      take(t, write);
      acquiredNow(t, write, null);
    }
    t.setResult(ok ? 1 : 0);
    t.busy(cost);
  }

  private boolean writerQueued() {
    for (Waiter w : queue) {
      if (w.write) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void release(Task t, boolean write) {
    if (write) {
      if (writer != t) {
        throw t.fault("write_unlock(" + className() + ") but the lock is held for write by "
            + (writer == null ? "nobody" : writer.name()));
      }
      releasedNow(t, true, "write_unlock");
      writer = null;
    } else {
      releasedNow(t, false, "read_unlock");
      readers--;
    }
    t.preemptEnable();
    long cost = atomic(t);
    grantQueued(t);
    t.busy(cost);
  }

  /** Lets the head of the wait queue in, and the readers right behind a reader. */
  private void grantQueued(Task releaser) {
    while (!queue.isEmpty()) {
      Waiter head = queue.peekFirst();
      boolean may = head.write ? writer == null && readers == 0 : writer == null;
      if (!may) {
        return;
      }
      queue.pollFirst();
      take(head.task, head.write);
      head.task.setContinuation(task -> acquiredNow(task, head.write, head));
      // The new owner's atomic on the lock word: the line comes to its core (queued behind
      // any transfer in flight), and it runs when that completes.
      head.task.grantAfter(line.writeAt(machine, head.task.core().id(), now()) - now());
      if (head.write) {
        return;
      }
    }
  }
}
