package faultsim.lang;

import faultsim.locks.Lock;
import faultsim.locks.LockKind;
import faultsim.locks.Mutex;
import faultsim.locks.RangeLock;
import faultsim.locks.RwLock;
import faultsim.locks.RwSemaphore;
import faultsim.locks.Seqcount;
import faultsim.locks.Seqlock;
import faultsim.locks.Spinlock;
import faultsim.locks.WaitQueue;
import faultsim.machine.CacheLine;
import java.util.Map;

/**
 * A field or global a design declares: {@code struct vm_area_struct { seqcount_t vm_sequence; }}
 * or {@code DEFINE_SPINLOCK(global_fault_lock);}.
 *
 * <p>An embedded lock, {@code atomic_t} or wait queue is created on first use in each object (or
 * once per run for a global): a lock in the run's lock classes under {@code lockClass}
 * ({@code &vma->vm_sequence} for a field, the variable's name for a global, as lockdep names
 * them), so it shows in lock_stat and the lock-order oracle as the kernel model's own locks do,
 * each on its own cache line. Integers start at 0, bools at false, pointers at NULL; those may be
 * assigned, embedded objects may not.
 *
 * @param owner the struct for a field; null for a global
 * @param slot the index in the object's design-field storage, or in the run's design globals
 * @param embedded whether the declaration embeds an object (a lock, atomic or wait queue)
 * @param lockKind the lock family of an embedded lock, else null
 * @param where {@code file:line:column} of the declaration
 * @param sharesLine for an embedded field declared {@code __shares_line(f)}, the field {@code f}
 *     whose cache line it lives on (a lock, atomic or wait queue of the same struct); else null
 */
record DeclaredVar(Type owner, String name, Type type, int slot, boolean embedded,
    LockKind lockKind, String lockClass, String where, Host.Slots storage,
    FieldAccess sharesLine) implements FieldAccess {

  private static final Map<Class<?>, LockKind> LOCK_KINDS = Map.of(Spinlock.class,
      LockKind.SPINLOCK, Mutex.class, LockKind.MUTEX, RwSemaphore.class, LockKind.RWSEM,
      Seqcount.class, LockKind.SEQCOUNT, RwLock.class, LockKind.RWLOCK, Seqlock.class,
      LockKind.SEQLOCK, RangeLock.class, LockKind.RANGELOCK);

  /** The lock family of a host type that is a lock, or null. */
  static LockKind lockKindOf(Type t) {
    return LOCK_KINDS.get(t.javaClass());
  }

  /** Whether a value of {@code t} may be embedded (declared without {@code *}). */
  static boolean embeddable(Type t) {
    return lockKindOf(t) != null || t.javaClass() == Atomic.class
        || t.javaClass() == WaitQueue.class;
  }

  @Override
  public boolean writable() {
    return !embedded;
  }

  @Override
  public Object read(Object object, RunEnv env) {
    faultsim.machine.Speculation s = env.speculation();
    // Reading may create the embedded object: never while ahead of the clock.
    faultsim.machine.Speculation.catchUpAhead(s);
    faultsim.machine.Speculation.readField(s, object);
    Object[] slots = storage.of(object, slot + 1);
    Object v = slots[slot];
    if (v == null && (embedded || type.isScalar())) {
      v = initial(env, sharesLine == null ? new CacheLine()
          : lineOf(sharesLine.read(object, env)));
      slots[slot] = v;
    }
    return v;
  }

  /** The cache line an embedded object lives on. */
  static CacheLine lineOf(Object embedded) {
    if (embedded instanceof Lock l) {
      return l.line();
    }
    if (embedded instanceof Atomic a) {
      return a.line();
    }
    if (embedded instanceof WaitQueue w) {
      return w.line();
    }
    throw new IllegalStateException("no cache line in " + embedded);
  }


  @Override
  public void write(Object object, Object value) {
    storage.of(object, slot + 1)[slot] = value;
  }

  /** The value an object (or run) starts with, the embedded object created for {@code env}. */
  Object initial(RunEnv env, CacheLine line) {
    if (lockKind != null) {
      return env.locks().create(lockClass, lockKind, line);
    }
    if (type.javaClass() == Atomic.class) {
      return new Atomic(line);
    }
    if (type.javaClass() == WaitQueue.class) {
      return new WaitQueue(env.locks().machine(), lockClass, line);
    }
    if (type.kind() == Type.Kind.INT) {
      return 0L;
    }
    if (type.kind() == Type.Kind.BOOL) {
      return Boolean.FALSE;
    }
    return null;
  }

  /** Reads the value in {@code slots}, creating it on first use. */
  Object get(Object[] slots, RunEnv env) {
    Object v = slots[slot];
    if (v == null && (embedded || type.isScalar())) {
      v = initial(env, new CacheLine());
      slots[slot] = v;
    }
    return v;
  }

  /** {@code struct vm_area_struct::vm_sequence} or the global's name, as messages say. */
  String label() {
    return owner == null ? name : "struct " + owner.name() + "::" + name;
  }
}
