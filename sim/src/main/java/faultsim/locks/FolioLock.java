package faultsim.locks;

import faultsim.machine.CacheLine;
import faultsim.machine.LockInstance;
import faultsim.machine.Machine;
import faultsim.machine.Task;
import java.util.ArrayDeque;

/**
 * The folio lock, {@code PG_locked} (mm/filemap.c; kernel-paths.md §B): a bit in the folio's
 * flags with no owner, so any task may unlock it.
 *
 * <ul>
 *   <li>{@code folio_trylock} is a test-and-set on the flags line;
 *   <li>{@code folio_lock} sleeps on a bucket of the hashed wait-queue table
 *       ({@code folio_waitqueue}, its spinlock one more cache line) in FIFO order;
 *   <li>{@code folio_unlock} clears the bit and, when someone waits, wakes the first exclusive
 *       waiter, which tries again; a waiter that has lost the lock to a stealer
 *       {@code sysctl_page_lock_unfairness} times (5) gets it handed over by the waker
 *       ({@code WQ_FLAG_CUSTOM}: the wake function takes {@code PG_locked} on its behalf).
 * </ul>
 */
public final class FolioLock extends Lock {
  private CacheLine waitBucket;
  /** What holders and waiters hold and wait for: this lock, or the folio it is the lock of. */
  private LockInstance identity = this;
  private boolean locked;
  private Task holder;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private final ArrayDeque<Task> unlockWaiters = new ArrayDeque<>();

  /**
   * @param waitBucket the spinlock line of this folio's bucket in the hashed wait table, shared
   *     with every folio that hashes there
   */
  public FolioLock(Machine machine, LockClass cls, CacheLine waitBucket) {
    super(machine, cls);
    this.waitBucket = waitBucket;
  }

  /**
   * A folio lock whose {@code PG_locked} bit lives on {@code line}: the folio's flags word shares
   * its struct page cache line with the refcount.
   */
  public FolioLock(Machine machine, LockClass cls, CacheLine waitBucket, CacheLine line) {
    super(machine, cls, line);
    this.waitBucket = waitBucket;
  }

  /**
   * A recycled lock object becomes the lock of another folio: its bit on {@code line}, its
   * waiters on {@code bucket}. Only an {@link #idle()} lock may be recycled.
   */
  void reuse(CacheLine bucket, CacheLine newLine) {
    reuse(newLine);
    waitBucket = bucket;
    identity = this;
  }

  /**
   * The lock object of a folio ({@code folio}, whose {@code PG_locked} bit lives on its own
   * line) that holds the lock state only while someone waits: held entries and waits name the
   * folio, which stays the same lock when this object is given back and another is made.
   */
  void actFor(LockInstance folio) {
    identity = folio;
  }

  /**
   * The object starts for a folio locked by {@code holder} while nobody waited (the bit alone
   * said so): it takes over the lock as that holder's, taken at {@code site}.
   */
  void adoptLocked(Task holder, String site) {
    locked = true;
    this.holder = holder;
    lastAcquireSite(site);
  }

  @Override
  protected LockInstance instance() {
    return identity;
  }

  /** Unlocked with nobody waiting: the lock holds no state beyond its cache line. */
  public boolean idle() {
    return !locked && waiters.isEmpty() && unlockWaiters.isEmpty();
  }

  /**
   * {@code folio_wait_locked}: sleeps until the folio is unlocked, without taking it
   * ({@code folio_wait_bit(folio, PG_locked)}, a non-exclusive waiter: every such waiter is woken
   * by the unlock). Returns at the cost of a load if the folio is not locked.
   */
  public void waitUnlocked(Task t) {
    t.mightSleep("folio_wait_locked");
    if (!locked) {
      t.busy(line.read(machine, t.core()));
      return;
    }
    waitBucket.atomic(machine, t.core());
    unlockWaiters.addLast(t);
    t.sleep(waitingOn("folio_wait_locked"), null);
  }

  public boolean locked() {
    return locked;
  }

  @Override
  public int waiters() {
    return waiters.size();
  }

  @Override
  public void acquire(Task t, boolean write) {
    requireExclusive(t, write, "folio_lock");
    t.mightSleep("folio_lock");
    long cost = atomic(t);
    if (!locked) {
      take(t, null, cost);
      t.busy(cost);
      return;
    }
    Waiter w = waiter(t, true);
    // folio_wait_bit_common() queues the waiter under the bucket's spinlock: the bucket line
    // moves to this core, and the unlocker pays for bringing it back.
    waitBucket.atomic(machine, t.core());
    waiters.addLast(w);
    t.sleep(waitingOn("folio_lock"), null);
  }

  @Override
  protected void doTryAcquire(Task t, boolean write) {
    requireExclusive(t, write, "folio_trylock");
    long cost = atomic(t);
    if (!locked) {
      take(t, null, cost);
      t.setResult(1);
    } else {
      t.setResult(0);
    }
    t.busy(cost);
  }

  @Override
  public void release(Task t, boolean write) {
    requireExclusive(t, write, "folio_unlock");
    if (!locked) {
      throw t.fault("folio_unlock() of a folio that is not locked");
    }
    Task h = holder;
    if (h != null) {
      var entry = h.removeHeldIfPresent(identity);
      if (entry != null) {
        cls.write().released(now() - entry.acquiredAtNs());
      }
    }
    locked = false;
    holder = null;
    long cost = atomic(t);
    Waiter head = waiters.peekFirst();
    if (head != null || !unlockWaiters.isEmpty()) {
      cost += waitBucket.atomic(machine, t.core());
    }
    while (!unlockWaiters.isEmpty()) {
      unlockWaiters.pollFirst().wake();
    }
    if (head != null) {
      if (!head.woken) {
        if (head.steals >= machine.costs().folioLockUnfairness()) {
          waiters.pollFirst();
          locked = true;
          holder = head.task;
          head.task.setContinuation(task -> take(task, head, 0));
          head.task.wake();
        } else {
          head.woken = true;
          head.task.setContinuation(task -> retry(head));
          head.task.wake();
        }
      }
    }
    t.busy(cost);
  }

  private void take(Task t, Waiter w, long costNs) {
    locked = true;
    holder = t;
    if (w == null) {
      acquiredAfter(t, true, costNs);
    } else {
      acquiredAfter(t, true, w, costNs);
    }
  }

  private void retry(Waiter w) {
    w.woken = false;
    Task t = w.task;
    long cost = atomic(t);
    if (!locked) {
      waiters.remove(w);
      take(t, w, cost);
      t.busy(cost);
      return;
    }
    w.steals++;
    t.sleep(waitingOn("folio_lock"), null);
  }
}
