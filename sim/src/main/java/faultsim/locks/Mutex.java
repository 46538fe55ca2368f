package faultsim.locks;

import faultsim.machine.CacheLine;
import faultsim.machine.Machine;
import faultsim.machine.Task;
import java.util.ArrayDeque;

/**
 * {@code struct mutex} (Documentation/locking/mutex-design.rst, kernel/locking/mutex.c;
 * kernel-paths.md §B):
 *
 * <ul>
 *   <li>fast path: a cmpxchg on the owner word takes a free lock, even if others sleep waiting
 *       (unless {@code MUTEX_FLAG_HANDOFF} is set);
 *   <li>mid path: optimistic spinning while the owner is running; spinners queue on the MCS
 *       "osq", so they take the lock in arrival order, one transfer per handoff; when the owner
 *       leaves its CPU they stop spinning and sleep;
 *   <li>slow path: sleep in FIFO order on the wait list; an unlock wakes the top waiter, which
 *       tries again; a top waiter that loses the race sets {@code MUTEX_FLAG_HANDOFF}, and the
 *       next unlock hands ownership straight to it.
 * </ul>
 */
public final class Mutex extends Lock {
  private Task owner;
  private boolean handoff;
  private final ArrayDeque<Waiter> spinners = new ArrayDeque<>();
  private final ArrayDeque<Waiter> sleepers = new ArrayDeque<>();

  public Mutex(Machine machine, LockClass cls) {
    this(machine, cls, new CacheLine());
  }

  /** A Mutex whose word shares {@code line} with other fields of its structure. */
  public Mutex(Machine machine, LockClass cls, CacheLine line) {
    super(machine, cls, line);
  }

  public Task owner() {
    return owner;
  }

  @Override
  public int waiters() {
    return spinners.size() + sleepers.size();
  }

  @Override
  public void acquire(Task t, boolean write) {
    requireExclusive(t, write, "mutex_lock");
    if (owner == t) {
      throw t.fault("mutex_lock(" + className() + ") while already holding it");
    }
    t.mightSleep(waitingOn("mutex_lock"));
    long cost = atomic(t);
    if (owner == null && !handoff) {
      owner = t;
      acquiredAfter(t, true, cost);
      t.busy(cost);
      return;
    }
    Waiter w = waiter(t, true);
    if (owner != null && owner.onCpu() && !handoff && machine.spinOnOwner()) {
      if (spinners.isEmpty()) {
        // The osq's head spins reading lock->owner; the others spin on their own osq nodes.
        line.watch(machine, t.core().id());
      }
      spinners.addLast(w);
      t.spin(waitingOn("mutex_optimistic_spin"));
    } else {
      sleepers.addLast(w);
      t.sleep(waitingOn("mutex_lock"), null);
    }
  }

  @Override
  protected void doTryAcquire(Task t, boolean write) {
    requireExclusive(t, write, "mutex_trylock");
    long cost = atomic(t);
    if (owner == null && !handoff) {
      owner = t;
      acquiredAfter(t, true, cost);
      t.setResult(1);
    } else {
      t.setResult(0);
    }
    t.busy(cost);
  }

  @Override
  public void release(Task t, boolean write) {
    requireExclusive(t, write, "mutex_unlock");
    if (owner != t) {
      throw t.fault("mutex_unlock(" + className() + ") but the lock is held by "
          + (owner == null ? "nobody" : owner.name()));
    }
    releasedNow(t, true, "mutex_unlock");
    long cost = atomic(t);
    owner = null;
    if (handoff && !sleepers.isEmpty()) {
      // __mutex_handoff(): ownership passes to the top waiter, which set HANDOFF. A top waiter
      // already on its way back finds the lock free and reserved for it (retry()).
      Waiter top = sleepers.peekFirst();
      if (!top.woken) {
        handoff = false;
        sleepers.pollFirst();
        owner = top.task;
        top.task.setContinuation(task -> acquiredNow(task, true, top));
        top.task.wake();
        // The new owner is not running yet: optimistic spinners give up and sleep.
        ownerOffCpu(top.task);
      }
    } else if (!spinners.isEmpty()) {
      Waiter next = spinners.pollFirst();
      owner = next.task;
      long at = spinnerTakesAtNs(next.task);
      Waiter head = spinners.peekFirst();
      if (head != null) {
        line.watch(machine, head.task.core().id());
      }
      next.task.setContinuation(task -> acquiredNow(task, true, next));
      next.task.grantAfter(at - now());
      wakeTop();
    } else {
      wakeTop();
    }
    t.busy(cost);
  }

  /** Unlock with MUTEX_FLAG_WAITERS set wakes the top waiter, which then competes for the lock. */
  private void wakeTop() {
    Waiter top = sleepers.peekFirst();
    if (top != null && !top.woken) {
      top.woken = true;
      top.task.setContinuation(task -> retry(top));
      top.task.wake();
    }
  }

  private void retry(Waiter w) {
    w.woken = false;
    Task t = w.task;
    long cost = atomic(t);
    boolean reservedForMe = handoff && sleepers.peekFirst() == w;
    if (owner == null && (!handoff || reservedForMe)) {
      sleepers.remove(w);
      if (reservedForMe) {
        handoff = false;
      }
      owner = t;
      acquiredAfter(t, true, w, cost);
      t.busy(cost);
      return;
    }
    if (sleepers.peekFirst() == w) {
      handoff = true;
    }
    t.sleep(waitingOn("mutex_lock"), null);
  }

  @Override
  public void ownerOffCpu(Task o) {
    if (o != owner) {
      return;
    }
    // mutex_spin_on_owner() gives up once the owner is not running: spinners go to sleep.
    if (!spinners.isEmpty()) {
      line.unwatch(spinners.peekFirst().task.core().id());
    }
    while (!spinners.isEmpty()) {
      Waiter w = spinners.pollFirst();
      sleepers.addLast(w);
      w.task.sleep(waitingOn("mutex_lock"), null);
    }
  }
}
