package faultsim.machine;

import faultsim.engine.Engine;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A schedulable entity (a {@code task_struct}): runs a {@link Program} on one core at a time.
 *
 * <p>Operations a program performs (and the primitives in {@code faultsim.locks} use) leave the
 * task in one of these states: {@link State#RUNNING} (done at once, take the next step),
 * {@link State#BUSY} (occupying its core for a while), {@link State#SPINNING} (occupying its core
 * waiting for a lock), {@link State#SLEEPING} or {@link State#IO} (its core freed), from which a
 * wake-up passes through {@link State#WAKING} and {@link State#RUNNABLE} (queued for a core).
 *
 * <p>Preemption: a {@link #cpu} step runs in slices of the cost profile's time slice while other
 * tasks wait for a core, unless the task holds a spinlock or is in an RCU read section
 * (non-preemptible context, as with {@code CONFIG_PREEMPT_RCU=n}); primitive costs never
 * preempt.
 */
public final class Task extends Engine.Timer {
  /** Scheduling state. */
  public enum State { NEW, RUNNING, BUSY, SPINNING, SLEEPING, IO, WAKING, RUNNABLE, EXITED }

  private static final int MAX_SYNC_STEPS = 1_000_000;

  private enum TimerKind { NONE, BUSY_DONE, RESUME, WAKE_DONE, SLEEP_DONE, GRANTED }

  private final Machine machine;
  private final int id;
  private final String name;
  private final Program program;
  private TimerKind timerKind = TimerKind.NONE;

  private Core core;
  private int lastCoreId = -1;
  private State state = State.NEW;
  private long stateSinceNs;
  private final long[] timeInStateNs = new long[State.values().length];

  private Continuation continuation;
  private long rcuSections;
  private long cpuRemainingNs;
  private long sliceUsedNs;
  private int preemptDisabled;
  private int rcuDepth;
  /**
   * The held-lock stack, oldest first: {@code heldCount} entries in use, reused as locks come and
   * go (an entry past the top keeps its object for the next push), so taking a lock allocates
   * nothing once the stack has reached its depth.
   */
  private HeldLock[] held = new HeldLock[4];
  private int heldCount;
  private final List<HeldLock> heldView = new HeldView();
  private long result;
  private String waitingOn = "";
  private boolean trylock;
  private LockInstance waitingFor;
  private Object attachment;
  private long operations;

  Task(Machine machine, int id, String name, Program program) {
    // The task is its own timer (the end of a busy stretch, a wake-up, a resume): one object
    // less to reach from the event list at every event.
    super(machine.engine());
    this.machine = machine;
    this.id = id;
    this.name = name;
    this.program = program;
  }

  public int id() {
    return id;
  }

  public String name() {
    return name;
  }

  /** The job the task is one of: its name up to the {@code /} of its number. */
  public String job() {
    return jobOf(name);
  }

  /** The job of the task named {@code taskName} ({@code reader} for {@code reader/3}). */
  public static String jobOf(String taskName) {
    int slash = taskName.indexOf('/');
    return slash < 0 ? taskName : taskName.substring(0, slash);
  }

  /** {@link CodeSite#of}'s answer for a program that cannot say where it is, made once. */
  private String jobSteps;

  String jobSteps() {
    if (jobSteps == null) {
      jobSteps = job() + " steps";
    }
    return jobSteps;
  }

  public Machine machine() {
    return machine;
  }

  public State state() {
    return state;
  }

  /** The core the task runs on, or null while it is off CPU. */
  public Core core() {
    return core;
  }

  /** True while the task occupies a core (running, busy or spinning). */
  public boolean onCpu() {
    return core != null;
  }

  /** What the task waits for while sleeping or spinning, for diagnostics. */
  public String waitingOn() {
    return waitingOn;
  }

  /** The result register: trylock success (1/0), a sequence count snapshot, ... */
  public long result() {
    return result;
  }

  public void setResult(long value) {
    result = value;
  }

  /** What the program driving this task attaches to it (its interpreter state, for traces). */
  public Object attachment() {
    return attachment;
  }

  public void setAttachment(Object o) {
    attachment = o;
  }

  /** The lock the task waits for (spinning or asleep), or null. */
  public LockInstance waitingFor() {
    return waitingFor;
  }

  /** A lock tells that the task now waits for it; the lock-order checker looks for a cycle. */
  public void startWaiting(LockInstance lock, boolean write) {
    waitingFor = lock;
    machine.lockWaiting(this, lock, write);
  }

  /**
   * The locks held now, oldest first: a read-only view that follows the stack (one object per
   * task). Its entries are reused once released; {@link #heldCount()} and {@link #heldAt(int)}
   * walk it without an iterator.
   */
  public List<HeldLock> held() {
    return heldView;
  }

  /** Number of locks held now. */
  public int heldCount() {
    return heldCount;
  }

  /** The {@code i}-th lock held, oldest first. */
  public HeldLock heldAt(int i) {
    if (i >= heldCount) {
      throw new IndexOutOfBoundsException(i + " of " + heldCount + " held locks");
    }
    return held[i];
  }

  /** Time spent in {@code s} so far (updated at each state change). */
  public long timeInStateNs(State s) {
    return timeInStateNs[s.ordinal()];
  }

  public boolean inAtomicContext() {
    return preemptDisabled > 0 || rcuDepth > 0;
  }

  public int rcuDepth() {
    return rcuDepth;
  }

  // ---- operations a program performs -------------------------------------------------------

  /**
   * Computes for {@code ns} on the task's core. Preemptible unless in atomic context.
   *
   * @throws IllegalArgumentException if {@code ns} is negative
   */
  public void cpu(long ns) {
    requireRunning("cpu");
    catchUp();
    if (ns < 0) {
      throw new IllegalArgumentException(name + ": cpu time must be >= 0, was " + ns + " ns");
    }
    if (ns == 0) {
      return;
    }
    cpuRemainingNs = ns;
    runCpuChunk();
  }

  /** Occupies the core for {@code ns} without preemption (the cost of a primitive). */
  public void busy(long ns) {
    requireRunning("busy");
    if (ns < 0) {
      throw new IllegalArgumentException(name + ": a cost must be >= 0, was " + ns + " ns");
    }
    if (ns == 0) {
      return;
    }
    Speculation s = machine.speculation();
    if (s != null && cpuRemainingNs == 0 && inlineNs == 0 && s.mayInline(this, ns)) {
      // The step will end inline, once the primitive that charged it returns
      // (settleInline): what the primitive does after this call happens now, as it would
      // before its BUSY_DONE event.
      inlineNs = ns;
      return;
    }
    setState(State.BUSY);
    arm(TimerKind.BUSY_DONE, ns);
  }

  /** A step that will end inline ({@link #busy}), not yet ended; 0 if none. */
  private long inlineNs;

  /**
   * Ends the step that {@link #busy} let end inline, if any: charged as BUSY up to its end,
   * then running again, as the BUSY_DONE event would have done. Called when the primitive or
   * program step that charged it returns.
   */
  public void settleInline() {
    long ns = inlineNs;
    if (ns == 0) {
      return;
    }
    inlineNs = 0;
    setState(State.BUSY);
    machine.speculation().inline(this, ns);
    setState(State.RUNNING);
    waitingOn = "";
  }

  /** If this task is ahead of the clock, lets every event before it fire first. */
  public void catchUp() {
    Speculation s = machine.speculation();
    if (s != null) {
      s.catchUp(this);
    }
  }

  /** Sleeps for {@code ns} ({@code schedule_timeout}): frees the core, then wakes up. */
  public void sleepFor(long ns) {
    requireRunning("sleep");
    catchUp();
    if (ns < 0) {
      throw new IllegalArgumentException(name + ": a sleep must be >= 0, was " + ns + " ns");
    }
    checkMaySleep("schedule_timeout");
    waitingOn = "schedule_timeout";
    setState(State.SLEEPING);
    goOffCpu();
    arm(TimerKind.SLEEP_DONE, ns);
  }

  /** Ends the task. Holding a lock at exit is a fault. */
  public void exit() {
    requireRunning("exit");
    catchUp();
    if (heldCount > 0) {
      throw fault("exited holding " + describeHeld());
    }
    setState(State.EXITED);
    machine.releaseCore(this);
    machine.exited(this);
  }

  // ---- what primitives use -----------------------------------------------------------------

  /** Spins on its core until a primitive calls {@link #grantAfter}. */
  public void spin(String onWhat) {
    requireRunning("spin");
    catchUp();
    waitingOn = onWhat;
    setState(State.SPINNING);
  }

  /** A spinning task got what it spun for; it goes on after {@code ns} (the handoff). */
  public void grantAfter(long ns) {
    if (state != State.SPINNING) {
      throw new IllegalStateException(name + " granted while " + state);
    }
    arm(TimerKind.GRANTED, ns);
  }

  /**
   * Sleeps until {@link #wake}: frees the core. When the task is back on a core,
   * {@code onWake} runs first (null: the program simply goes on).
   */
  public void sleep(String onWhat, Continuation onWake) {
    if (state != State.RUNNING && state != State.SPINNING) {
      throw new IllegalStateException(name + " cannot sleep while " + state);
    }
    catchUp();
    waitingOn = onWhat;
    continuation = onWake;
    setState(State.SLEEPING);
    goOffCpu();
  }

  /** Waits for I/O ({@code io_schedule}): as {@link #sleep} but accounted as I/O wait. */
  public void ioWait(String onWhat, Continuation onComplete) {
    requireRunning("io");
    catchUp();
    checkMaySleep(onWhat);
    waitingOn = onWhat;
    continuation = onComplete;
    setState(State.IO);
    goOffCpu();
  }

  /**
   * {@code might_sleep()}: a sleeping primitive was called; in atomic context that is an
   * invalid-context violation even if this call would not have slept.
   */
  public void mightSleep(String operation) {
    catchUp();
    checkMaySleep(operation);
  }

  /** Leaves the core and tells the locks held that their owner is off CPU. */
  private void goOffCpu() {
    machine.releaseCore(this);
    notifyOffCpu();
  }

  void notifyOffCpu() {
    for (int i = 0; i < heldCount; i++) {
      held[i].lock().ownerOffCpu(this);
    }
  }

  /** Wakes a sleeping task: it runs again after the wake-up latency and once it has a core. */
  public void wake() {
    if (state != State.SLEEPING && state != State.IO) {
      throw new IllegalStateException(name + " woken while " + state);
    }
    setState(State.WAKING);
    arm(TimerKind.WAKE_DONE, machine.costs().wakeupNs());
  }

  /** Sets what runs when the task is next resumed on a core (replacing any earlier one). */
  public void setContinuation(Continuation c) {
    continuation = c;
  }

  public void preemptDisable() {
    preemptDisabled++;
  }

  public void preemptEnable() {
    if (preemptDisabled == 0) {
      throw fault("preempt_enable() without preempt_disable()");
    }
    preemptDisabled--;
  }

  /** Speculation marks of this task's RCU read section, which synchronize_rcu reads. */
  private final Marked rcuMark = new Marked() {
    @Override
    public String toString() {
      return name + "'s RCU read section";
    }
  };

  public void rcuReadLock() {
    Speculation.write(machine.speculation(), rcuMark);
    if (rcuDepth++ == 0) {
      rcuSections++;
    }
  }

  /**
   * The number of the RCU read section the task is in (sections are numbered from 1 as the task
   * enters them), or 0 outside one: what {@code synchronize_rcu} waits on.
   */
  public long rcuSection() {
    Speculation.read(machine.speculation(), rcuMark);
    return rcuDepth > 0 ? rcuSections : 0;
  }

  public void rcuReadUnlock() {
    Speculation.write(machine.speculation(), rcuMark);
    if (rcuDepth == 0) {
      throw fault("rcu_read_unlock() outside an RCU read section");
    }
    rcuDepth--;
  }

  public void pushHeld(LockInstance lock, boolean write, long acquiredAtNs) {
    pushHeld(lock, write, acquiredAtNs, false);
  }

  /** As {@link #pushHeld(LockInstance, boolean, long)}; {@code waited} if the task waited. */
  public void pushHeld(LockInstance lock, boolean write, long acquiredAtNs, boolean waited) {
    pushHeld(lock, write, acquiredAtNs, waited, null);
  }

  /**
   * As {@link #pushHeld(LockInstance, boolean, long, boolean)}, keeping in the entry where the
   * lock was taken ({@link HeldLock#site}).
   */
  public void pushHeld(LockInstance lock, boolean write, long acquiredAtNs, boolean waited,
      String site) {
    waitingFor = null;
    machine.lockAcquired(this, lock, write, trylock);
    if (heldCount == held.length) {
      held = Arrays.copyOf(held, heldCount * 2);
    }
    HeldLock entry = held[heldCount];
    if (entry == null) {
      entry = new HeldLock();
      held[heldCount] = entry;
    }
    entry.set(lock, write, acquiredAtNs, site);
    heldCount++;
    Machine.HoldListener l = machine.holdListener();
    if (l != null) {
      l.holdStarted(this, lock, write, acquiredAtNs, waited);
    }
  }

  private void holdEnded(HeldLock h) {
    Machine.HoldListener l = machine.holdListener();
    if (l != null) {
      l.holdEnded(this, h.lock(), h.write(), machine.engine().now());
    }
  }

  /** A trylock is in progress: an acquisition now is not a dependency for lock ordering. */
  public void beginTrylock() {
    trylock = true;
  }

  public void endTrylock() {
    trylock = false;
  }

  /**
   * Removes the most recent held entry for {@code lock} in the given mode and returns it.
   *
   * @throws SimulationException if the task does not hold it so
   */
  public HeldLock popHeld(LockInstance lock, boolean write, String op) {
    for (int i = heldCount - 1; i >= 0; i--) {
      HeldLock h = held[i];
      if (h.lock() == lock && h.write() == write) {
        removeHeld(i);
        holdEnded(h);
        return h;
      }
    }
    throw fault(op + "(" + lock.className() + ") but the lock is not held"
        + (write ? " for write" : " for read") + "; held: " + describeHeld());
  }

  /** The task's entry for {@code lock}, the innermost if several, or null if it holds none. */
  public HeldLock heldEntry(LockInstance lock) {
    for (int i = heldCount - 1; i >= 0; i--) {
      if (held[i].lock() == lock) {
        return held[i];
      }
    }
    return null;
  }

  /** Removes {@code lock} from the held stack if present (a folio may be unlocked by anyone). */
  public HeldLock removeHeldIfPresent(LockInstance lock) {
    for (int i = heldCount - 1; i >= 0; i--) {
      HeldLock h = held[i];
      if (h.lock() == lock) {
        removeHeld(i);
        holdEnded(h);
        return h;
      }
    }
    return null;
  }

  /** Takes entry {@code i} out of the stack; its object moves just past the new top. */
  private void removeHeld(int i) {
    HeldLock h = held[i];
    int last = heldCount - 1;
    System.arraycopy(held, i + 1, held, i, last - i);
    held[last] = h;
    heldCount = last;
  }

  /** A fault naming this task and the time. */
  public SimulationException fault(String what) {
    return new SimulationException(
        "task " + name + " at " + machine.engine().now() + " ns: " + what);
  }

  public String describeHeld() {
    if (heldCount == 0) {
      return "nothing";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < heldCount; i++) {
      HeldLock h = held[i];
      sb.append(sb.length() == 0 ? "" : ", ").append(h.lock().className())
          .append(h.write() ? "-W" : "-R");
    }
    return sb.toString();
  }

  // ---- machine side ------------------------------------------------------------------------

  void start() {
    setState(State.WAKING);
    machine.makeRunnable(this);
  }

  /** Gives the task a core; it starts after {@code switchNs}. */
  void assignCore(Core c, long switchNs) {
    core = c;
    lastCoreId = c.id();
    c.setCurrent(this);
    // A task given a core is about to run, which is busy to the core; from here on only a
    // change between spinning and not reaches it (setState).
    c.setActivity(Core.Activity.BUSY, machine.engine().now());
    sliceUsedNs = 0;
    // Always through the event list, even at zero cost: the task whose step freed the core is
    // still inside that step, and must not see another task's program run within it.
    setState(State.BUSY);
    arm(TimerKind.RESUME, switchNs);
  }

  void queued() {
    setState(State.RUNNABLE);
  }

  Core takeCore() {
    Core c = core;
    core = null;
    return c;
  }

  int lastCoreId() {
    return lastCoreId;
  }

  void accountUpTo(long nowNs) {
    long ns = nowNs - stateSinceNs;
    timeInStateNs[state.ordinal()] += ns;
    Machine.TimeListener l = machine.timeListener();
    if (l != null && ns > 0) {
      l.spent(this, state, stateSinceNs, ns);
    }
    stateSinceNs = nowNs;
  }

  void resetCounters(long nowNs) {
    accountUpTo(nowNs);
    java.util.Arrays.fill(timeInStateNs, 0);
    operations = 0;
  }

  /** The task's program completed an operation (a fault, a punch, a synthetic step list). */
  public void countOperation() {
    operations++;
  }

  /** Operations completed since the counters were last reset. */
  public long operations() {
    return operations;
  }

  private void run() {
    setState(State.RUNNING);
    // Kept until now so that the wait is charged to what it was for (a time profile asks).
    waitingOn = "";
    if (continuation != null) {
      Continuation c = continuation;
      continuation = null;
      c.resume(this);
      settleInline();
    }
    int steps = 0;
    while (state == State.RUNNING) {
      if (++steps > MAX_SYNC_STEPS) {
        throw fault("made " + MAX_SYNC_STEPS + " steps without simulated time passing");
      }
      program.step(this);
      settleInline();
    }
  }

  private void runCpuChunk() {
    long chunk = cpuRemainingNs;
    if (!inAtomicContext()) {
      long slice = machine.costs().timeSliceNs();
      if (sliceUsedNs >= slice) {
        // The slice ran out in non-preemptible code: the first preemptible point yields.
        if (machine.hasRunnableWaiting()) {
          machine.preempt(this);
          return;
        }
        sliceUsedNs = 0;
      }
      chunk = Math.min(chunk, slice - sliceUsedNs);
    }
    cpuRemainingNs -= chunk;
    sliceUsedNs += chunk;
    setState(State.BUSY);
    arm(TimerKind.BUSY_DONE, chunk);
  }

  private void onTimer() {
    TimerKind kind = timerKind;
    timerKind = TimerKind.NONE;
    switch (kind) {
      case BUSY_DONE -> {
        if (cpuRemainingNs == 0) {
          run();
        } else if (machine.hasRunnableWaiting()) {
          machine.preempt(this);
        } else {
          sliceUsedNs = 0;
          runCpuChunk();
        }
      }
      case RESUME -> resumeOnCore();
      case GRANTED -> run();
      case WAKE_DONE -> machine.makeRunnable(this);
      case SLEEP_DONE -> wake();
      case NONE -> throw new IllegalStateException("timer fired with nothing armed");
    }
  }

  /** Back on a core: finish a preempted cpu step, or go on with the program. */
  private void resumeOnCore() {
    if (cpuRemainingNs > 0) {
      runCpuChunk();
    } else {
      run();
    }
  }

  private void arm(TimerKind kind, long delayNs) {
    if (timerKind != TimerKind.NONE || inlineNs != 0) {
      throw new IllegalStateException(name + ": timer " + kind + " while " + timerKind + " pending");
    }
    Speculation s = machine.speculation();
    if (s != null) {
      if (kind == TimerKind.BUSY_DONE) {
        // Still computing on its core: the task may stay ahead of the clock across events.
        s.leave(this);
      } else {
        s.catchUp(this);
      }
    }
    timerKind = kind;
    machine.engine().schedule(this, delayNs);
  }

  void setState(State next) {
    long now = machine.engine().now();
    accountUpTo(now);
    if ((state == State.IO) != (next == State.IO) && lastCoreId >= 0) {
      machine.core(lastCoreId).ioWaitChange(next == State.IO ? 1 : -1, now);
    }
    State before = state;
    state = next;
    // While the task holds a core, the core's activity is its state's (assignCore sets it):
    // only a change between spinning and not reaches the core, whose line an event then
    // leaves alone (with a thousand cores it has left the caches since the task's last step).
    if (core != null && (before == State.SPINNING) != (next == State.SPINNING)) {
      core.setActivity(coreActivity(next), now);
    }
  }

  private static Core.Activity coreActivity(State s) {
    return s == State.SPINNING ? Core.Activity.SPINNING : Core.Activity.BUSY;
  }

  private void requireRunning(String op) {
    if (state != State.RUNNING) {
      throw new IllegalStateException(name + ": " + op + " while " + state);
    }
  }

  private void checkMaySleep(String what) {
    if (preemptDisabled > 0 || rcuDepth > 0) {
      machine.invalidContext(this, what);
    }
  }

  @Override
  public String toString() {
    return name;
  }

  /** {@link #held()}: the stack's entries in use, read-only. */
  private final class HeldView extends AbstractList<HeldLock> implements RandomAccess {
    @Override
    public HeldLock get(int i) {
      return heldAt(i);
    }

    @Override
    public int size() {
      return heldCount;
    }
  }

  @Override
  protected void fire() {
    onTimer();
  }
}
