package faultsim.locks;

import faultsim.machine.Machine;
import faultsim.machine.SpinlockKind;
import faultsim.machine.Task;
import java.util.ArrayDeque;

/**
 * {@code spinlock_t} (kernel-paths.md §B): FIFO; acquiring disables preemption; waiters spin on
 * their core. The handoff cost depends on the machine's implementation:
 *
 * <ul>
 *   <li>{@link SpinlockKind#TICKET}: every waiter spins on the lock word, so the release
 *       invalidates it in all k waiting CPUs and their re-reads are served one after another; the
 *       next owner gets the line after the sum of the transfers to every waiter (linear in k, the
 *       collapse Boyd-Wickizer et al. 2012 measured);
 *   <li>{@link SpinlockKind#QUEUED}: qspinlock/MCS, each waiter spins on its own node and the
 *       release writes only the next node: one transfer.
 * </ul>
 */
public final class Spinlock extends Lock {
  private Task owner;
  private final ArrayDeque<Waiter> spinners = new ArrayDeque<>();

  public Spinlock(Machine machine, LockClass cls) {
    super(machine, cls);
  }

  public Task owner() {
    return owner;
  }

  @Override
  public int waiters() {
    return spinners.size();
  }

  @Override
  public void acquire(Task t, boolean write) {
    requireExclusive(t, write, "spin_lock");
    if (owner == t) {
      throw t.fault("spin_lock(" + className() + ") while already holding it: AA deadlock");
    }
    t.preemptDisable();
    long cost = atomic(t);
    if (owner == null) {
      owner = t;
      acquiredNow(t, true, null);
      t.busy(cost);
    } else {
      spinners.addLast(waiter(t, true));
      t.spin("spin_lock(" + className() + ")");
    }
  }

  @Override
  protected void doTryAcquire(Task t, boolean write) {
    requireExclusive(t, write, "spin_trylock");
    long cost = atomic(t);
    if (owner == null) {
      t.preemptDisable();
      owner = t;
      acquiredNow(t, true, null);
      t.setResult(1);
    } else {
      t.setResult(0);
    }
    t.busy(cost);
  }

  @Override
  public void release(Task t, boolean write) {
    requireExclusive(t, write, "spin_unlock");
    if (owner != t) {
      throw t.fault("spin_unlock(" + className() + ") but the lock is held by "
          + (owner == null ? "nobody" : owner.name()));
    }
    releasedNow(t, true, "spin_unlock");
    t.preemptEnable();
    long cost = atomic(t);
    Waiter next = spinners.pollFirst();
    if (next == null) {
      owner = null;
    } else {
      long handoff = machine.transferNs(t.core().id(), next.task.core().id());
      if (machine.spinlockKind() == SpinlockKind.TICKET) {
        for (Waiter w : spinners) {
          handoff += machine.transferNs(t.core().id(), w.task.core().id());
        }
      }
      owner = next.task;
      line.written(next.task.core());
      next.task.setContinuation(task -> acquiredNow(task, true, next));
      next.task.grantAfter(handoff);
    }
    t.busy(cost);
  }
}
