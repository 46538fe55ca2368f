package faultsim.machine;

import faultsim.engine.Engine;
import faultsim.locks.Lock;
import faultsim.locks.LockKind;
import faultsim.locks.Locks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A hand-made scenario for exact-time tests: tasks run fixed scripts, one operation per step, and
 * {@link #mark} steps record the simulated time at which a task reached them. A mark placed right
 * after an acquire therefore records when the task went on holding the lock (after any handoff or
 * wake-up latency), which is what the expected times in the tests are worked out for.
 */
public final class Scenario {
  /** One operation of a script, performed in one step of the task. */
  @FunctionalInterface
  public interface Op {
    void perform(Task t);
  }

  /** Far beyond any scenario's end: 1000 s. */
  public static final long END_NS = 1_000_000_000_000L;

  private final Engine engine = new Engine();
  private final Machine machine;
  private final Locks locks;
  private final Map<String, Long> marks = new LinkedHashMap<>();
  private final Map<String, Long> values = new LinkedHashMap<>();

  public Scenario(MachineSpec spec) {
    this.machine = new Machine(engine, spec);
    this.locks = new Locks(machine);
  }

  /** One socket, queued spinlocks, every cost zero. */
  public static MachineSpec zeroCost(int cores, boolean spinOnOwner) {
    return new MachineSpec(cores, 1, SpinlockKind.QUEUED, spinOnOwner, CostProfile.ZERO);
  }

  /** Every cost zero except the wake-up latency. */
  public static CostProfile zeroExceptWakeup(long wakeupNs) {
    return CostProfile.ZERO.withWakeup(wakeupNs, 0);
  }

  public Engine engine() {
    return engine;
  }

  public Machine machine() {
    return machine;
  }

  public Locks locks() {
    return locks;
  }

  /** A new lock instance of class {@code className}. */
  public Lock lock(String className, LockKind kind) {
    return locks.create(className, kind);
  }

  /** A task that starts at {@code startNs}, performs {@code ops} in order, then exits. */
  public Task spawn(String name, long startNs, Op... ops) {
    return machine.spawn(name, new Script(List.of(ops)), startNs);
  }

  /** Runs until every event up to {@link #END_NS} has fired, then brings accounting up to date. */
  public Scenario run() {
    engine.runUntil(END_NS);
    machine.accountUpToNow();
    return this;
  }

  /** Records the current time under {@code label} (takes no time). */
  public Op mark(String label) {
    return t -> put(marks, label, engine.now());
  }

  /** Records the task's result register under {@code label} (takes no time). */
  public Op result(String label) {
    return t -> put(values, label, t.result());
  }

  /** Records {@code probe}'s value under {@code label} (takes no time). */
  public Op observe(String label, LongSupplier probe) {
    return t -> put(values, label, probe.getAsLong());
  }

  /** The time recorded under {@code label}. */
  public long time(String label) {
    return get(marks, label);
  }

  /** The value recorded under {@code label}. */
  public long value(String label) {
    return get(values, label);
  }

  public boolean marked(String label) {
    return marks.containsKey(label);
  }

  public static Op cpu(long ns) {
    return t -> t.cpu(ns);
  }

  public static Op sleepFor(long ns) {
    return t -> t.sleepFor(ns);
  }

  public static Op acquire(Lock l) {
    return t -> l.acquire(t, true);
  }

  public static Op release(Lock l) {
    return t -> l.release(t, true);
  }

  public static Op acquireRead(Lock l) {
    return t -> l.acquire(t, false);
  }

  public static Op releaseRead(Lock l) {
    return t -> l.release(t, false);
  }

  public static Op tryAcquire(Lock l, boolean write) {
    return t -> l.tryAcquire(t, write);
  }

  private static void put(Map<String, Long> map, String label, long v) {
    if (map.putIfAbsent(label, v) != null) {
      throw new IllegalStateException("label '" + label + "' recorded twice");
    }
  }

  private static long get(Map<String, Long> map, String label) {
    Long v = map.get(label);
    if (v == null) {
      throw new AssertionError("nothing recorded under '" + label + "'; recorded: " + map);
    }
    return v;
  }

  /** Performs one op per step; exits after the last. */
  private static final class Script implements Program {
    private final List<Op> ops;
    private int pc;

    Script(List<Op> ops) {
      this.ops = ops;
    }

    @Override
    public void step(Task t) {
      if (pc == ops.size()) {
        t.exit();
        return;
      }
      ops.get(pc++).perform(t);
    }
  }
}
