package faultsim.lang;

import faultsim.machine.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An operation built into the engine that designs call by its kernel name ({@code spin_lock},
 * {@code filemap_get_folio}, {@code cpu}): Java code that may change simulated state and make the
 * task spend time ({@code task.busy}, {@code task.cpu}) or wait (a lock, I/O). Defined through
 * {@link Host#primitive}.
 *
 * <p>A primitive that suspends the task returns its value at once; the design goes on with it when
 * the task is back on its core. A primitive whose value is only known then (a trylock whose
 * result register is set after the atomic's cost, {@code read_seqcount_begin} which may spin)
 * returns {@link #RESULT}: the value is the task's result register, read when the task next runs.
 */
public final class Primitive {
  /** "The value is the task's result register, read when the task next runs." */
  public static final Object RESULT = new Object() {
    @Override
    public String toString() {
      return "RESULT";
    }
  };

  /** The Java side of a primitive. */
  @FunctionalInterface
  public interface Impl {
    /**
     * Performs the primitive for {@code task}.
     *
     * @param args one per parameter: {@link Long} for integers, {@link Boolean}, {@link
     *     faultsim.engine.Dist}, or the host object (possibly null)
     * @return the value (ignored for void primitives), or {@link #RESULT}
     */
    Object call(RunEnv env, Task task, Object[] args);
  }

  /**
   * The Java side of a primitive that reads its arguments from the interpreter's slots, without
   * boxing: the interpreter's fast path. The view is valid during the call only.
   */
  @FunctionalInterface
  public interface SlotImpl {
    /**
     * Performs the primitive for {@code task}.
     *
     * @return the value (ignored for void primitives), or {@link #RESULT}
     */
    Object call(RunEnv env, Task task, Args args);
  }

  /**
   * A primitive returning an int or a bool ({@code 0}/{@code 1}) computed at once (not
   * {@link #RESULT}), from arguments in the interpreter's slots: neither arguments nor value box.
   */
  @FunctionalInterface
  public interface LongImpl {
    long call(RunEnv env, Task task, Args args);
  }

  /** What a primitive does to a lock passed as an argument, for {@code explain}'s lock order. */
  public enum LockAction {
    /** Takes the lock, waiting if needed: held afterwards, ordered after every lock held. */
    ACQUIRE,
    /** May take the lock without waiting: held afterwards, but orders nothing (lockdep). */
    TRY_ACQUIRE,
    /** Releases the lock. */
    RELEASE
  }

  /**
   * A lock argument of a primitive and what the primitive does to it: the argument itself, or
   * its field {@code field} when not null ({@code mmap_read_lock(mm)} takes
   * {@code mm->mmap_lock}). With {@code arg} {@link #CONTEXT}, a lock of the calling task's
   * context named {@code field} ({@code rcu_read_lock()} enters an RCU read-side section):
   * held and released like a lock, but it orders no other lock (lockdep acquires
   * {@code rcu_lock_map} without checking dependencies) and names no argument.
   */
  public record LockEffect(int arg, boolean write, LockAction action, String field) {
    /** Whether the lock is one of the task's context, not an argument or a field of one. */
    public boolean onContext() {
      return arg == CONTEXT;
    }
  }

  /** {@link LockEffect#arg} of a lock of the calling task's context. */
  public static final int CONTEXT = -1;

  private final int id;
  private final Host host;
  private final String name;
  private final List<Type> params;
  private final byte[] kinds;
  private final Type returns;
  private final Impl impl;
  private final SlotImpl slotImpl;
  private final LongImpl longImpl;
  private final List<LockEffect> lockEffects;
  private final boolean foldable;
  private final String source;
  private final String cost;
  private final String requires;
  private final Boolean sleeps;
  private final String wraps;
  private final boolean batchable;

  private Primitive(Builder b, int id) {
    this.batchable = b.batchable;
    this.id = id;
    this.host = b.host;
    this.wraps = b.wraps;
    this.source = b.source;
    this.cost = b.cost;
    this.requires = b.requires;
    this.sleeps = b.sleeps;
    this.name = b.name;
    this.params = List.copyOf(b.params);
    this.returns = b.returns;
    this.kinds = new byte[params.size()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = PrimSite.kindOf(params.get(i));
    }
    this.slotImpl = b.slotImpl;
    this.longImpl = b.longImpl;
    this.impl = b.impl != null ? b.impl : boxedAdapter(slotImpl, longImpl, returns, kinds);
    this.lockEffects = List.copyOf(b.lockEffects);
    this.foldable = b.foldable;
  }

  public String name() {
    return name;
  }

  /**
   * Whether a task that has run ahead of the clock may call it without first letting the
   * events before it fire: everything it reads or changes is {@code machine/Marked} state, or
   * the task's own ({@code machine/Speculation}).
   */
  public boolean batchable() {
    return batchable;
  }

  public List<Type> params() {
    return params;
  }

  public Type returns() {
    return returns;
  }

  /**
   * The Object[] side: the impl given, or for a primitive defined on slots an adapter that
   * unboxes the arguments (constant folding and the interpreter's reference path call this).
   */
  Impl impl() {
    return impl;
  }

  /** The slot impl, or null when the primitive was defined with an {@link Impl}. */
  SlotImpl slotImpl() {
    return slotImpl;
  }

  /** The long impl, or null when the primitive was defined otherwise. */
  LongImpl longImpl() {
    return longImpl;
  }

  /** The kinds of the parameters ({@link Args#INT}, {@link Args#BOOL}, {@link Args#REF}). */
  byte[] kinds() {
    return kinds;
  }

  /** A number for this primitive, unique within its host, counting from 0 in definition order. */
  int id() {
    return id;
  }

  /** The host that defines this primitive. */
  Host host() {
    return host;
  }

  private static Impl boxedAdapter(SlotImpl slots, LongImpl longs, Type returns, byte[] kinds) {
    if (slots != null) {
      return (env, t, a) -> slots.call(env, t, Args.of(kinds, a));
    }
    boolean bool = returns.kind() == Type.Kind.BOOL;
    return (env, t, a) -> {
      long v = longs.call(env, t, Args.of(kinds, a));
      return bool ? (Object) (v != 0) : (Object) v;
    };
  }

  /** What the primitive does to locks, as declared: in the order it does it. */
  public List<LockEffect> lockEffects() {
    return lockEffects;
  }

  /**
   * The lockdep class of the lock {@code e} (one of {@link #lockEffects}) when the declaration
   * names it: a context lock's name, the class of a lock field ({@code &mm->mmap_lock}), the
   * class of every lock of the argument's type ({@code PG_locked} for a folio); null when each
   * lock object has its own (a {@code spinlock_t}'s).
   */
  public String lockClass(LockEffect e) {
    if (e.onContext()) {
      return e.field();
    }
    Type t = params.get(e.arg());
    if (e.field() != null) {
      HostField f = host.fieldOf(t, e.field());
      String c = f == null ? null : host.lockClassOf(f);
      return c != null ? c : e.field();
    }
    return host.objectLockClass(t);
  }

  /**
   * Whether the primitive releases a lock and takes the same lock again
   * ({@code downgrade_write}: from write to read), so that the lock stays held across it.
   */
  public boolean retakes() {
    for (LockEffect a : lockEffects) {
      for (LockEffect b : lockEffects) {
        if (a.arg() == b.arg() && Objects.equals(a.field(), b.field())
            && a.action() == LockAction.RELEASE && b.action() != LockAction.RELEASE) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the primitive takes or releases a lock passed to it (or a field of one). */
  public boolean locksArguments() {
    for (LockEffect e : lockEffects) {
      if (!e.onContext()) {
        return true;
      }
    }
    return false;
  }

  /** The kernel source file the primitive models ({@code mm/filemap.c}), or null. */
  public String source() {
    return source;
  }

  /** What a call costs, in words naming the cost keys ({@code machine.costs.*}), or null. */
  public String cost() {
    return cost;
  }

  /**
   * The kernel call this primitive is a wrapper of ({@code down_read(&mm->mmap_lock)} for
   * {@code mmap_read_lock}), or null.
   */
  public String wraps() {
    return wraps;
  }

  /** The lock the caller must hold, or null for none. */
  public String requires() {
    return requires;
  }

  /**
   * Whether the primitive may sleep: as declared, else whether it takes a sleeping lock type
   * (mutex, rwsem) without a trylock.
   */
  public boolean maySleep() {
    if (sleeps != null) {
      return sleeps;
    }
    for (LockEffect e : lockEffects) {
      if (e.action() == LockAction.ACQUIRE && e.field() == null && !e.onContext()) {
        faultsim.locks.LockKind k = DeclaredVar.lockKindOf(params.get(e.arg()));
        if (k != null && k.sleeps()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether calls with constant arguments may be evaluated once, at load time. */
  boolean foldable() {
    return foldable;
  }

  /** {@code name(type, type)}, as in error messages. */
  public String signature() {
    StringBuilder sb = new StringBuilder(name).append('(');
    for (int i = 0; i < params.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(params.get(i).name());
    }
    return sb.append(')').toString();
  }

  @Override
  public String toString() {
    return returns.name() + " " + signature();
  }

  /** Builds a primitive; {@link #add} registers it with the host. */
  public static final class Builder {
    private final Host host;
    private final String name;
    private final List<Type> params = new ArrayList<>();
    private Type returns = Type.VOID;
    private Impl impl;
    private SlotImpl slotImpl;
    private LongImpl longImpl;
    private final List<LockEffect> lockEffects = new ArrayList<>();
    private boolean foldable;
    private String source;
    private String cost;
    private String requires;
    private Boolean sleeps;
    private String wraps;
    private boolean batchable;

    Builder(Host host, String name) {
      this.host = host;
      this.name = name;
    }

    /** The parameter types, in order (none by default). */
    public Builder params(Type... types) {
      params.clear();
      for (Type t : types) {
        params.add(Objects.requireNonNull(t, "parameter type"));
      }
      return this;
    }

    /** The return type ({@link Type#VOID} by default). */
    public Builder returns(Type type) {
      this.returns = Objects.requireNonNull(type, "return type");
      return this;
    }

    /** The Java side, taking its arguments boxed in an array of its own. */
    public Builder impl(Impl impl) {
      this.impl = impl;
      return this;
    }

    /** The Java side, reading its arguments from the interpreter's slots (no boxing). */
    public Builder implSlots(SlotImpl impl) {
      this.slotImpl = impl;
      return this;
    }

    /**
     * The Java side of a primitive returning an int or a bool (as 0/1) at once, reading its
     * arguments from the interpreter's slots: nothing boxes.
     */
    public Builder implLong(LongImpl impl) {
      this.longImpl = impl;
      return this;
    }

    /** Marks argument {@code arg} as a lock this primitive takes ({@code write}: exclusively). */
    public Builder acquires(int arg, boolean write) {
      return effect(arg, write, LockAction.ACQUIRE);
    }

    /** Marks argument {@code arg} as a lock this primitive may take without waiting. */
    public Builder tryAcquires(int arg, boolean write) {
      return effect(arg, write, LockAction.TRY_ACQUIRE);
    }

    /** Marks argument {@code arg} as a lock this primitive releases. */
    public Builder releases(int arg, boolean write) {
      return effect(arg, write, LockAction.RELEASE);
    }

    /** The kernel source file modelled, for the reference ({@code mm/filemap.c}). */
    public Builder source(String file) {
      this.source = file;
      return this;
    }

    /** What a call costs, naming its cost keys, for the reference. */
    public Builder cost(String what) {
      this.cost = what;
      return this;
    }

    /**
     * Declares that the primitive reads and changes only marked shared state (each access
     * checked by {@code machine/Speculation}) and the calling task's own state, so a task may
     * call it while ahead of the clock.
     */
    public Builder batchable() {
      this.batchable = true;
      return this;
    }

    /** The kernel call this is a wrapper of, for the reference and "did you mean". */
    public Builder wraps(String call) {
      this.wraps = call;
      return this;
    }

    /** The lock the caller must hold (checked by the impl), for the reference. */
    public Builder requires(String lock) {
      this.requires = lock;
      return this;
    }

    /** Declares whether the primitive may sleep (by default: whether it takes a sleeping lock). */
    public Builder sleeps(boolean maySleep) {
      this.sleeps = maySleep;
      return this;
    }

    /** The value depends only on the arguments: constant calls are evaluated at load time. */
    Builder foldable() {
      this.foldable = true;
      return this;
    }

    /** Marks field {@code field} of argument {@code arg} as a lock this primitive takes. */
    public Builder acquiresField(int arg, String field, boolean write) {
      lockEffects.add(new LockEffect(arg, write, LockAction.ACQUIRE, field));
      return this;
    }

    /** Marks field {@code field} of argument {@code arg} as a lock this may take at once. */
    public Builder tryAcquiresField(int arg, String field, boolean write) {
      lockEffects.add(new LockEffect(arg, write, LockAction.TRY_ACQUIRE, field));
      return this;
    }

    /** Marks field {@code field} of argument {@code arg} as a lock this primitive releases. */
    public Builder releasesField(int arg, String field, boolean write) {
      lockEffects.add(new LockEffect(arg, write, LockAction.RELEASE, field));
      return this;
    }

    /**
     * Marks the primitive as taking lock {@code className} of the calling task's context
     * ({@code rcu_read_lock}), shared unless {@code write}.
     */
    public Builder acquiresContext(String className, boolean write) {
      lockEffects.add(new LockEffect(CONTEXT, write, LockAction.ACQUIRE, className));
      return this;
    }

    /** Marks the primitive as releasing lock {@code className} of the task's context. */
    public Builder releasesContext(String className, boolean write) {
      lockEffects.add(new LockEffect(CONTEXT, write, LockAction.RELEASE, className));
      return this;
    }

    private Builder effect(int arg, boolean write, LockAction action) {
      lockEffects.add(new LockEffect(arg, write, action, null));
      return this;
    }

    /**
     * Registers the primitive. A name may be defined several times with different parameter
     * lists (overloads, as {@code cpu(int)} and {@code cpu(dist)}).
     *
     * @throws IllegalArgumentException if not exactly one impl was given, a long impl returns
     *     neither int nor bool, a lock argument is out of range or the same name and parameter
     *     list is already defined
     */
    public Primitive add() {
      int impls = (impl == null ? 0 : 1) + (slotImpl == null ? 0 : 1) + (longImpl == null ? 0 : 1);
      if (impls != 1) {
        throw new IllegalArgumentException("primitive " + name
            + (impls == 0 ? " has no impl" : " has more than one impl"));
      }
      if (longImpl != null && returns.kind() != Type.Kind.INT && returns.kind() != Type.Kind.BOOL) {
        throw new IllegalArgumentException("primitive " + name + " returns " + returns.name()
            + ": a long impl is for int and bool values");
      }
      for (LockEffect e : lockEffects) {
        if (e.onContext() ? e.field() == null : e.arg() < 0 || e.arg() >= params.size()) {
          throw new IllegalArgumentException(
              "primitive " + name + ": lock argument " + e.arg() + " out of range");
        }
      }
      Primitive p = new Primitive(this, host.nextPrimitiveId());
      host.register(p);
      return p;
    }
  }
}
