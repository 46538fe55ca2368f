package faultsim.lang;

import faultsim.locks.Locks;
import java.util.Arrays;
import umontreal.ssj.rng.RandomStream;

/**
 * What design programs see of one run (one simulated machine): the random stream that
 * {@code cpu(dist)} samples, the trace hook, the binding's context object (for example the
 * kernel model) and the values of host globals, computed once per run on first use. Shared by
 * every {@link DesignCall} of the run; like the run itself it belongs to one thread.
 */
public final class RunEnv {
  private static final Object UNSET = new Object();
  /**
   * The system property that, set to {@code true}, makes runs interpret every design function
   * instead of running the bytecode compiled from it ({@code faultsim --interpret}).
   */
  public static final String INTERPRET_PROPERTY = "faultsim.interpret";

  private final RandomStream stream;
  private DesignTrace trace;
  /** Per primitive of {@link #tracedHost} (by id): 0 not asked yet, 1 traced, 2 not traced. */
  private byte[] traced = new byte[0];
  private Host tracedHost;
  private Perturbation perturbation;
  private Object context;
  private Object[] globals = new Object[0];
  private Object[] designGlobals = new Object[0];
  private Locks locks;
  private CompiledDesign design;
  private boolean referencePath;
  private boolean interprets = Boolean.getBoolean(INTERPRET_PROPERTY);

  /** @param stream the stream {@code cpu(dist)} and the dist constructors sample from */
  public RunEnv(RandomStream stream) {
    this.stream = stream;
  }

  /** The run's speculation, or null: see {@code machine/Speculation}. */
  private faultsim.machine.Speculation speculation;

  public void setSpeculation(faultsim.machine.Speculation s) {
    this.speculation = s;
  }

  public faultsim.machine.Speculation speculation() {
    return speculation;
  }

  public RandomStream stream() {
    return stream;
  }

  /** The trace hook, or null. */
  public DesignTrace trace() {
    return trace;
  }

  /** Sets the trace hook (null: none, at no cost). */
  public void setTrace(DesignTrace trace) {
    this.trace = trace;
    this.traced = new byte[0];
    this.tracedHost = null;
  }

  /**
   * Whether the trace records calls of {@code p}: asked of the trace the first time only, the
   * answer kept per primitive (one array read per call afterwards).
   */
  boolean traces(Primitive p) {
    int id = p.id();
    byte[] d = traced;
    if (p.host() == tracedHost && id < d.length && d[id] != 0) {
      return d[id] == 1;
    }
    return decideTrace(p);
  }

  private boolean decideTrace(Primitive p) {
    if (p.host() != tracedHost) {
      tracedHost = p.host();
      traced = new byte[0];
    }
    int id = p.id();
    if (id >= traced.length) {
      traced = Arrays.copyOf(traced, Math.max(id + 1, traced.length * 2));
    }
    boolean r = trace.records(p.name());
    traced[id] = (byte) (r ? 1 : 2);
    return r;
  }

  /** The perturbation consulted before every primitive call, or null. */
  public Perturbation perturbation() {
    return perturbation;
  }

  /**
   * Sets the perturbation (null: none, at the cost of one null check per primitive call). Set it
   * before the run's tasks make their first design call.
   */
  public void setPerturbation(Perturbation perturbation) {
    this.perturbation = perturbation;
  }

  /** Sets the binding's context object, e.g. the kernel model of this run. */
  public void setContext(Object context) {
    this.context = context;
  }

  /**
   * The context object as a {@code type}.
   *
   * @throws IllegalStateException if no context of that type was set
   */
  public <T> T context(Class<T> type) {
    if (!type.isInstance(context)) {
      throw new IllegalStateException("the run's context is "
          + (context == null ? "not set" : "a " + context.getClass().getSimpleName())
          + ", not a " + type.getSimpleName());
    }
    return type.cast(context);
  }

  /** Sets the run's lock classes, where the locks a design declares are created. */
  public void setLocks(Locks locks) {
    this.locks = locks;
  }

  /**
   * The run's lock classes.
   *
   * @throws IllegalStateException if none were set
   */
  public Locks locks() {
    if (locks == null) {
      throw new IllegalStateException("the run has no lock classes for the locks the design"
          + " declares");
    }
    return locks;
  }

  /**
   * Makes the interpreters created from now on call every primitive the reference way: arguments
   * boxed into a new array (the trace given a copy), {@link DesignTrace#records} asked at every
   * call, return values always boxed for the trace. Slower; for checking the fast path against.
   */
  void setReferencePath(boolean reference) {
    this.referencePath = reference;
  }

  boolean referencePath() {
    return referencePath;
  }

  /**
   * Makes the interpreters created from now on interpret every design function ({@code true}),
   * or run the functions compiled to bytecode as such ({@code false}, the default unless the
   * {@value #INTERPRET_PROPERTY} system property is {@code true}). Both give the same results;
   * the interpreter is the reference.
   */
  public void setInterprets(boolean interprets) {
    this.interprets = interprets;
  }

  /** Whether design functions are interpreted even when compiled to bytecode. */
  public boolean interprets() {
    return interprets;
  }

  /** Sets the design the run executes. */
  public void setDesign(CompiledDesign design) {
    this.design = design;
  }

  /** The design the run executes, or null if not set. */
  public CompiledDesign design() {
    return design;
  }

  /** The storage of the globals the design declares, at least {@code size} long. */
  Object[] designGlobals(int size) {
    if (designGlobals.length < size) {
      designGlobals = Arrays.copyOf(designGlobals, size);
    }
    return designGlobals;
  }

  /** The value of a global in this run, computed on first use. */
  Object global(HostGlobal g) {
    int i = g.index();
    if (i >= globals.length) {
      int old = globals.length;
      globals = Arrays.copyOf(globals, Math.max(i + 1, old * 2));
      Arrays.fill(globals, old, globals.length, UNSET);
    }
    Object v = globals[i];
    if (v == UNSET) {
      v = g.value().apply(this);
      globals[i] = v;
    }
    return v;
  }
}
