package faultsim.machine;

import faultsim.engine.Engine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;

/**
 * The simulated machine: cores grouped in sockets, a run queue for tasks that are runnable while
 * every core is taken, and the cost profile.
 *
 * <p>Scheduling: a task that wakes takes its previous core if idle, else the lowest-numbered idle
 * core, else joins the tail of one global FIFO run queue. A core freed by a sleeping, exiting or
 * preempted task takes the head of the queue after a context switch. A task spinning on a lock
 * keeps its core; a task sleeping on a lock, a wait queue or I/O frees it.
 */
public final class Machine {
  private final Engine engine;
  private final MachineSpec spec;
  private final CostProfile costs;
  private final SpinlockKind spinlockKind;
  private final Core[] cores;
  private final int coresPerSocket;
  /**
   * For each socket, its cores as a bit set in 64-bit words (word {@code w} holds cores
   * {@code 64w} to {@code 64w + 63}), the layout of {@link CacheLine}'s sharer set.
   */
  private final long[][] socketWords;
  private final BitSet idle = new BitSet();
  private final ArrayDeque<Task> runqueue = new ArrayDeque<>();
  private final List<Task> tasks = new ArrayList<>();
  private final List<ContextViolation> contextViolations = new ArrayList<>();
  private int live;

  public Machine(Engine engine, MachineSpec spec) {
    this.engine = engine;
    this.spec = spec;
    this.costs = spec.costs();
    this.spinlockKind = spec.spinlock();
    this.cores = new Core[spec.cores()];
    this.coresPerSocket = spec.cores() / spec.sockets();
    for (int i = 0; i < cores.length; i++) {
      this.cores[i] = new Core(i, i / coresPerSocket);
    }
    idle.set(0, cores.length);
    int words = (cores.length + 63) / 64;
    this.socketWords = new long[spec.sockets()][words];
    for (Core c : cores) {
      socketWords[c.socket()][c.id() >>> 6] |= 1L << (c.id() & 63);
    }
  }

  /** The socket of core {@code core}. */
  int socketOf(int core) {
    return core / coresPerSocket;
  }

  /** The cores of {@code socket} as bit-set words (do not modify). */
  long[] socketWords(int socket) {
    return socketWords[socket];
  }

  public MachineSpec spec() {
    return spec;
  }

  /** Whether mutex and rwsem writers may spin while the owner runs. */
  public boolean spinOnOwner() {
    return spec.spinOnOwner();
  }

  /** Exact batching of costed steps, or null (every step is an event of its own). */
  private Speculation speculation;

  /**
   * Lets tasks run ahead of the clock through costed steps, at most {@code windowNs} past
   * their event's time, exactly ({@link Speculation}). Set before the run starts.
   */
  public void speculate(long windowNs) {
    speculation = windowNs > 0 ? new Speculation(engine, windowNs) : null;
  }

  /** The run's {@link Speculation}, or null when every step is an event of its own. */
  public Speculation speculation() {
    return speculation;
  }

  public Engine engine() {
    return engine;
  }

  public CostProfile costs() {
    return costs;
  }

  public SpinlockKind spinlockKind() {
    return spinlockKind;
  }

  public int coreCount() {
    return cores.length;
  }

  public Core core(int i) {
    return cores[i];
  }

  public List<Task> tasks() {
    return Collections.unmodifiableList(tasks);
  }

  /** Tasks that have started and not exited. */
  public int liveTasks() {
    return live;
  }

  /** Creates a task that becomes runnable {@code startDelayNs} from now. */
  public Task spawn(String name, Program program, long startDelayNs) {
    Task t = new Task(this, tasks.size(), name, program);
    tasks.add(t);
    live++;
    Engine.Timer starter = new Engine.Timer(engine) {
      @Override
      protected void fire() {
        t.start();
      }
    };
    engine.schedule(starter, startDelayNs);
    return t;
  }

  public Task spawn(String name, Program program) {
    return spawn(name, program, 0);
  }

  /** Cost of moving a cache line from core {@code from} to core {@code to}. */
  public long transferNs(int from, int to) {
    if (from == to) {
      return costs.atomicLocalNs();
    }
    return cores[from].socket() == cores[to].socket()
        ? costs.transferSameSocketNs()
        : costs.transferCrossSocketNs();
  }

  /** Told of every lock acquisition: the lock-order checker. */
  public interface LockListener {
    /**
     * {@code t} now holds {@code lock} (in {@code write} mode), on top of {@code t.held()};
     * {@code trylock} if it was taken by a trylock.
     */
    void acquired(Task t, LockInstance lock, boolean write, boolean trylock);

    /** {@code t} starts waiting (spinning or asleep) for {@code lock} in {@code write} mode. */
    default void waiting(Task t, LockInstance lock, boolean write) {}
  }

  /** Told of every stretch of time a task spends in one state, as it is accounted. */
  public interface TimeListener {
    /** {@code t} was in {@code state} for {@code ns} > 0 nanoseconds from {@code startNs}. */
    void spent(Task t, Task.State state, long startNs, long ns);

    /** Everything told so far is to be forgotten (the ramp is over). */
    default void reset() {}
  }

  private TimeListener timeListener;

  /** Sets who is told of the tasks' time (null: nobody, at no cost). */
  public void setTimeListener(TimeListener l) {
    timeListener = l;
  }

  TimeListener timeListener() {
    return timeListener;
  }

  /** Told of every hold of a lock, from its acquisition to its release (a trace). */
  public interface HoldListener {
    /**
     * {@code t} holds {@code lock} from {@code atNs}; {@code waited} if it had to wait for it
     * (the last release of the lock let it in).
     */
    void holdStarted(Task t, LockInstance lock, boolean write, long atNs, boolean waited);

    /** {@code t} released its hold of {@code lock} in {@code write} mode at {@code atNs}. */
    void holdEnded(Task t, LockInstance lock, boolean write, long atNs);
  }

  private HoldListener holdListener;

  /** Sets who is told of lock holds (null: nobody, at no cost). */
  public void setHoldListener(HoldListener l) {
    holdListener = l;
  }

  HoldListener holdListener() {
    return holdListener;
  }

  private LockListener lockListener;
  private java.util.function.BiConsumer<Task, ContextViolation> contextListener;

  /** Told of each invalid-context violation as it happens, with the task. */
  public void setContextListener(java.util.function.BiConsumer<Task, ContextViolation> l) {
    contextListener = l;
  }

  public void setLockListener(LockListener l) {
    lockListener = l;
  }

  void lockWaiting(Task t, LockInstance lock, boolean write) {
    if (lockListener != null) {
      lockListener.waiting(t, lock, write);
    }
  }

  void lockAcquired(Task t, LockInstance lock, boolean write, boolean trylock) {
    if (lockListener != null) {
      lockListener.acquired(t, lock, write, trylock);
    }
  }

  /** Sleeping primitives seen in atomic context so far. */
  public List<ContextViolation> contextViolations() {
    return Collections.unmodifiableList(contextViolations);
  }

  void invalidContext(Task t, String operation) {
    List<String> ctx = new ArrayList<>();
    if (t.rcuDepth() > 0) {
      ctx.add("rcu_read_lock");
    }
    for (HeldLock h : t.held()) {
      if (!h.lock().sleeps()) {
        ctx.add(h.lock().className());
      }
    }
    ContextViolation v =
        new ContextViolation(engine.now(), t.name(), operation, String.join(", ", ctx));
    contextViolations.add(v);
    if (contextListener != null) {
      contextListener.accept(t, v);
    }
  }

  boolean hasRunnableWaiting() {
    return !runqueue.isEmpty();
  }

  /** A task that may run: give it an idle core or queue it. */
  void makeRunnable(Task t) {
    int c = t.lastCoreId() >= 0 && idle.get(t.lastCoreId()) ? t.lastCoreId() : idle.nextSetBit(0);
    if (c < 0) {
      t.queued();
      runqueue.addLast(t);
      return;
    }
    idle.clear(c);
    t.assignCore(cores[c], 0);
  }

  /** The task leaves its core (it sleeps, waits for I/O or exits). */
  void releaseCore(Task t) {
    Core c = t.takeCore();
    if (c == null) {
      throw new IllegalStateException(t.name() + " has no core to release");
    }
    c.setCurrent(null);
    handOver(c);
  }

  /** The task's time slice ended while others wait: it goes to the tail of the run queue. */
  void preempt(Task t) {
    Core c = t.takeCore();
    c.setCurrent(null);
    t.queued();
    runqueue.addLast(t);
    handOver(c);
    t.notifyOffCpu();
  }

  private void handOver(Core c) {
    Task next = runqueue.pollFirst();
    if (next == null) {
      c.setActivity(Core.Activity.IDLE, engine.now());
      idle.set(c.id());
    } else {
      c.setActivity(Core.Activity.BUSY, engine.now());
      next.assignCore(c, costs.contextSwitchNs());
    }
  }

  void exited(Task t) {
    live--;
  }

  /** Brings every core's and task's time accounting up to now (before reading them). */
  public void accountUpToNow() {
    long now = engine.now();
    for (Core c : cores) {
      c.account(now);
    }
    for (Task t : tasks) {
      t.accountUpTo(now);
    }
  }

  /** Zeroes time accounting (at the end of the ramp). */
  public void resetCounters() {
    long now = engine.now();
    for (Core c : cores) {
      c.resetCounters(now);
    }
    for (Task t : tasks) {
      t.resetCounters(now);
    }
    if (timeListener != null) {
      timeListener.reset();
    }
  }
}
