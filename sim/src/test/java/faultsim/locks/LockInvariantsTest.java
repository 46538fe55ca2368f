package faultsim.locks;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.engine.Engine;
import faultsim.machine.CostProfile;
import faultsim.machine.HeldLock;
import faultsim.machine.Machine;
import faultsim.machine.MachineSpec;
import faultsim.machine.Program;
import faultsim.machine.SpinlockKind;
import faultsim.machine.Task;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Lock invariants under random schedules (style.md §7.7.2). Each try builds a machine (1-8
 * cores, one or two sockets, ticket or queued spinlocks, optimistic spinning on or off, costs
 * drawn from zero and realistic values, time slices short enough to preempt), 1-4 locks among
 * spinlock, mutex, rwsem and folio lock, and 1-12 tasks, each running a random script of properly
 * nested acquire / compute / release steps (and sleeps outside spinlocks) a few times.
 *
 * <p>Scripts take locks in one global order, sleeping locks before spinlocks, so they cannot
 * deadlock and every task must finish. Every program is wrapped so that before each of its steps
 * the whole machine is checked:
 *
 * <ul>
 *   <li>simulated time never goes backwards;
 *   <li>the stepping task's held stack is exactly what its script has acquired and not released;
 *   <li>no lock has two exclusive holders, and an rwsem never has a writer together with
 *       readers;
 *   <li>each lock's own view agrees with the tasks' held stacks: a spinlock's or mutex's owner,
 *       an rwsem's writer and reader count, a folio's locked bit. The only allowed difference is
 *       a grant in transit: a task that asked for the lock and has not run since may already be
 *       counted by the lock (handoff, wake-up latency) without having it on its stack yet.
 * </ul>
 *
 * <p>The run is stopped once at a random time and then run to the end; at both points every
 * class has acquisitions = completed holds + holds in progress, on each side, and at the end
 * every task has exited.
 */
final class LockInvariantsTest {
  private static final long END_NS = 1_000_000_000L;

  @Property(tries = 200)
  void locks_randomSchedule_agreeWithHeldStacksAtEveryStep(
      @ForAll @IntRange(min = 1, max = 12) int tasks,
      @ForAll @IntRange(min = 1, max = 8) int cores,
      @ForAll boolean twoSockets,
      @ForAll @Size(min = 1, max = 4) List<@From("lockKinds") LockKind> lockKinds,
      @ForAll SpinlockKind spinlockKind,
      @ForAll boolean spinOnOwner,
      @ForAll("costs") CostProfile costs,
      @ForAll long scriptSeed) {
    int sockets = twoSockets && cores % 2 == 0 ? 2 : 1;
    World w = new World(new MachineSpec(cores, sockets, spinlockKind, spinOnOwner, costs),
        lockKinds);
    Random r = new Random(scriptSeed);
    for (int i = 0; i < tasks; i++) {
      w.spawn("T" + i, r.nextInt(5_000), w.randomScript(r, 1 + r.nextInt(4)));
    }
    long stopAt = r.nextInt(100_000);

    w.engine.runUntil(stopAt);
    w.checkGlobal();
    w.checkAccounting();
    w.engine.runUntil(END_NS);

    assertThat(w.machine.liveTasks()).as("tasks still alive at the end").isZero();
    w.checkAccounting();
  }

  @Provide
  Arbitrary<LockKind> lockKinds() {
    return Arbitraries.of(LockKind.SPINLOCK, LockKind.MUTEX, LockKind.RWSEM, LockKind.FOLIO);
  }

  @Provide
  Arbitrary<CostProfile> costs() {
    return Combinators.combine(
        Arbitraries.of(0L, 5L),
        Arbitraries.of(0L, 47L, 100L),
        Arbitraries.of(0L, 122L),
        Arbitraries.of(0L, 1_000L, 2_000L),
        Arbitraries.of(0L, 1_100L),
        Arbitraries.of(1_500L, 3_000_000L),
        Arbitraries.of(0L, 5_000L, 4_000_000L),
        Arbitraries.of(0, 1, 5)).as(CostProfile::new);
  }

  /** One step of a script. */
  private record Op(Kind kind, int lock, boolean write, long ns) {
    enum Kind { ACQUIRE, RELEASE, CPU, SLEEP }
  }

  /** A lock as a script holds it. */
  private record Hold(Lock lock, boolean write) {}

  private static final class World {
    final Engine engine = new Engine();
    final Machine machine;
    final List<Lock> locks = new ArrayList<>();
    final List<Script> scripts = new ArrayList<>();
    long lastNowNs;

    World(MachineSpec spec, List<LockKind> kinds) {
      machine = new Machine(engine, spec);
      Locks factory = new Locks(machine);
      // Sleeping locks first, spinlocks last: scripts take locks in increasing index order, so
      // a spinlock is always innermost and nothing sleeps under it.
      List<LockKind> ordered = new ArrayList<>(kinds);
      ordered.sort(Comparator.comparing(k -> k == LockKind.SPINLOCK));
      for (int i = 0; i < ordered.size(); i++) {
        LockKind k = ordered.get(i);
        locks.add(factory.create("L" + i + "-" + k.key(), k));
      }
    }

    void spawn(String name, long startNs, List<Op> ops) {
      Script s = new Script(this, ops);
      scripts.add(s);
      s.task = machine.spawn(name, s, startNs);
    }

    List<Op> randomScript(Random r, int loops) {
      List<Op> ops = new ArrayList<>();
      for (int l = 0; l < loops; l++) {
        if (r.nextBoolean()) {
          ops.add(new Op(Op.Kind.SLEEP, -1, false, r.nextInt(5_000)));
        }
        nest(r, 0, false, ops);
      }
      return ops;
    }

    /** Zero to two sibling critical sections on locks from index {@code from} up. */
    private void nest(Random r, int from, boolean underSpinlock, List<Op> ops) {
      int siblings = r.nextInt(3);
      for (int s = 0; s < siblings && from < locks.size(); s++) {
        int idx = from + r.nextInt(locks.size() - from);
        Lock l = locks.get(idx);
        boolean write = l.lockClass().kind() != LockKind.RWSEM || r.nextBoolean();
        ops.add(new Op(Op.Kind.ACQUIRE, idx, write, 0));
        if (r.nextBoolean()) {
          ops.add(new Op(Op.Kind.CPU, -1, false, r.nextInt(3_000)));
        }
        boolean spin = underSpinlock || l.lockClass().kind() == LockKind.SPINLOCK;
        nest(r, idx + 1, spin, ops);
        if (!spin && r.nextInt(4) == 0) {
          ops.add(new Op(Op.Kind.SLEEP, -1, false, r.nextInt(3_000)));
        }
        ops.add(new Op(Op.Kind.RELEASE, idx, write, 0));
      }
      if (r.nextBoolean()) {
        ops.add(new Op(Op.Kind.CPU, -1, false, r.nextInt(2_000)));
      }
    }

    /** Everything that must hold at any moment between events. */
    void checkGlobal() {
      long now = engine.now();
      if (now < lastNowNs) {
        throw new AssertionError("time went back from " + lastNowNs + " to " + now + " ns");
      }
      lastNowNs = now;
      for (Lock l : locks) {
        List<Task> writers = new ArrayList<>();
        List<Task> readers = new ArrayList<>();
        for (Script s : scripts) {
          for (HeldLock h : s.task.held()) {
            if (h.lock() == l) {
              (h.write() ? writers : readers).add(s.task);
            }
          }
        }
        int pendingWrite = 0;
        int pendingRead = 0;
        for (Script s : scripts) {
          if (s.pending != null && s.pending.lock() == l) {
            if (s.pending.write()) {
              pendingWrite++;
            } else {
              pendingRead++;
            }
          }
        }
        String where = l.className() + " at " + now + " ns: ";
        if (writers.size() > 1) {
          throw new AssertionError(where + "two exclusive holders " + writers);
        }
        Task holder = writers.isEmpty() ? null : writers.get(0);
        if (l instanceof Spinlock sl) {
          checkOwner(where, sl.owner(), holder, l);
        } else if (l instanceof Mutex m) {
          checkOwner(where, m.owner(), holder, l);
        } else if (l instanceof RwSemaphore rw) {
          checkOwner(where, rw.writer(), holder, l);
          if (rw.writer() != null && rw.readers() > 0) {
            throw new AssertionError(where + "writer " + rw.writer() + " with " + rw.readers()
                + " readers");
          }
          if (holder != null && !readers.isEmpty()) {
            throw new AssertionError(where + "held for write by " + holder + " and for read by "
                + readers);
          }
          if (rw.readers() < readers.size() || rw.readers() > readers.size() + pendingRead) {
            throw new AssertionError(where + "reader count " + rw.readers() + " but "
                + readers.size() + " tasks hold it for read and " + pendingRead
                + " are being granted");
          }
        } else if (l instanceof FolioLock f) {
          if (holder != null && !f.locked()) {
            throw new AssertionError(where + holder + " holds an unlocked folio");
          }
          if (f.locked() && holder == null && pendingWrite == 0) {
            throw new AssertionError(where + "folio locked but nobody holds or is being granted"
                + " it");
          }
        }
      }
    }

    /** The lock's owner is the holder, or (granted in transit) a task that asked for it. */
    private void checkOwner(String where, Task owner, Task holder, Lock l) {
      if (holder != null && owner != holder) {
        throw new AssertionError(where + holder + " holds it but the lock says " + owner);
      }
      if (owner != null && holder == null) {
        Script s = scriptOf(owner);
        if (s.pending == null || s.pending.lock() != l || !s.pending.write()) {
          throw new AssertionError(where + "the lock says " + owner + " owns it, but no task"
              + " holds it and " + owner + " did not ask for it");
        }
      }
    }

    private Script scriptOf(Task t) {
      for (Script s : scripts) {
        if (s.task == t) {
          return s;
        }
      }
      throw new AssertionError("unknown task " + t);
    }

    /** acquisitions = completed holds + holds in progress, per class and side. */
    void checkAccounting() {
      for (Lock l : locks) {
        for (boolean write : new boolean[] {true, false}) {
          long held = 0;
          for (Script s : scripts) {
            for (HeldLock h : s.task.held()) {
              if (h.lock() == l && h.write() == write) {
                held++;
              }
            }
          }
          LockStats st = l.lockClass().stats(write);
          assertThat(st.acquisitions())
              .as("%s-%s at %d ns: acquisitions = holds %d + held %d", l.className(),
                  write ? "W" : "R", engine.now(), st.holds(), held)
              .isEqualTo(st.holds() + held);
        }
      }
    }
  }

  /** Runs its ops one per step, checking the machine before each step. */
  private static final class Script implements Program {
    final World world;
    final List<Op> ops;
    final ArrayDeque<Hold> expected = new ArrayDeque<>();
    Task task;
    Hold pending;
    int pc;

    Script(World world, List<Op> ops) {
      this.world = world;
      this.ops = ops;
    }

    @Override
    public void step(Task t) {
      // Being stepped means the previous operation has completed.
      pending = null;
      checkOwnStack(t);
      world.checkGlobal();
      if (pc == ops.size()) {
        t.exit();
        return;
      }
      Op op = ops.get(pc++);
      switch (op.kind()) {
        case ACQUIRE -> {
          Hold h = new Hold(world.locks.get(op.lock()), op.write());
          expected.addLast(h);
          pending = h;
          h.lock().acquire(t, h.write());
        }
        case RELEASE -> {
          Hold h = expected.removeLast();
          if (h.lock() != world.locks.get(op.lock()) || h.write() != op.write()) {
            throw new AssertionError("script not properly nested");
          }
          h.lock().release(t, h.write());
        }
        case CPU -> t.cpu(op.ns());
        case SLEEP -> t.sleepFor(op.ns());
      }
    }

    private void checkOwnStack(Task t) {
      List<HeldLock> held = t.held();
      if (held.size() != expected.size()) {
        throw new AssertionError(t + " at " + world.engine.now() + " ns holds "
            + t.describeHeld() + ", its script expects " + expected.size() + " locks");
      }
      Iterator<Hold> it = expected.iterator();
      Map<Integer, Hold> mismatch = new HashMap<>();
      for (int i = 0; i < held.size(); i++) {
        Hold e = it.next();
        if (held.get(i).lock() != e.lock() || held.get(i).write() != e.write()) {
          mismatch.put(i, e);
        }
      }
      if (!mismatch.isEmpty()) {
        throw new AssertionError(t + " holds " + t.describeHeld() + ", script expects "
            + mismatch + " at those positions");
      }
    }
  }
}
