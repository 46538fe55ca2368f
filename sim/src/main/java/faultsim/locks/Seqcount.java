package faultsim.locks;

import faultsim.machine.CacheLine;
import faultsim.machine.Machine;
import faultsim.machine.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code seqcount_t} (Documentation/locking/seqlock.rst; kernel-paths.md §B): the writer makes
 * the count odd on entry and even on exit; a reader snapshots an even count, reads, and retries if
 * the count changed. Writers must be serialised by the caller; two overlapping write sections
 * are a fault. A reader that finds the count odd spins until the writer finishes — an interrupted
 * or sleeping writer makes readers spin for as long (the reason the 2003 {@code truncate_lock}
 * needed its readers to wait on {@code i_sem} instead).
 *
 * <p>Statistics: write sections are the {@code -W} side (hold = section length); readers that
 * had to spin for an even count are {@code -R} contentions.
 */
public class Seqcount extends Lock {
  private long sequence;
  private Task writer;
  private final List<Waiter> spinningReaders = new ArrayList<>();

  public Seqcount(Machine machine, LockClass cls) {
    this(machine, cls, new CacheLine());
  }

  /** A Seqcount whose word shares {@code line} with other fields of its structure. */
  public Seqcount(Machine machine, LockClass cls, CacheLine line) {
    super(machine, cls, line);
  }

  public long sequence() {
    return sequence;
  }

  @Override
  public int waiters() {
    return spinningReaders.size();
  }

  /** {@code write_seqcount_begin}. */
  @Override
  public void acquire(Task t, boolean write) {
    if (!write) {
      readBegin(t);
      return;
    }
    if (writer != null) {
      throw t.fault("write_seqcount_begin(" + className() + ") while " + writer.name()
          + " is inside a write section: writers must be serialised");
    }
    long cost = atomic(t);
    beginWrite(t);
    acquiredAfter(t, true, cost);
    t.busy(cost);
  }

  /** The count made odd for {@code t}, the writer from now. */
  protected final void beginWrite(Task t) {
    sequence++;
    writer = t;
  }

  /** The task inside a write section, or null. */
  protected final Task writer() {
    return writer;
  }

  @Override
  protected void doTryAcquire(Task t, boolean write) {
    throw t.fault("a seqcount has no trylock; use read_seqcount_begin / read_seqcount_retry");
  }

  /** {@code write_seqcount_end}; readers spinning on the odd count see the even one. */
  @Override
  public void release(Task t, boolean write) {
    if (!write) {
      throw t.fault("a seqcount read section ends with read_seqcount_retry, not a release");
    }
    if (writer != t) {
      throw t.fault("write_seqcount_end(" + className() + ") outside a write section");
    }
    releasedNow(t, true, "write_seqcount_end");
    long cost = atomic(t);
    endWrite(t);
    t.busy(cost);
  }

  /** The count made even again; readers spinning on the odd count see the new one. */
  protected final void endWrite(Task t) {
    sequence++;
    writer = null;
    for (Waiter w : spinningReaders) {
      long snapshot = sequence;
      w.task.setContinuation(task -> {
        task.setResult(snapshot);
        cls.read().acquired(now() - w.sinceNs, w.bounced, w.bounced);
      });
      // Each spinning reader sees the even count when its re-read of the line returns.
      int core = w.task.core().id();
      long seen = line.watcherSeesAtNs(core);
      line.unwatch(core);
      w.task.grantAfter(seen - now());
    }
    spinningReaders.clear();
  }

  /** {@code read_seqcount_begin}: the task's result is the even sequence it read. */
  public void readBegin(Task t) {
    long cost = line.read(machine, t.core());
    boolean bounced = line.lastAccessBounced();
    if ((sequence & 1) == 0) {
      cls.read().acquired(-1, bounced, false);
      t.setResult(sequence);
      t.busy(cost);
      return;
    }
    spinningReaders.add(new Waiter(t, false, now(), bounced));
    line.watch(machine, t.core().id());
    t.spin(waitingOn("read_seqcount_begin"));
  }

  /** {@code read_seqcount_retry}: result 1 if the count moved since {@code snapshot}. */
  public void readRetry(Task t, long snapshot) {
    long cost = line.read(machine, t.core());
    t.setResult(sequence != snapshot ? 1 : 0);
    t.busy(cost);
  }

  private long readCost(Task t) {
    return line.read(machine, t.core());
  }
}
