package faultsim.lang;

import faultsim.engine.Dist;
import faultsim.locks.Lock;
import faultsim.locks.Mutex;
import faultsim.locks.RangeLock;
import faultsim.locks.Rcu;
import faultsim.locks.RwLock;
import faultsim.locks.RwSemaphore;
import faultsim.locks.Seqcount;
import faultsim.locks.Seqlock;
import faultsim.locks.Spinlock;
import faultsim.locks.WaitQueue;
import faultsim.machine.Task;

/**
 * The primitives every host has: the kernel's lock API over {@code faultsim.locks}, preemption
 * and RCU, wait-queue wake-ups, compute and sleep, integer ranges and time distributions.
 *
 * <p>Trylocks and {@code read_seqcount_begin}/{@code read_seqcount_retry} return {@code int}, as
 * in the kernel, read from the task's result register when the task next runs
 * ({@link Primitive#RESULT}). {@code lognormal(MEAN, STDDEV)} takes the mean and standard
 * deviation of the times (both with a unit), converted to the median and sigma of {@link Dist.Lognormal}.
 */
final class CorePrimitives {
  private CorePrimitives() {}

  static void addTo(Host h) {
    h.primitiveSource("kernel/locking/ (include/linux/spinlock.h, mutex.h, rwsem.h, rwlock.h,"
        + " seqlock.h, atomic.h)");
    Type spinlock = h.defineType("spinlock_t", Spinlock.class);
    Type mutex = h.defineType("mutex", Mutex.class);
    Type rwsem = h.defineType("rw_semaphore", RwSemaphore.class);
    Type seqcount = h.defineType("seqcount_t", Seqcount.class);
    Type rwlock = h.defineType("rwlock_t", RwLock.class);
    Type seqlock = h.defineType("seqlock_t", Seqlock.class);
    Type rangeLock = h.defineType("range_lock_tree", RangeLock.class);
    Type waitQueue = h.defineType("wait_queue_head", WaitQueue.class);
    h.typeAlias("wait_queue_head_t", waitQueue);
    Type atomic = h.defineType("atomic_t", Atomic.class);
    h.typeAlias("atomic_long_t", atomic);

    h.globalMacro("DEFINE_SPINLOCK", spinlock);
    h.globalMacro("DEFINE_RWLOCK", rwlock);
    h.globalMacro("DEFINE_MUTEX", mutex);
    h.globalMacro("DECLARE_RWSEM", rwsem);
    h.globalMacro("DEFINE_SEQLOCK", seqlock);
    h.globalMacro("DECLARE_WAIT_QUEUE_HEAD", waitQueue);

    exclusive(h, spinlock, "spin_lock", "spin_unlock", "spin_trylock", true);
    exclusive(h, mutex, "mutex_lock", "mutex_unlock", "mutex_trylock", false);
    rwsem(h, rwsem);
    side(h, rwlock, "read_lock", "read_unlock", "read_trylock", false);
    side(h, rwlock, "write_lock", "write_unlock", "write_trylock", true);
    seqcount(h, seqcount);
    seqlock(h, seqlock);
    rangeLock(h, rangeLock);
    atomics(h, atomic, "atomic");
    atomics(h, atomic, "atomic_long");
    barriers(h);

    h.primitiveSource("include/linux/rcupdate.h, include/linux/preempt.h, kernel/sched/wait.c");
    h.primitive("rcu_read_lock").batchable().acquiresContext("rcu_read_lock", false)
        .implSlots((env, t, a) -> {
          Rcu.readLock(t);
          return null;
        }).add();
    h.primitive("rcu_read_unlock").batchable().releasesContext("rcu_read_lock", false)
        .implSlots((env, t, a) -> {
          Rcu.readUnlock(t);
          return null;
        }).add();
    h.primitive("preempt_disable").acquiresContext("preempt_disable", false)
        .implSlots((env, t, a) -> {
          t.preemptDisable();
          return null;
        }).add();
    h.primitive("preempt_enable").releasesContext("preempt_disable", false)
        .implSlots((env, t, a) -> {
          t.preemptEnable();
          return null;
        }).add();
    h.primitive("might_sleep").implSlots((env, t, a) -> {
      t.mightSleep("might_sleep");
      return null;
    }).add();
    h.primitive("wake_up_all").params(waitQueue).implSlots((env, t, a) -> {
      ((WaitQueue) nonNull(a, 0, "wake_up_all")).wakeUpAll(t);
      return null;
    }).add();

    h.primitiveSource(null);
    h.primitive("cpu").params(Type.INT).implSlots((env, t, a) -> {
      t.cpu(a.i(0));
      return null;
    }).add();
    h.primitive("cpu").params(Type.DIST).implSlots((env, t, a) -> {
      t.cpu(((Dist) nonNull(a, 0, "cpu")).sample(env.stream()));
      return null;
    }).add();
    h.primitive("schedule_timeout").params(Type.INT).implSlots((env, t, a) -> {
      t.sleepFor(a.i(0));
      return null;
    }).add();

    Type range = h.cursorType("range_cursor", Type.INT);
    h.primitive("range").params(Type.INT, Type.INT).returns(range)
        .implSlots((env, t, a) -> new RangeCursor(a.i(0), a.i(1))).add();

    h.primitive("const").foldable().params(Type.INT).returns(Type.DIST)
        .implSlots((env, t, a) -> Dist.constant(a.i(0))).add();
    h.primitive("exp").foldable().params(Type.INT).returns(Type.DIST)
        .implSlots((env, t, a) -> Dist.exponential(a.i(0))).add();
    h.primitive("uniform").foldable().params(Type.INT, Type.INT).returns(Type.DIST)
        .implSlots((env, t, a) -> new Dist.Uniform(a.i(0), a.i(1))).add();
    h.primitive("lognormal").foldable().params(Type.INT, Type.INT).returns(Type.DIST)
        .implSlots((env, t, a) -> lognormal(a.i(0), a.i(1))).add();
  }

  /** A lognormal with the given mean and standard deviation of the times. */
  static Dist lognormal(long meanNs, long stddevNs) {
    if (meanNs <= 0 || stddevNs < 0) {
      throw new IllegalArgumentException("lognormal(MEAN, STDDEV) needs MEAN > 0 and STDDEV >= 0,"
          + " was " + meanNs + " ns, " + stddevNs + " ns");
    }
    double cv2 = (double) stddevNs * stddevNs / ((double) meanNs * meanNs);
    double sigma = Math.sqrt(Math.log1p(cv2));
    return new Dist.Lognormal(meanNs / Math.sqrt(1 + cv2), sigma);
  }

  /**
   * {@code batchable}: a spinlock's state changes with its word's line, which speculation marks;
   * a task that must spin catches up when it starts to. A mutex's optimistic spinning and sleep
   * are not covered.
   */
  private static void exclusive(Host h, Type type, String lock, String unlock, String trylock,
      boolean batchable) {
    Primitive.Builder l = h.primitive(lock).params(type).acquires(0, true);
    Primitive.Builder u = h.primitive(unlock).params(type).releases(0, true);
    Primitive.Builder tl = h.primitive(trylock).params(type).returns(Type.INT)
        .tryAcquires(0, true);
    if (batchable) {
      l.batchable();
      u.batchable();
      tl.batchable();
    }
    l.implSlots((env, t, a) -> {
      lock(a, lock).acquire(t, true);
      return null;
    }).add();
    u.implSlots((env, t, a) -> {
      lock(a, unlock).release(t, true);
      return null;
    }).add();
    tl
        .implSlots((env, t, a) -> {
          lock(a, trylock).tryAcquire(t, true);
          return Primitive.RESULT;
        }).add();
  }

  private static void rwsem(Host h, Type type) {
    side(h, type, "down_read", "up_read", "down_read_trylock", false);
    side(h, type, "down_write", "up_write", "down_write_trylock", true);
    h.primitive("downgrade_write").params(type).releases(0, true).tryAcquires(0, false)
        .implSlots((env, t, a) -> {
          ((RwSemaphore) nonNull(a, 0, "downgrade_write")).downgrade(t);
          return null;
        }).add();
  }

  private static void side(Host h, Type type, String down, String up, String trylock,
      boolean write) {
    h.primitive(down).params(type).acquires(0, write).implSlots((env, t, a) -> {
      lock(a, down).acquire(t, write);
      return null;
    }).add();
    // A release and a trylock change the count with an atomic on its line, which speculation
    // marks; a down that waits is not covered.
    h.primitive(up).params(type).releases(0, write).implSlots((env, t, a) -> {
      lock(a, up).release(t, write);
      return null;
    }).add();
    h.primitive(trylock).params(type).returns(Type.INT).tryAcquires(0, write)
        .implSlots((env, t, a) -> {
          lock(a, trylock).tryAcquire(t, write);
          return Primitive.RESULT;
        }).add();
  }

  /**
   * {@code seqlock_t}: {@code write_seqlock}/{@code write_sequnlock} take the embedded spinlock
   * and make the count odd/even; {@code read_seqbegin}/{@code read_seqretry} are the seqcount
   * reader.
   */
  private static void seqlock(Host h, Type type) {
    exclusive(h, type, "write_seqlock", "write_sequnlock", "write_tryseqlock", false);
    h.primitive("read_seqbegin").params(type).returns(Type.INT).implSlots((env, t, a) -> {
      ((Seqlock) nonNull(a, 0, "read_seqbegin")).readBegin(t);
      return Primitive.RESULT;
    }).add();
    h.primitive("read_seqretry").params(type, Type.INT).returns(Type.INT).implSlots((env, t, a) -> {
      ((Seqlock) nonNull(a, 0, "read_seqretry")).readRetry(t, a.i(1));
      return Primitive.RESULT;
    }).add();
  }

  /**
   * {@code range_read_lock(tree, start, last)} and the other range lock calls, over the range
   * [start, last] ({@link RangeLock}); the trylocks return 1 on success.
   */
  private static void rangeLock(Host h, Type type) {
    for (boolean write : new boolean[] {false, true}) {
      String side = write ? "write" : "read";
      h.primitive("range_" + side + "_lock").params(type, Type.INT, Type.INT)
          .acquires(0, write).implSlots((env, t, a) -> {
            range(a, "range_" + side + "_lock").acquire(t, write, a.i(1), a.i(2));
            return null;
          }).add();
      h.primitive("range_" + side + "_unlock").params(type, Type.INT, Type.INT)
          .releases(0, write).implSlots((env, t, a) -> {
            range(a, "range_" + side + "_unlock").release(t, write, a.i(1), a.i(2));
            return null;
          }).add();
      h.primitive("range_" + side + "_trylock").params(type, Type.INT, Type.INT)
          .returns(Type.INT).tryAcquires(0, write).implSlots((env, t, a) -> {
            range(a, "range_" + side + "_trylock").tryAcquire(t, write, a.i(1),
                a.i(2));
            return Primitive.RESULT;
          }).add();
    }
  }

  private static RangeLock range(Args a, String op) {
    return (RangeLock) nonNull(a, 0, op);
  }

  /**
   * The {@code atomic_*} (or {@code atomic_long_*}) API: read, set, add, sub, inc, dec,
   * inc_return, dec_return, dec_and_test, cmpxchg (returns the old value) and inc_not_zero
   * (false if the count was zero: the refcount was already dropping). Every operation but
   * {@code read} is an atomic on the counter's line.
   */
  private static void atomics(Host h, Type atomic, String prefix) {
    atomicOp(h, atomic, prefix + "_read", Type.INT, (t, c, a) -> c.read(t));
    h.primitive(prefix + "_set").params(atomic, Type.INT).implSlots((env, t, a) -> {
      atomicArg(a, prefix + "_set").write(t, a.i(1));
      return null;
    }).add();
    for (String op : new String[] {"add", "sub"}) {
      long sign = op.equals("add") ? 1 : -1;
      h.primitive(prefix + "_" + op).params(Type.INT, atomic).implSlots((env, t, a) -> {
        Atomic c = atomicArg(a, 1, prefix + "_" + op);
        c.write(t, c.value() + sign * a.i(0));
        return null;
      }).add();
    }
    atomicOp(h, atomic, prefix + "_inc", Type.VOID, (t, c, a) -> c.write(t, c.value() + 1));
    atomicOp(h, atomic, prefix + "_dec", Type.VOID, (t, c, a) -> c.write(t, c.value() - 1));
    atomicOp(h, atomic, prefix + "_inc_return", Type.INT,
        (t, c, a) -> c.write(t, c.value() + 1));
    atomicOp(h, atomic, prefix + "_dec_return", Type.INT,
        (t, c, a) -> c.write(t, c.value() - 1));
    atomicOp(h, atomic, prefix + "_dec_and_test", Type.BOOL,
        (t, c, a) -> c.write(t, c.value() - 1) == 0 ? 1 : 0);
    atomicOp(h, atomic, prefix + "_inc_not_zero", Type.BOOL, (t, c, a) -> {
      long old = c.value();
      c.write(t, old == 0 ? 0 : old + 1);
      return old != 0 ? 1 : 0;
    });
    h.primitive(prefix + "_cmpxchg").params(atomic, Type.INT, Type.INT).returns(Type.INT)
        .implLong((env, t, a) -> {
          Atomic c = atomicArg(a, prefix + "_cmpxchg");
          long old = c.value();
          c.write(t, old == a.i(1) ? a.i(2) : old);
          return old;
        }).add();
  }

  /** One atomic operation on a counter: its value, a bool as 1/0 (ignored for a void one). */
  @FunctionalInterface
  private interface AtomicOp {
    long apply(Task t, Atomic counter, Args args);
  }

  private static void atomicOp(Host h, Type atomic, String name, Type returns, AtomicOp op) {
    Primitive.Builder b = h.primitive(name).params(atomic).returns(returns);
    if (returns.kind() == Type.Kind.VOID) {
      b.implSlots((env, t, a) -> {
        op.apply(t, atomicArg(a, name), a);
        return null;
      });
    } else {
      b.implLong((env, t, a) -> op.apply(t, atomicArg(a, name), a));
    }
    b.add();
  }

  private static Atomic atomicArg(Args a, String op) {
    return atomicArg(a, 0, op);
  }

  private static Atomic atomicArg(Args a, int i, String op) {
    return (Atomic) nonNull(a, i, op);
  }

  /**
   * Memory barriers as x86-64 implements them (arch/x86/include/asm/barrier.h): {@code smp_mb}
   * is a locked instruction on the stack, the cost of a local atomic; {@code smp_rmb} and
   * {@code smp_wmb} are compiler barriers on x86 (loads are not reordered with loads, nor stores
   * with stores) and cost nothing.
   */
  private static void barriers(Host h) {
    h.primitive("smp_mb").implSlots((env, t, a) -> {
      t.busy(t.machine().costs().atomicLocalNs());
      return null;
    }).add();
    for (String name : new String[] {"smp_rmb", "smp_wmb", "barrier"}) {
      h.primitive(name).implSlots((env, t, a) -> null).add();
    }
  }

  private static void seqcount(Host h, Type type) {
    h.primitive("read_seqcount_begin").params(type).returns(Type.INT).implSlots((env, t, a) -> {
      ((Seqcount) nonNull(a, 0, "read_seqcount_begin")).readBegin(t);
      return Primitive.RESULT;
    }).add();
    h.primitive("read_seqcount_retry").params(type, Type.INT).returns(Type.INT)
        .implSlots((env, t, a) -> {
          ((Seqcount) nonNull(a, 0, "read_seqcount_retry")).readRetry(t, a.i(1));
          return Primitive.RESULT;
        }).add();
    h.primitive("write_seqcount_begin").params(type).acquires(0, true).implSlots((env, t, a) -> {
      lock(a, "write_seqcount_begin").acquire(t, true);
      return null;
    }).add();
    h.primitive("write_seqcount_end").params(type).releases(0, true).implSlots((env, t, a) -> {
      lock(a, "write_seqcount_end").release(t, true);
      return null;
    }).add();
  }

  private static Lock lock(Args a, String op) {
    return (Lock) nonNull(a, 0, op);
  }

  private static Object nonNull(Args a, int i, String op) {
    if (a.ref(i) == null) {
      throw new IllegalArgumentException(op + "(NULL): argument " + (i + 1) + " is NULL");
    }
    return a.ref(i);
  }

  /** {@code range(a, b)}: a, a+1, ..., b-1. */
  private static final class RangeCursor implements Cursor {
    private long next;
    private final long end;

    RangeCursor(long start, long end) {
      this.next = start;
      this.end = end;
    }

    @Override
    public Object next(RunEnv env, Task task) {
      return next < end ? Long.valueOf(next++) : null;
    }
  }
}
