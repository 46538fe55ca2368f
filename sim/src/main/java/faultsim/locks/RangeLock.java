package faultsim.locks;

import faultsim.machine.CacheLine;
import faultsim.machine.Machine;
import faultsim.machine.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code struct range_lock_tree}: a reader/writer lock over ranges of an index space (Davidlohr
 * Bueso's range lock, "locking: Introduce range reader/writer lock", linux-kernel 2017, after Jan
 * Kara's 2013 mapping range lock). A request for [start, last] conflicts with every overlapping
 * request one of which writes. Fair: a request waits for each conflicting request that entered
 * the tree before it, held or still waiting, and takes the lock when the last of those leaves.
 * Waiters sleep. The tree's spinlock is one atomic on the lock's line per lock and unlock.
 *
 * <p>lock_stat shows the tree as one class; each range held is one hold of it.
 */
public final class RangeLock extends Lock {
  /** One request in the tree. */
  private static final class Range {
    final Task task;
    final long start;
    final long last;
    final boolean write;
    int blocking;
    Waiter waiter;
    boolean held;

    Range(Task task, long start, long last, boolean write) {
      this.task = task;
      this.start = start;
      this.last = last;
      this.write = write;
    }

    boolean conflicts(Range o) {
      return (write || o.write) && start <= o.last && o.start <= last;
    }
  }

  private final List<Range> tree = new ArrayList<>();

  public RangeLock(Machine machine, LockClass cls) {
    this(machine, cls, new CacheLine());
  }

  /** A RangeLock whose word shares {@code line} with other fields of its structure. */
  public RangeLock(Machine machine, LockClass cls, CacheLine line) {
    super(machine, cls, line);
  }

  @Override
  public int waiters() {
    int n = 0;
    for (Range r : tree) {
      n += r.held ? 0 : 1;
    }
    return n;
  }

  /** {@code range_read_lock} / {@code range_write_lock} of [start, last]. */
  public void acquire(Task t, boolean write, long start, long last) {
    String op = write ? "range_write_lock" : "range_read_lock";
    t.mightSleep(op + "(" + className() + ")");
    if (last < start) {
      throw t.fault(op + "(" + className() + ", " + start + ", " + last + "): an empty range");
    }
    long cost = atomic(t);
    Range r = new Range(t, start, last, write);
    for (Range o : tree) {
      if (o.conflicts(r)) {
        r.blocking++;
      }
    }
    tree.add(r);
    if (r.blocking == 0) {
      r.held = true;
      acquiredNow(t, write, null);
      t.busy(cost);
      return;
    }
    r.waiter = waiter(t, write);
    t.sleep(op + "(" + className() + ")", null);
  }

  /** {@code range_read_trylock} / {@code range_write_trylock}: 1 if nothing conflicts. */
  public void tryAcquire(Task t, boolean write, long start, long last) {
    t.beginTrylock();
    try {
      long cost = atomic(t);
      Range r = new Range(t, start, last, write);
      boolean ok = true;
      for (Range o : tree) {
        ok &= !o.conflicts(r);
      }
      if (ok) {
        r.held = true;
        tree.add(r);
        acquiredNow(t, write, null);
      }
      t.setResult(ok ? 1 : 0);
      t.busy(cost);
    } finally {
      t.endTrylock();
    }
  }

  /** {@code range_read_unlock} / {@code range_write_unlock} of a range the task holds. */
  public void release(Task t, boolean write, long start, long last) {
    Range mine = null;
    for (Range r : tree) {
      if (r.held && r.task == t && r.write == write && r.start == start && r.last == last) {
        mine = r;
        break;
      }
    }
    if (mine == null) {
      throw t.fault((write ? "range_write_unlock(" : "range_read_unlock(") + className() + ", "
          + start + ", " + last + ") but the task holds no such range");
    }
    releasedNow(t, write, write ? "range_write_unlock" : "range_read_unlock");
    int at = tree.indexOf(mine);
    tree.remove(at);
    long cost = atomic(t);
    for (int i = at; i < tree.size(); i++) {
      Range o = tree.get(i);
      if (!o.held && o.conflicts(mine) && --o.blocking == 0) {
        o.held = true;
        Waiter w = o.waiter;
        o.task.setContinuation(task -> acquiredNow(task, w.write, w));
        o.task.wake();
      }
    }
    t.busy(cost);
  }

  @Override
  public void acquire(Task t, boolean write) {
    acquire(t, write, 0, Long.MAX_VALUE);
  }

  @Override
  protected void doTryAcquire(Task t, boolean write) {
    throw t.fault("range_lock: use range_read_trylock / range_write_trylock with a range");
  }

  @Override
  public void release(Task t, boolean write) {
    release(t, write, 0, Long.MAX_VALUE);
  }
}
