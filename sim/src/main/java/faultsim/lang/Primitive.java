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
   * {@code mm->mmap_lock}).
   */
  public record LockEffect(int arg, boolean write, LockAction action, String field) {}

  private final String name;
  private final List<Type> params;
  private final Type returns;
  private final Impl impl;
  private final List<LockEffect> lockEffects;
  private final boolean foldable;
  private final String source;
  private final String cost;
  private final String requires;
  private final Boolean sleeps;
  private final String wraps;

  private Primitive(Builder b) {
    this.wraps = b.wraps;
    this.source = b.source;
    this.cost = b.cost;
    this.requires = b.requires;
    this.sleeps = b.sleeps;
    this.name = b.name;
    this.params = List.copyOf(b.params);
    this.returns = b.returns;
    this.impl = b.impl;
    this.lockEffects = List.copyOf(b.lockEffects);
    this.foldable = b.foldable;
  }

  public String name() {
    return name;
  }

  public List<Type> params() {
    return params;
  }

  public Type returns() {
    return returns;
  }

  Impl impl() {
    return impl;
  }

  public List<LockEffect> lockEffects() {
    return lockEffects;
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
      if (e.action() == LockAction.ACQUIRE && e.field() == null) {
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
    private final List<LockEffect> lockEffects = new ArrayList<>();
    private boolean foldable;
    private String source;
    private String cost;
    private String requires;
    private Boolean sleeps;
    private String wraps;

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

    public Builder impl(Impl impl) {
      this.impl = impl;
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

    private Builder effect(int arg, boolean write, LockAction action) {
      lockEffects.add(new LockEffect(arg, write, action, null));
      return this;
    }

    /**
     * Registers the primitive. A name may be defined several times with different parameter
     * lists (overloads, as {@code cpu(int)} and {@code cpu(dist)}).
     *
     * @throws IllegalArgumentException if no impl was given, a lock argument is out of range or
     *     the same name and parameter list is already defined
     */
    public Primitive add() {
      if (impl == null) {
        throw new IllegalArgumentException("primitive " + name + " has no impl");
      }
      for (LockEffect e : lockEffects) {
        if (e.arg() < 0 || e.arg() >= params.size()) {
          throw new IllegalArgumentException(
              "primitive " + name + ": lock argument " + e.arg() + " out of range");
        }
      }
      Primitive p = new Primitive(this);
      host.register(p);
      return p;
    }
  }
}
