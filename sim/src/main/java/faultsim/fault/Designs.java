package faultsim.fault;

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
   * A binding per design, keyed by the design's own name (from its header; results are named
   * after it), in the workload's order; empty for a synthetic-only workload.
   */
  public static Map<String, KernelRun.Binding> bindings(Workload w) throws InputException {
    Map<String, KernelRun.Binding> out = new LinkedHashMap<>();
    for (CompiledDesign d : compile(w)) {
      out.put(d.name(), binding(d));
    }
    return out;
  }

  /** The compiled designs of {@code w}, in its order. Two designs may not share a name. */
  public static List<CompiledDesign> compile(Workload w) throws InputException {
    List<CompiledDesign> out = new ArrayList<>();
    if (!w.hasKernelJobs()) {
      return out;
    }
    Map<String, String> seen = new LinkedHashMap<>();
    for (String entry : w.designs()) {
      CompiledDesign d = load(entry, w);
      String earlier = seen.putIfAbsent(d.name(), entry);
      if (earlier != null) {
        throw new InputException(new faultsim.workload.Diagnostic(w.file(), 1, 1,
            "designs '" + earlier + "' and '" + entry + "' are both called '" + d.name()
                + "'; results are named after designs, so give one another name"));
      }
      out.add(d);
    }
    return out;
  }

  /**
   * Built-in designs, compiled once per process: a sweep's runs, the results manifest and
   * {@code explain} all ask for them, and a compiled design is only read once built.
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, CompiledDesign> BUILTINS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Loads one design and checks its entry points. A design file is read and compiled each time
   * (it may have changed); a built-in design is compiled once.
   */
  public static CompiledDesign load(String nameOrPath, Workload w) throws InputException {
    if (!DesignLibrary.isPath(nameOrPath)) {
      CompiledDesign cached = BUILTINS.get(nameOrPath);
      if (cached != null) {
        return cached;
      }
    }
    CompiledDesign d = DesignLibrary.load(nameOrPath, w == null ? null : w.baseDir(), HOST);
    requireEntryPoints(d);
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

  /** How runs call {@code d}, the oracle seeing every design step. */
  public static KernelRun.Binding binding(CompiledDesign d) {
    return binding(d, OracleTrace::new);
  }

  /**
   * How runs call {@code d}, with the trace {@code trace} makes from the run's oracle (a test's
   * log that also feeds the oracle, for instance).
   */
  public static KernelRun.Binding binding(CompiledDesign d,
      java.util.function.Function<Oracle, DesignTrace> trace) {
    return binding(d, trace, null);
  }

  /**
   * How runs call {@code d}, the oracle seeing every design step, each run's tasks delayed at
   * their interaction points by the perturbation {@code perturbation} makes for that run.
   */
  public static KernelRun.Binding binding(CompiledDesign d,
      java.util.function.Supplier<faultsim.lang.Perturbation> perturbation) {
    return binding(d, OracleTrace::new, perturbation);
  }

  private static KernelRun.Binding binding(CompiledDesign d,
      java.util.function.Function<Oracle, DesignTrace> trace,
      java.util.function.Supplier<faultsim.lang.Perturbation> perturbation) {
    Map<String, FunctionHandle> entries = new LinkedHashMap<>();
    for (String f : List.of("do_user_addr_fault", "do_madvise_dontneed", "do_truncate",
        "vfs_fallocate", "vm_mmap", "vm_munmap")) {
      entries.put(f, d.function(f));
    }
    return (ctx, streams) -> {
      RunEnv env = new RunEnv(streams.stream(KernelRun.DESIGN_STREAM));
      env.setContext(ctx);
      env.setLocks(ctx.kernel().locks());
      env.setDesign(d);
      ctx.kernel().declareVmEvents(d.declaredEnumerators("DEFINE_VM_EVENT"));
      env.setTrace(trace.apply(ctx.oracle()));
      if (perturbation != null) {
        env.setPerturbation(perturbation.get());
      }
      return new Runner(env, entries);
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
      Object a = t.attachment();
      InterpretedCall c;
      if (a instanceof InterpretedCall existing) {
        c = existing;
      } else {
        c = new InterpretedCall(new DesignCall(env));
        t.setAttachment(c);
      }
      FunctionHandle f = entries.get(function);
      if (f == null) {
        throw new IllegalArgumentException("no entry function " + function);
      }
      c.call.start(f, args);
      return c;
    }
  }

  private static final class InterpretedCall implements DesignRunner.Call,
      faultsim.machine.CodeSite {
    final DesignCall call;

    InterpretedCall(DesignCall call) {
      this.call = call;
    }

    @Override
    public String site() {
      return call.site();
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
    public boolean records(String name) {
      return !UNTRACED.contains(name);
    }
  }
}
