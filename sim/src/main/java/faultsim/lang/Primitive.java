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

  /** A lock argument of a primitive and what the primitive does to it. */
  public record LockEffect(int arg, boolean write, LockAction action) {}

  private final String name;
  private final List<Type> params;
  private final Type returns;
  private final Impl impl;
  private final List<LockEffect> lockEffects;
  private final boolean foldable;

  private Primitive(Builder b) {
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

    /** The value depends only on the arguments: constant calls are evaluated at load time. */
    Builder foldable() {
      this.foldable = true;
      return this;
    }

    private Builder effect(int arg, boolean write, LockAction action) {
      lockEffects.add(new LockEffect(arg, write, action));
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
