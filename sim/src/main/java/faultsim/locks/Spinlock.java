package faultsim.locks;

import faultsim.machine.CacheLine;
import faultsim.machine.Machine;
import faultsim.machine.SpinlockKind;
import faultsim.machine.Task;
import java.util.ArrayDeque;

/**
 * {@code spinlock_t} (kernel-paths.md §B): FIFO; acquiring disables preemption; waiters spin on
 * their core. Both implementations take a ticket or a place in the queue with one atomic on the
 * lock word; they differ in where the waiters spin, and so in the traffic a release causes on
 * the lock word's {@link faultsim.machine.CacheLine}:
 *
 * <ul>
 *   <li>{@link SpinlockKind#TICKET} ({@code arch_spin_lock} before 3.15 on x86: {@code xadd} on
 *       {@code tickets.tail}, then spin reading {@code tickets.head}): every waiter spins on the
 *       lock word, so the release invalidates every waiting CPU's copy and their re-reads are
 *       served one after another; the next owner goes on once its own re-read returns, on
 *       average half-way through (Boyd-Wickizer et al. 2012, section 3). A waiter's
 *       {@code xadd} also invalidates the spinners, who read the line again.
 *   <li>{@link SpinlockKind#QUEUED} ({@code queued_spin_lock_slowpath}, kernel/locking/
 *       qspinlock.c): waiters queue on per-CPU MCS nodes and spin on their own node; only the
 *       head of the queue spins on the lock word, and on the release it re-reads it and takes it
 *       with an atomic of its own ({@code clear_pending_set_locked} /
 *       {@code atomic_try_cmpxchg_relaxed}). A release costs the lock word the same few
 *       transfers however many CPUs wait.
 * </ul>
 *
 * <p>{@code spin_unlock} is a plain store on x86 ({@code smp_store_release} of the locked byte;
 * the ticket unlock's {@code add} has no {@code lock} prefix), which retires into the store
 * buffer: the releasing CPU goes on after a local access, while the line is busy for the
 * invalidation it takes.
 */
public final class Spinlock extends Lock {
  /**
   * The owner (null while free) or, once a task has spun, the queue of spinners with the owner:
   * one field, as most instances (a page table's split lock among hundreds of thousands) never
   * see a spinner.
   */
  private Object state;

  /** The tasks spinning, in queue order, and the owner. */
  private static final class Spinners extends ArrayDeque<Waiter> {
    private Task owner;
  }

  private Spinners spinners() {
    return state instanceof Spinners q ? q : null;
  }

  private void setOwner(Task t) {
    if (state instanceof Spinners q) {
      q.owner = t;
    } else {
      state = t;
    }
  }

  public Spinlock(Machine machine, LockClass cls) {
    this(machine, cls, new CacheLine());
  }

  /** A Spinlock whose word shares {@code line} with other fields of its structure. */
  public Spinlock(Machine machine, LockClass cls, CacheLine line) {
    super(machine, cls, line);
  }

  public Task owner() {
    return state instanceof Spinners q ? q.owner : (Task) state;
  }

  @Override
  public int waiters() {
    Spinners spinners = spinners();
    return spinners == null ? 0 : spinners.size();
  }

  @Override
  public void acquire(Task t, boolean write) {
    requireExclusive(t, write, "spin_lock");
    Task owner = owner();
    if (owner == t) {
      throw t.fault("spin_lock(" + className() + ") while already holding it: AA deadlock");
    }
    t.preemptDisable();
    long cost = atomic(t);
    if (owner == null) {
      setOwner(t);
      acquiredAfter(t, true, cost);
      t.busy(cost);
    } else {
      Waiter w = waiter(t, true);
      Spinners spinners = spinners();
      if (spinners == null) {
        spinners = new Spinners();
        spinners.owner = owner;
        state = spinners;
      }
      if (machine.spinlockKind() == SpinlockKind.TICKET || spinners.isEmpty()) {
        line.watch(machine, t.core().id());
      }
      spinners.addLast(w);
      t.spin(waitingOn("spin_lock"));
    }
  }

  @Override
  protected void doTryAcquire(Task t, boolean write) {
    requireExclusive(t, write, "spin_trylock");
    long cost = atomic(t);
    if (owner() == null) {
      t.preemptDisable();
      setOwner(t);
      acquiredAfter(t, true, cost);
      t.setResult(1);
    } else {
      t.setResult(0);
    }
    t.busy(cost);
  }

  @Override
  public void release(Task t, boolean write) {
    requireExclusive(t, write, "spin_unlock");
    Task owner = owner();
    if (owner != t) {
      throw t.fault("spin_unlock(" + className() + ") but the lock is held by "
          + (owner == null ? "nobody" : owner.name()));
    }
    releasedNow(t, true, "spin_unlock");
    t.preemptEnable();
    // The store retires into the store buffer; the line is busy with it all the same, and
    // every spinner re-reads it afterwards.
    line.writeAt(machine, t.core().id(), now());
    Spinners spinners = spinners();
    Waiter next = spinners == null ? null : spinners.pollFirst();
    if (next == null) {
      setOwner(null);
    } else {
      setOwner(next.task);
      int core = next.task.core().id();
      long at;
      if (machine.spinlockKind() == SpinlockKind.TICKET) {
        // The waiter whose ticket is now served owns the lock as soon as it has read it.
        at = line.watcherSeesAtNs(core);
        line.unwatch(core);
      } else {
        at = spinnerTakesAtNs(next.task);
        Waiter head = spinners.peekFirst();
        if (head != null) {
          // The MCS handoff makes the next node the queue head, spinning on the lock word.
          line.watch(machine, head.task.core().id());
        }
      }
      next.task.setContinuation(task -> acquiredNow(task, true, next));
      next.task.grantAfter(at - now());
    }
    t.busy(machine.costs().atomicLocalNs());
  }
}
