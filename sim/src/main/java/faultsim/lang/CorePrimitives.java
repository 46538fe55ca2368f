package faultsim.lang;

import faultsim.engine.Dist;
import faultsim.locks.Lock;
import faultsim.locks.Mutex;
import faultsim.locks.Rcu;
import faultsim.locks.RwSemaphore;
import faultsim.locks.Seqcount;
import faultsim.locks.Spinlock;
import faultsim.locks.WaitQueue;
import faultsim.machine.Task;

/**
 * The primitives every host has: the kernel's lock API over {@code faultsim.locks}, preemption
 * and RCU, wait-queue wake-ups, compute and sleep, integer ranges and time distributions.
 *
 * <p>Trylocks and {@code read_seqcount_begin}/{@code read_seqcount_retry} return {@code int}, as
 * in the kernel, read from the task's result register when the task next runs
 * ({@link Primitive#RESULT}). {@code downgrade_write} is absent: the rwsem model has no
 * downgrade. {@code lognormal(MEAN, STDDEV)} takes the mean and standard deviation of the times
 * (both with a unit), converted to the median and sigma of {@link Dist.Lognormal}.
 */
final class CorePrimitives {
  private CorePrimitives() {}

  static void addTo(Host h) {
    Type spinlock = h.defineType("spinlock_t", Spinlock.class);
    Type mutex = h.defineType("mutex", Mutex.class);
    Type rwsem = h.defineType("rw_semaphore", RwSemaphore.class);
    Type seqcount = h.defineType("seqcount_t", Seqcount.class);
    Type waitQueue = h.defineType("wait_queue_head", WaitQueue.class);
    h.typeAlias("wait_queue_head_t", waitQueue);

    exclusive(h, spinlock, "spin_lock", "spin_unlock", "spin_trylock");
    exclusive(h, mutex, "mutex_lock", "mutex_unlock", "mutex_trylock");
    rwsem(h, rwsem);
    seqcount(h, seqcount);

    h.primitive("rcu_read_lock").impl((env, t, a) -> {
      Rcu.readLock(t);
      return null;
    }).add();
    h.primitive("rcu_read_unlock").impl((env, t, a) -> {
      Rcu.readUnlock(t);
      return null;
    }).add();
    h.primitive("preempt_disable").impl((env, t, a) -> {
      t.preemptDisable();
      return null;
    }).add();
    h.primitive("preempt_enable").impl((env, t, a) -> {
      t.preemptEnable();
      return null;
    }).add();
    h.primitive("might_sleep").impl((env, t, a) -> {
      t.mightSleep("might_sleep");
      return null;
    }).add();
    h.primitive("wake_up_all").params(waitQueue).impl((env, t, a) -> {
      ((WaitQueue) nonNull(a, 0, "wake_up_all")).wakeUpAll(t);
      return null;
    }).add();

    h.primitive("cpu").params(Type.INT).impl((env, t, a) -> {
      t.cpu((Long) a[0]);
      return null;
    }).add();
    h.primitive("cpu").params(Type.DIST).impl((env, t, a) -> {
      t.cpu(((Dist) nonNull(a, 0, "cpu")).sample(env.stream()));
      return null;
    }).add();
    h.primitive("schedule_timeout").params(Type.INT).impl((env, t, a) -> {
      t.sleepFor((Long) a[0]);
      return null;
    }).add();

    Type range = h.cursorType("range_cursor", Type.INT);
    h.primitive("range").params(Type.INT, Type.INT).returns(range)
        .impl((env, t, a) -> new RangeCursor((Long) a[0], (Long) a[1])).add();

    h.primitive("const").foldable().params(Type.INT).returns(Type.DIST)
        .impl((env, t, a) -> Dist.constant((Long) a[0])).add();
    h.primitive("exp").foldable().params(Type.INT).returns(Type.DIST)
        .impl((env, t, a) -> Dist.exponential((Long) a[0])).add();
    h.primitive("uniform").foldable().params(Type.INT, Type.INT).returns(Type.DIST)
        .impl((env, t, a) -> new Dist.Uniform((Long) a[0], (Long) a[1])).add();
    h.primitive("lognormal").foldable().params(Type.INT, Type.INT).returns(Type.DIST)
        .impl((env, t, a) -> lognormal((Long) a[0], (Long) a[1])).add();
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

  private static void exclusive(Host h, Type type, String lock, String unlock, String trylock) {
    h.primitive(lock).params(type).acquires(0, true).impl((env, t, a) -> {
      lock(a, lock).acquire(t, true);
      return null;
    }).add();
    h.primitive(unlock).params(type).releases(0, true).impl((env, t, a) -> {
      lock(a, unlock).release(t, true);
      return null;
    }).add();
    h.primitive(trylock).params(type).returns(Type.INT).tryAcquires(0, true)
        .impl((env, t, a) -> {
          lock(a, trylock).tryAcquire(t, true);
          return Primitive.RESULT;
        }).add();
  }

  private static void rwsem(Host h, Type type) {
    side(h, type, "down_read", "up_read", "down_read_trylock", false);
    side(h, type, "down_write", "up_write", "down_write_trylock", true);
  }

  private static void side(Host h, Type type, String down, String up, String trylock,
      boolean write) {
    h.primitive(down).params(type).acquires(0, write).impl((env, t, a) -> {
      lock(a, down).acquire(t, write);
      return null;
    }).add();
    h.primitive(up).params(type).releases(0, write).impl((env, t, a) -> {
      lock(a, up).release(t, write);
      return null;
    }).add();
    h.primitive(trylock).params(type).returns(Type.INT).tryAcquires(0, write)
        .impl((env, t, a) -> {
          lock(a, trylock).tryAcquire(t, write);
          return Primitive.RESULT;
        }).add();
  }

  private static void seqcount(Host h, Type type) {
    h.primitive("read_seqcount_begin").params(type).returns(Type.INT).impl((env, t, a) -> {
      ((Seqcount) nonNull(a, 0, "read_seqcount_begin")).readBegin(t);
      return Primitive.RESULT;
    }).add();
    h.primitive("read_seqcount_retry").params(type, Type.INT).returns(Type.INT)
        .impl((env, t, a) -> {
          ((Seqcount) nonNull(a, 0, "read_seqcount_retry")).readRetry(t, (Long) a[1]);
          return Primitive.RESULT;
        }).add();
    h.primitive("write_seqcount_begin").params(type).acquires(0, true).impl((env, t, a) -> {
      lock(a, "write_seqcount_begin").acquire(t, true);
      return null;
    }).add();
    h.primitive("write_seqcount_end").params(type).releases(0, true).impl((env, t, a) -> {
      lock(a, "write_seqcount_end").release(t, true);
      return null;
    }).add();
  }

  private static Lock lock(Object[] a, String op) {
    return (Lock) nonNull(a, 0, op);
  }

  private static Object nonNull(Object[] a, int i, String op) {
    if (a[i] == null) {
      throw new IllegalArgumentException(op + "(NULL): argument " + (i + 1) + " is NULL");
    }
    return a[i];
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
