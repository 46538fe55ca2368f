package faultsim.fault;

import faultsim.engine.RandomStreams;
import faultsim.lang.CompiledDesign;
import faultsim.lang.DesignCall;
import faultsim.lang.DesignLibrary;
import faultsim.lang.DesignTrace;
import faultsim.lang.FunctionHandle;
import faultsim.lang.Host;
import faultsim.lang.RunEnv;
import faultsim.lang.Type;
import faultsim.machine.Task;
import faultsim.oracle.Oracle;
import faultsim.workload.DesignEntry;
import faultsim.workload.InputException;
import faultsim.workload.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a workload's designs once, before its runs, against the kernel host, checks that each
 * has the entry functions the drivers call, and binds them to runs: one interpreter per task,
 * the run's kernel as context, the oracle as trace.
 */
public final class Designs {
  /** The shared kernel host: filled once, then only read. */
  private static final Host HOST = KernelHost.create();

  private Designs() {}

  /** The kernel host designs are checked against. */
  public static Host host() {
    return HOST;
  }

  /**
   * A design of a workload as its runs see it.
   *
   * @param label what results call it: the entry's {@code as:}, else the design's own name
   * @param design the compiled design
   * @param workload the workload with the entry's settings applied
   */
  public record Labelled(String label, CompiledDesign design, Workload workload) {}

  /**
   * A binding per design, keyed by its label (the entry's {@code as:}, else the design's own
   * name from its header; results are named after it), in the workload's order; empty for a
   * synthetic-only workload.
   */
  public static Map<String, KernelRun.Binding> bindings(Workload w) throws InputException {
    Map<String, KernelRun.Binding> out = new LinkedHashMap<>();
    for (Labelled d : labelled(w)) {
      out.put(d.label(), binding(d.design()));
    }
    return out;
  }

  /** The compiled designs of {@code w}, in its order. */
  public static List<CompiledDesign> compile(Workload w) throws InputException {
    return labelled(w).stream().map(Labelled::design).toList();
  }

  /**
   * The designs of {@code w} with their labels and workloads, in its order; empty for a
   * synthetic-only workload. Two entries may not share a label.
   */
  public static List<Labelled> labelled(Workload w) throws InputException {
    List<Labelled> out = new ArrayList<>();
    if (!w.hasKernelJobs()) {
      return out;
    }
    Map<String, String> seen = new LinkedHashMap<>();
    for (DesignEntry entry : w.designs()) {
      CompiledDesign d = load(entry.design(), w);
      String label = entry.as() != null ? entry.as() : d.name();
      String earlier = seen.putIfAbsent(label, entry.design());
      if (earlier != null) {
        throw entry.error("designs '" + earlier + "' and '" + entry.design() + "' are both"
            + " called '" + label + "'; results are named after designs, so give one another"
            + " name (as: LABEL)");
      }
      out.add(new Labelled(label, d, entry.workload(w)));
    }
    return out;
  }

  /**
   * Every entry of {@code w} as its runs see it, in its order: {@link #labelled} for a workload
   * with kernel jobs; for a synthetic-only one, each entry by its label, with no design.
   */
  public static List<Labelled> entries(Workload w) throws InputException {
    if (w.hasKernelJobs()) {
      return labelled(w);
    }
    List<Labelled> out = new ArrayList<>();
    for (DesignEntry e : w.designs()) {
      out.add(new Labelled(e.as() != null ? e.as() : e.design(), null, e.workload(w)));
    }
    return out;
  }

  /** The label of each design of {@code w}, in its order (see {@link #entries}). */
  public static List<String> labels(Workload w) throws InputException {
    return entries(w).stream().map(Labelled::label).toList();
  }

  /**
   * The entry of {@code w} labelled {@code label} (its design null for a synthetic-only
   * workload), or null if there is none. An entry named by {@code as:} or by a built-in's name is
   * found without compiling the others.
   */
  public static Labelled find(Workload w, String label) throws InputException {
    if (w.hasKernelJobs()) {
      for (DesignEntry entry : w.designs()) {
        if (entry.as() != null ? entry.as().equals(label)
            : !faultsim.lang.DesignLibrary.isPath(entry.design())
                && entry.design().equals(label)) {
          return new Labelled(label, load(entry.design(), w), entry.workload(w));
        }
      }
    }
    for (Labelled d : entries(w)) {
      if (d.label().equals(label)) {
        return d;
      }
    }
    return null;
  }

  /**
   * Built-in designs, compiled once per process: a sweep's runs, the results manifest and
   * {@code explain} all ask for them, and a compiled design is only read once built.
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, CompiledDesign> BUILTINS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Loads one design and checks its entry points. A design file is read each time (it may have
   * changed) and compiled again only if the text of a file in its chain has
   * ({@link DesignLibrary#load}); a built-in design is compiled once.
   */
  public static CompiledDesign load(String nameOrPath, Workload w) throws InputException {
    if (!DesignLibrary.isPath(nameOrPath)) {
      CompiledDesign cached = BUILTINS.get(nameOrPath);
      if (cached != null) {
        if (w != null && !w.kernel().mappings().isEmpty()) {
          requireVmaEntryPoints(cached, w);
        }
        return cached;
      }
    }
    CompiledDesign d = DesignLibrary.load(nameOrPath, w == null ? null : w.baseDir(), HOST);
    requireEntryPoints(d);
    if (w != null && !w.kernel().mappings().isEmpty()) {
      requireVmaEntryPoints(d, w);
    }
    if (!DesignLibrary.isPath(nameOrPath)) {
      BUILTINS.putIfAbsent(nameOrPath, d);
    }
    return d;
  }

  /** The functions the drivers call, with their signatures. */
  static void requireEntryPoints(CompiledDesign d) throws InputException {
    Type mm = HOST.type("mm_struct");
    Type vma = HOST.type("vm_area_struct");
    Type mapping = HOST.type("address_space");
    d.requireFunction("do_user_addr_fault", Type.INT, mm, Type.INT, Type.INT);
    d.requireFunction("do_madvise_dontneed", Type.VOID, mm, vma);
    d.requireFunction("do_truncate", Type.VOID, mapping, Type.INT);
    d.requireFunction("vfs_fallocate", Type.INT, mapping, Type.INT, Type.INT, Type.INT);
    d.requireFunction("vm_mmap", vma, mm, mapping, Type.INT, Type.INT);
    d.requireFunction("vm_munmap", Type.VOID, mm, vma);
  }

  /** Entry functions of operations on a named mapping's VMA, needed only by workloads with one. */
  static final List<String> VMA_ENTRIES = List.of("do_madvise", "do_mprotect", "vm_mmap_fixed",
      "do_mremap");

  /**
   * The functions the drivers call on named mappings (mappings:), with their signatures;
   * {@code do_mremap} only if a job of {@code w} mremaps one.
   */
  static void requireVmaEntryPoints(CompiledDesign d, Workload w) throws InputException {
    Type mm = HOST.type("mm_struct");
    Type vma = HOST.type("vm_area_struct");
    Type mapping = HOST.type("address_space");
    d.requireFunction("do_madvise", Type.INT, mm, Type.INT, Type.INT);
    d.requireFunction("do_mprotect", Type.INT, mm, Type.INT, Type.INT, Type.INT);
    d.requireFunction("vm_mmap_fixed", vma, mm, Type.INT, mapping, Type.INT, Type.INT,
        Type.INT);
    if (w.kernel().opJobs().stream().anyMatch(j -> j.op() == KernelSpec.OpKind.MREMAP)) {
      d.requireFunction("do_mremap", Type.INT, mm, Type.INT, Type.INT, Type.INT);
    }
  }

  /** How runs call {@code d}, the oracle seeing every design step. */
  public static KernelRun.Binding binding(CompiledDesign d) {
    return binding(d, OracleTrace::new, null, true);
  }

  /**
   * How runs call {@code d}, with the trace {@code trace} makes from the run's oracle (a test's
   * log that also feeds the oracle, for instance).
   */
  public static KernelRun.Binding binding(CompiledDesign d,
      java.util.function.Function<Oracle, DesignTrace> trace) {
    return binding(d, trace, null, false);
  }

  /**
   * How runs call {@code d}, the oracle seeing every design step, each run's tasks delayed at
   * their interaction points by the perturbation {@code perturbation} makes for that run.
   */
  public static KernelRun.Binding binding(CompiledDesign d,
      java.util.function.Supplier<faultsim.lang.Perturbation> perturbation) {
    return binding(d, OracleTrace::new, perturbation, false);
  }

  private static KernelRun.Binding binding(CompiledDesign d,
      java.util.function.Function<Oracle, DesignTrace> trace,
      java.util.function.Supplier<faultsim.lang.Perturbation> perturbation, boolean repeatable) {
    Map<String, FunctionHandle> entries = new LinkedHashMap<>();
    for (String f : List.of("do_user_addr_fault", "do_madvise_dontneed", "do_truncate",
        "vfs_fallocate", "vm_mmap", "vm_munmap")) {
      entries.put(f, d.function(f));
    }
    for (String f : VMA_ENTRIES) {
      if (d.functionNames().contains(f)) {
        entries.put(f, d.function(f));
      }
    }
    KernelRun.Binding b = (ctx, streams) -> {
      RunEnv env = new RunEnv(streams.stream(KernelRun.DESIGN_STREAM));
      env.setContext(ctx);
      env.setLocks(ctx.kernel().locks());
      env.setDesign(d);
      env.setSpeculation(ctx.kernel().speculation());
      ctx.kernel().declareVmEvents(d.declaredEnumerators("DEFINE_VM_EVENT"));
      // An oracle that records no steps is not fed them: the design's code then does no work
      // for the trace at all. Another trace (a test's log) is fed as always.
      DesignTrace dt = trace.apply(ctx.oracle());
      env.setTrace(dt instanceof OracleTrace && !ctx.oracle().traced() ? null : dt);
      if (perturbation != null) {
        env.setPerturbation(perturbation.get());
      }
      return new Runner(env, entries);
    };
    if (!repeatable) {
      return b;
    }
    return new KernelRun.Binding() {
      @Override
      public DesignRunner bind(KernelContext ctx, RandomStreams streams) {
        return b.bind(ctx, streams);
      }

      @Override
      public boolean repeatable() {
        return true;
      }
    };
  }

  /** One interpreter per task, reused across its calls. */
  private static final class Runner implements DesignRunner {
    private final RunEnv env;
    private final Map<String, FunctionHandle> entries;

    Runner(RunEnv env, Map<String, FunctionHandle> entries) {
      this.env = env;
      this.entries = entries;
    }

    @Override
    public Call start(Task t, String function, Object... args) {
      InterpretedCall c = callOf(t);
      c.call.start(entry(function), args);
      return c;
    }

    @Override
    public Call start(Task t, String function, Object a0, long a1, long a2) {
      InterpretedCall c = callOf(t);
      c.call.start(entry(function), a0, a1, a2);
      return c;
    }

    /** The task's call, made on its first use. */
    private InterpretedCall callOf(Task t) {
      if (t.attachment() instanceof InterpretedCall existing) {
        return existing;
      }
      InterpretedCall c = new InterpretedCall(new DesignCall(env));
      t.setAttachment(c);
      return c;
    }

    private FunctionHandle entry(String function) {
      FunctionHandle f = entries.get(function);
      if (f == null) {
        throw new IllegalArgumentException("no entry function " + function);
      }
      return f;
    }
  }

  private static final class InterpretedCall implements DesignRunner.Call,
      faultsim.machine.CodeSite, faultsim.machine.TimeProfile.Stack {
    final DesignCall call;

    InterpretedCall(DesignCall call) {
      this.call = call;
    }

    @Override
    public String site() {
      return call.site();
    }

    @Override
    public faultsim.machine.TimeProfile.Node descend(faultsim.machine.TimeProfile.Node root) {
      return call.descend(root);
    }

    @Override
    public void step(Task t) {
      call.step(t);
    }

    @Override
    public boolean finished() {
      return call.finished();
    }

    @Override
    public Object returnValue() {
      return call.returnValue();
    }
  }

  /** Primitives too small to show in an interleaving: arithmetic helpers and counters. */
  private static final java.util.Set<String> UNTRACED = java.util.Set.of("min", "max",
      "pmd_addr_end", "vma_address", "linear_page_index", "count_vm_event", "count_retry",
      "fault_entry", "pte_table_present", "i_size_read", "vmf_init", "range");

  /** Feeds the oracle's per-task traces. */
  private static final class OracleTrace implements DesignTrace {
    private final Oracle oracle;

    OracleTrace(Oracle oracle) {
      this.oracle = oracle;
    }

    @Override
    public void enter(Task t, String function, String location) {
      oracle.enter(t, function);
    }

    @Override
    public void exit(Task t, String function, Object ret) {
      oracle.exit(t);
    }

    @Override
    public void primitive(Task t, String name, Object[] args, String location) {
      oracle.primitive(t, name, args);
    }

    @Override
    public void primitive(Task t, faultsim.lang.Primitive p, Object[] args, String location) {
      oracle.primitive(t, p, args);
    }

    @Override
    public void primitive(Task t, faultsim.lang.Primitive p, faultsim.lang.Args args,
        String location) {
      oracle.primitive(t, p, args);
    }

    @Override
    public boolean records(String name) {
      return !UNTRACED.contains(name);
    }

    @Override
    public boolean recordsReturnValues() {
      return false;
    }
  }
}
