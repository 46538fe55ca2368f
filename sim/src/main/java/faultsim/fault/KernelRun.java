package faultsim.fault;

import faultsim.engine.Engine;
import faultsim.engine.RandomStreams;
import faultsim.kernel.AddressSpace;
import faultsim.kernel.Kernel;
import faultsim.kernel.MmStruct;
import faultsim.kernel.Vma;
import faultsim.locks.Lock;
import faultsim.locks.Locks;
import faultsim.machine.Device;
import faultsim.machine.Machine;
import faultsim.oracle.Oracle;
import faultsim.synthetic.Measurement;
import faultsim.synthetic.OpRecorder;
import faultsim.synthetic.SyntheticRun;
import faultsim.synthetic.SyntheticSpec;
import faultsim.workload.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One replication of one design of a workload with kernel jobs: the machine, the kernel state
 * (files, processes, device), the oracle, the fault and operation tasks driving the design, and
 * any synthetic jobs beside them. Fault tasks map their regions before the run starts; the ramp
 * is simulated, every statistic reset, then the runtime measured, or, when fault jobs have fixed
 * work, the run is measured until that work is done (with {@code runtime} as a limit).
 */
public final class KernelRun {
  /** Binds a design to one run: how its entry functions are called. */
  @FunctionalInterface
  public interface Binding {
    DesignRunner bind(KernelContext ctx, RandomStreams streams);

    /**
     * Whether a replication may be made twice over with the same result: the binding keeps
     * nothing of its own from one run to the next (no perturbation that records what it applied,
     * no log of the design's steps). Only such replications run first with the oracle
     * recording no steps ({@link Oracle.TraceNeeded}) or run ahead of the clock
     * ({@link faultsim.machine.Speculation.Conflict}), since either may make them again.
     */
    default boolean repeatable() {
      return false;
    }
  }

  /** Name of the random stream a design's own {@code cpu(dist)} samples. */
  public static final String DESIGN_STREAM = "design";

  private final Workload workload;
  private final Engine engine = new Engine();
  private final Machine machine;
  private final Locks locks;
  private final Kernel kernel;
  private final Oracle oracle;
  private final KernelContext ctx;
  private final Map<String, OpRecorder> recorders = new LinkedHashMap<>();
  private final Map<String, String> opNames = new LinkedHashMap<>();
  private final FaultJobProgress progress;
  private long measuredNs;

  /**
   * System property: how far, in simulated ns, a task may run ahead of the clock through costed
   * steps in one engine event ({@link faultsim.machine.Speculation}); unset or 0: never. Setting
   * it also orders same-time events by timer (see {@link #INTRINSIC_ORDER_PROPERTY}), and
   * results are those of that order without speculation, exactly.
   */
  public static final String SPECULATE_PROPERTY = "faultsim.speculateNs";

  /**
   * System property: true to order same-time events by their timers' creation order rather
   * than by the order they were scheduled ({@link Engine#setIntrinsicOrder}).
   */
  public static final String INTRINSIC_ORDER_PROPERTY = "faultsim.intrinsicOrder";

  /** The window of {@link #SPECULATE_PROPERTY}, 0 when unset. */
  public static long speculateNsSetting() {
    String v = System.getProperty(SPECULATE_PROPERTY);
    if (v == null || v.isBlank()) {
      return 0;
    }
    try {
      long ns = Long.parseLong(v.trim());
      if (ns >= 0) {
        return ns;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("-D" + SPECULATE_PROPERTY + ": expected a whole number of"
        + " nanoseconds >= 0, got '" + v + "'");
  }

  /** Whether runs use the intrinsic order of same-time events. */
  public static boolean intrinsicOrderSetting() {
    String v = System.getProperty(INTRINSIC_ORDER_PROPERTY);
    if (v != null && !v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException("-D" + INTRINSIC_ORDER_PROPERTY
          + ": expected true or false, got '" + v + "'");
    }
    return speculateNsSetting() > 0 || "true".equals(v);
  }

  /** A message naming what is wrong with the engine's settings, or null if they are valid. */
  public static String checkEngineSettings() {
    try {
      intrinsicOrderSetting();
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  public KernelRun(Workload w, Binding binding, RandomStreams streams) {
    this(w, binding, streams, intrinsicOrderSetting(), speculateNsSetting());
  }

  /**
   * A run with same-time events in {@code intrinsicOrder}, letting tasks run up to
   * {@code speculateNs} ahead of the clock (0: never; needs the intrinsic order).
   */
  public KernelRun(Workload w, Binding binding, RandomStreams streams, boolean intrinsicOrder,
      long speculateNs) {
    this(w, binding, streams, intrinsicOrder, speculateNs, true);
  }

  /**
   * As {@link #KernelRun(Workload, Binding, RandomStreams, boolean, long)}, the oracle recording
   * every task's steps only if {@code traced}: otherwise {@link #run} throws
   * {@link Oracle.TraceNeeded} where it would show them, and the run is to be made again, traced,
   * from the same random numbers.
   */
  public KernelRun(Workload w, Binding binding, RandomStreams streams, boolean intrinsicOrder,
      long speculateNs, boolean traced) {
    this.workload = w;
    SyntheticSpec spec = w.spec();
    KernelSpec ks = w.kernel();
    engine.setIntrinsicOrder(intrinsicOrder || speculateNs > 0);
    this.machine = new Machine(engine, spec.machine());
    machine.speculate(speculateNs);
    this.locks = new Locks(machine);
    this.kernel = new Kernel(machine, locks);
    this.oracle = new Oracle(machine, ks.maxRetries(), ks.noProgressNs(), traced);
    this.ctx = new KernelContext(kernel, oracle, ks);
    Map<String, Device> devices = SyntheticRun.devices(spec, machine, streams);
    Map<String, Lock> lockMap = new LinkedHashMap<>();
    for (SyntheticSpec.LockSpec l : spec.locks()) {
      lockMap.put(l.name(), locks.create(l.className(), l.kind()));
    }
    for (KernelSpec.FileSpec f : ks.files()) {
      AddressSpace a = kernel.createFile(f.name(), f.fs(), f.sizeBytes(), f.cached());
      a.setDevice(devices.get(f.device()));
    }
    DesignRunner design = binding.bind(ctx, streams);
    this.progress = new FaultJobProgress(engine);
    Map<String, MmStruct> processes = new LinkedHashMap<>();
    Map<String, Vma> named = SharedMappings.map(ks, kernel, processes);
    for (KernelSpec.FaultJob j : ks.faultJobs()) {
      OpRecorder rec = recorder(j.name(), "fault", false);
      MmStruct mm = processes.computeIfAbsent(j.process(), kernel::createMm);
      FaultJobProgress.Job pj = progress.add(j.name(), j.numjobs(), j.work().fixed());
      if (j.vma() != null) {
        SharedMappings.spawnFaults(j, named.get(j.vma()), design, ctx, streams, rec, machine,
            progress, pj);
        continue;
      }
      for (int i = 0; i < j.numjobs(); i++) {
        AddressSpace file = j.file() == null ? null : kernel.file(j.file());
        Vma vma = mm.mmap(file, j.work().taskOffset(j.offset(), i) / Kernel.PAGE_SIZE, j.size(),
            j.mapping() == KernelSpec.MappingKind.SHARED);
        var stream = streams.stream(KernelSpec.taskStream(j.name(), i));
        long delay = j.pacing().startDelay().sample(stream);
        FaultProgram p = new FaultProgram(j, vma, design, ctx, stream, rec, progress, pj);
        machine.spawn(taskName(j.name(), j.numjobs(), i), p, delay);
      }
    }
    for (KernelSpec.OpJob j : ks.opJobs()) {
      OpRecorder rec = recorder(j.name(), j.op().key(), true);
      MmStruct mm = processes.computeIfAbsent(j.process(), kernel::createMm);
      if (j.vma() != null) {
        SharedMappings.spawnOps(j, named.get(j.vma()), ks, design, ctx, streams, rec, machine);
        continue;
      }
      for (int i = 0; i < j.numjobs(); i++) {
        var stream = streams.stream(KernelSpec.taskStream(j.name(), i));
        long delay = j.pacing().startDelay().sample(stream);
        OpProgram p = new OpProgram(j, kernel.file(j.file()), mm, design, ctx, stream, rec);
        machine.spawn(taskName(j.name(), j.numjobs(), i), p, delay);
      }
    }
    Map<String, OpRecorder> synthetic = new LinkedHashMap<>();
    SyntheticRun.spawnJobs(spec, machine, lockMap, devices, streams, synthetic);
    for (Map.Entry<String, OpRecorder> e : synthetic.entrySet()) {
      recorders.put(e.getKey(), e.getValue());
      var doc = w.doc().jobs().get(e.getKey());
      opNames.put(e.getKey(), doc != null && doc.op() != null ? doc.op() : "op");
    }
  }

  private OpRecorder recorder(String job, String op, boolean keepSpans) {
    OpRecorder r = new OpRecorder(job, keepSpans);
    recorders.put(job, r);
    opNames.put(job, op);
    return r;
  }

  static String taskName(String job, int numjobs, int i) {
    return numjobs == 1 ? job : job + "/" + i;
  }

  /**
   * Simulates ramp then runtime, or, with fixed work, until it is done (at most the runtime);
   * returns this run.
   */
  public KernelRun run() {
    Runnable reset = () -> {
      machine.resetCounters();
      locks.resetStats();
      kernel.resetVmstat();
      oracle.resetCounts();
      progress.resetCounts();
    };
    if (progress.anyFixed()) {
      measuredNs = Measurement.runUntilDone(engine, workload.spec().runtimeNs(), progress::done,
          reset, recorders.values());
    } else {
      Measurement.run(engine, workload.spec().rampNs(), workload.spec().runtimeNs(), reset,
          recorders.values());
      measuredNs = workload.spec().runtimeNs();
      if (oracle.deadlocked()) {
        // The oracle stopped the run at a deadlock: rates are over the time actually measured.
        measuredNs = Math.max(0, Math.min(measuredNs, engine.now() - workload.spec().rampNs()));
      }
    }
    if (machine.speculation() != null) {
      machine.speculation().checkEnd();
    }
    machine.accountUpToNow();
    oracle.finish();
    return this;
  }

  /** The measured simulated time: the runtime, or how long the fixed work took. */
  public long measuredNs() {
    return measuredNs;
  }

  /**
   * A fault job's page metrics ({@code pages_touched}, {@code page_throughput}, and
   * {@code elapsed} with fixed work); empty for other jobs.
   */
  public Map<String, Double> jobMetrics(String job) {
    return progress.metrics(job, measuredNs);
  }

  public Engine engine() {
    return engine;
  }

  public Machine machine() {
    return machine;
  }

  public Locks locks() {
    return locks;
  }

  public Kernel kernel() {
    return kernel;
  }

  public Oracle oracle() {
    return oracle;
  }

  /** Recorders in workload order: fault jobs, operation jobs, synthetic jobs. */
  public List<OpRecorder> recorders() {
    return new ArrayList<>(recorders.values());
  }

  /** The operation name of a job's results ({@code fault}, {@code punch_hole}, ...). */
  public String opName(String job) {
    return opNames.get(job);
  }
}
