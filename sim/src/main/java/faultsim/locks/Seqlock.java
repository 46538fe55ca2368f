package faultsim.locks;

import faultsim.machine.CacheLine;
import faultsim.machine.Machine;
import faultsim.machine.Task;
import java.util.ArrayDeque;

/**
 * {@code seqlock_t} (include/linux/seqlock.h): a sequence count whose writers serialise on the
 * embedded spinlock. {@code write_seqlock} spins in FIFO order for the spinlock (preemption
 * disabled) and makes the count odd once it holds it; {@code write_sequnlock} makes it even and
 * hands the spinlock to the next writer, whose section starts at once. Readers
 * ({@code read_seqbegin}/{@code read_seqretry}) never take the spinlock: they behave as
 * {@link Seqcount} readers, spinning while the count is odd.
 */
public final class Seqlock extends Seqcount {
  private final ArrayDeque<Waiter> writers = new ArrayDeque<>();

  public Seqlock(Machine machine, LockClass cls) {
    this(machine, cls, new CacheLine());
  }

  /** A Seqlock whose word shares {@code line} with other fields of its structure. */
  public Seqlock(Machine machine, LockClass cls, CacheLine line) {
    super(machine, cls, line);
  }

  @Override
  public int waiters() {
    return super.waiters() + writers.size();
  }

  /** {@code write_seqlock}. */
  @Override
  public void acquire(Task t, boolean write) {
    if (!write) {
      readBegin(t);
      return;
    }
    if (writer() == t) {
      throw t.fault("write_seqlock(" + className() + ") while already holding it: AA deadlock");
    }
    t.preemptDisable();
    long cost = atomic(t);
    if (writer() == null && writers.isEmpty()) {
      beginWrite(t);
      acquiredNow(t, true, null);
      t.busy(cost);
      return;
    }
    writers.addLast(waiter(t, true));
    t.spin(waitingOn("write_seqlock"));
  }

  @Override
  protected void doTryAcquire(Task t, boolean write) {
    long cost = atomic(t);
    boolean ok = write && writer() == null && writers.isEmpty();
    if (ok) {
      t.preemptDisable();
      beginWrite(t);
      acquiredNow(t, true, null);
    }
    t.setResult(ok ? 1 : 0);
    t.busy(cost);
  }

  /** {@code write_sequnlock}. */
  @Override
  public void release(Task t, boolean write) {
    if (!write || writer() != t) {
      throw t.fault("write_sequnlock(" + className() + ") outside a write section");
    }
    releasedNow(t, true, "write_sequnlock");
    t.preemptEnable();
    long cost = atomic(t);
    endWrite(t);
    Waiter next = writers.pollFirst();
    if (next != null) {
      beginWrite(next.task);
      next.task.setContinuation(task -> acquiredNow(task, true, next));
      // The new owner's atomic on the lock word: the line comes to its core (queued behind
      // any transfer in flight), and it runs when that completes.
      next.task.grantAfter(line.writeAt(machine, next.task.core().id(), now()) - now());
    }
    t.busy(cost);
  }
}
