package faultsim.locks;

import faultsim.machine.CacheLine;
import faultsim.machine.CodeSite;
import faultsim.machine.HeldLock;
import faultsim.machine.LockInstance;
import faultsim.machine.Machine;
import faultsim.machine.Task;

/**
 * A lock instance: its word is a {@link CacheLine}, its statistics go to its {@link LockClass}.
 * Subclasses implement the kernel's semantics for one family.
 *
 * <p>Accounting follows lock_stat: a task's wait runs from the moment it found the lock taken to
 * the moment it goes on holding it (after any handoff or wake-up latency); its hold runs from
 * then until it releases. An uncontended acquisition holds the lock once its atomic has
 * completed: {@code lock_acquired()} runs after the lock is taken (kernel/locking/lockdep.c,
 * {@code __lock_acquired} sets {@code hlock->holdtime_stamp}), so the transfer of the lock word
 * is not part of the hold. {@code acq-bounces} counts acquisitions whose atomic found the line last
 * written by another CPU, {@code con-bounces} contentions that did.
 */
public abstract class Lock implements LockInstance {
  protected final Machine machine;

  /** The run's speculation, or null ({@link faultsim.machine.Speculation}). */
  public final faultsim.machine.Speculation speculation() {
    return machine.speculation();
  }
  protected final LockClass cls;
  /** The lock's word; final but for a recycled folio lock ({@link #reuse}). */
  protected CacheLine line;
  /** Where the last task to take this lock took it (lockdep's {@code lock->ip}). */
  private String lastAcquireSite = "";

  protected Lock(Machine machine, LockClass cls) {
    this(machine, cls, new CacheLine());
  }

  /** A lock whose word lives on {@code line}, shared with other fields of its structure. */
  protected Lock(Machine machine, LockClass cls, CacheLine line) {
    this.machine = machine;
    this.cls = cls;
    this.line = line;
  }

  /** The lock starts over as a new instance with its word on {@code newLine}. */
  final void reuse(CacheLine newLine) {
    line = newLine;
    lastAcquireSite = "";
  }

  @Override
  public final String className() {
    return cls.name();
  }

  public final LockClass lockClass() {
    return cls;
  }

  /**
   * What tasks hold and wait for when they take this lock: the lock itself, or the structure
   * that holds its state while it is uncontended (a folio for its {@code PG_locked}), so that the
   * held-lock stacks and the lock-order checker see one lock whether or not this object exists.
   */
  protected LockInstance instance() {
    return this;
  }

  /** Where the lock's last owner took it, when the lock object starts while it is held. */
  final void lastAcquireSite(String site) {
    lastAcquireSite = site;
  }

  /** {@code op(class)}: what a task waiting for this lock in {@code op} waits on. */
  protected final String waitingOn(String op) {
    return cls.waitLabel(op);
  }

  @Override
  public boolean sleeps() {
    return cls.kind().sleeps();
  }

  /** The lock's word, for primitives that touch it. */
  public final CacheLine line() {
    return line;
  }

  /** Acquires, waiting as the family waits. {@code write} false asks for the shared side. */
  public abstract void acquire(Task t, boolean write);

  /**
   * Tries once; the task's result register is 1 on success, 0 on failure. An acquisition made
   * by a trylock is marked as such for the lock-order checker (lockdep adds no dependency for a
   * trylock, which cannot wait).
   */
  public final void tryAcquire(Task t, boolean write) {
    t.beginTrylock();
    try {
      doTryAcquire(t, write);
    } finally {
      t.endTrylock();
    }
  }

  /** The family's trylock. */
  protected abstract void doTryAcquire(Task t, boolean write);

  /** Releases a hold the task has in that mode. */
  public abstract void release(Task t, boolean write);

  /** The lock's holder went off CPU (slept or was preempted): spinners on it stop spinning. */
  public void ownerOffCpu(Task owner) {}

  /** Number of tasks waiting (spinning or sleeping) for the lock. */
  public abstract int waiters();

  protected final long now() {
    return machine.engine().now();
  }

  /** The atomic on the lock word from the task's core: its cost; updates the line's writer. */
  protected final long atomic(Task t) {
    return line.atomic(machine, t.core());
  }

  /**
   * Records an uncontended acquisition by an atomic that takes {@code costNs} from now (the hold
   * starts when it completes) and pushes the task's held entry.
   */
  protected final void acquiredAfter(Task t, boolean write, long costNs) {
    cls.stats(write).acquired(-1, line.lastAccessBounced(), false);
    lastAcquireSite = CodeSite.of(t);
    t.pushHeld(instance(), write, now() + costNs);
  }

  /** Records an acquisition after waiting, at the current time, and pushes the held entry. */
  protected final void acquiredNow(Task t, boolean write, Waiter w) {
    if (w == null) {
      acquiredAfter(t, write, 0);
      return;
    }
    acquiredAfter(t, write, w, 0);
  }

  /**
   * Records an acquisition after waiting by an atomic that takes {@code costNs} from now: the
   * wait ends and the hold starts when it completes. The contention point is the acquiring
   * task's design call site, against the site that held the lock when the wait began.
   */
  protected final void acquiredAfter(Task t, boolean write, Waiter w, long costNs) {
    long at = now() + costNs;
    String site = CodeSite.of(t);
    LockStats s = cls.stats(write);
    s.acquired(at - w.sinceNs, w.bounced, w.bounced);
    s.contendedAt(site, w.ownerSite);
    s.stoppedWaiting(w.sinceNs);
    lastAcquireSite = site;
    t.pushHeld(instance(), write, at, true);
  }

  /**
   * A waiter spinning on the lock word sees the release that {@code releaseDoneNs} completed
   * (its re-read, queued behind those of the other spinners) and takes the lock with an atomic
   * of its own: returns when that atomic completes. It stops spinning on the line.
   */
  protected final long spinnerTakesAtNs(Task next) {
    int core = next.core().id();
    long seen = line.watcherSeesAtNs(core);
    line.unwatch(core);
    return line.writeAt(machine, core, seen);
  }

  /** Pops the task's held entry and records the hold time. */
  protected final void releasedNow(Task t, boolean write, String op) {
    HeldLock h = t.popHeld(instance(), write, op);
    cls.stats(write).released(now() - h.acquiredAtNs());
  }

  protected final void requireExclusive(Task t, boolean write, String op) {
    if (!write) {
      throw t.fault(op + "(" + className() + "): a " + cls.kind().key()
          + " has no shared (read) side");
    }
  }

  /** A task waiting for a lock: since when, whether its first atomic bounced. */
  protected static final class Waiter {
    final Task task;
    final boolean write;
    final long sinceNs;
    final boolean bounced;
    /** Where the lock's last owner took it when this wait began. */
    String ownerSite = "";
    boolean woken;
    int steals;

    Waiter(Task task, boolean write, long sinceNs, boolean bounced) {
      this.task = task;
      this.write = write;
      this.sinceNs = sinceNs;
      this.bounced = bounced;
    }
  }

  protected final Waiter waiter(Task t, boolean write) {
    Waiter w = new Waiter(t, write, now(), line.lastAccessBounced());
    w.ownerSite = lastAcquireSite;
    cls.stats(write).startedWaiting(w.sinceNs);
    t.startWaiting(instance(), write);
    return w;
  }

  @Override
  public String toString() {
    return className();
  }
}
