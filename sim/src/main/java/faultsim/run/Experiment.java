package faultsim.run;

import faultsim.engine.Engine;
import faultsim.fault.Designs;
import faultsim.fault.KernelRun;
import faultsim.lang.CompiledDesign;
import faultsim.fault.KernelSpec;
import faultsim.locks.Locks;
import faultsim.machine.ContextViolation;
import faultsim.oracle.Violation;
import faultsim.results.ResultsWriter;
import faultsim.workload.InputException;
import java.util.LinkedHashMap;
import java.util.Map;
import faultsim.engine.RandomStreams;
import faultsim.machine.Core;
import faultsim.machine.Machine;
import faultsim.machine.Task;
import faultsim.machine.TraceRecorder;
import faultsim.stats.LockStatRow;
import faultsim.stats.SequentialRule;
import faultsim.synthetic.OpRecorder;
import faultsim.synthetic.SyntheticRun;
import faultsim.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs every design × replication of a workload, in parallel across runs on {@code threads}
 * threads; each run is single-threaded and deterministic. Random streams for every run are
 * created and positioned on the calling thread, in a fixed order, before any run starts
 * (MRG32k3a's constructor is not thread-safe), and results are collected in design-major,
 * replication-minor order, so the outcome does not depend on the number of threads.
 */
public final class Experiment {
  /**
   * The row of job {@code vmstat} that says a run was stopped by a deadlock, and when (simulated
   * ns); its rates are over the time measured until then.
   */
  public static final String DEADLOCKED_AT = "deadlocked_at_ns";

  /**
   * The row of job {@code vmstat} that counts the jobs that made no progress at all in a run:
   * not one operation completed while it was measured (present only when some job did not).
   */
  public static final String JOBS_WITHOUT_PROGRESS = "jobs_without_progress";

  /** Told after each finished run. */
  public interface Progress {
    void runDone(int done, int total, long simulatedNs);
  }

  private Experiment() {}

  /**
   * Runs the workload: exactly {@code w.replications()} per design, or, when the workload asks
   * for a precision ({@link Workload#rule}), replications in batches until the rule stops; every
   * design gets the same number, so replications stay paired. The results are those of the
   * replications the one-at-a-time rule would have run (extra ones of a batch are dropped), in
   * design-major, replication-minor order.
   */
  public static List<ReplicationResult> run(Workload w, int threads, Progress progress)
      throws InterruptedException, InputException {
    return run(w, threads, progress, null, Designs::binding);
  }

  /**
   * As {@link #run(Workload, int, Progress)}; with {@code trace}, replication 0 of every design
   * also records a Chrome trace ({@link ReplicationResult#trace}).
   */
  public static List<ReplicationResult> run(Workload w, int threads, Progress progress,
      boolean trace) throws InterruptedException, InputException {
    return run(w, threads, progress, trace ? TraceRecorder.Window.ALL : null, Designs::binding);
  }

  /**
   * As {@link #run(Workload, int, Progress)}; with a {@code trace} window (null: none),
   * replication 0 of every design also records a Chrome trace of that window
   * ({@link ReplicationResult#trace}); each design bound for its runs by {@code bind} (with a
   * schedule's delays at its interaction points, say).
   */
  public static List<ReplicationResult> run(Workload w, int threads, Progress progress,
      TraceRecorder.Window trace,
      java.util.function.Function<CompiledDesign, KernelRun.Binding> bind)
      throws InterruptedException, InputException {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, was " + threads);
    }
    // Each design by its label, with its binding (none for synthetic jobs) and its workload:
    // the file's, with the entry's own settings, on the same streams.
    Map<String, KernelRun.Binding> bindings = new LinkedHashMap<>();
    Map<String, Workload> workloads = new LinkedHashMap<>();
    for (Designs.Labelled d : Designs.entries(w)) {
      bindings.put(d.label(), d.design() == null ? null : bind.apply(d.design()));
      workloads.put(d.label(), d.workload());
    }
    List<String> designs = new ArrayList<>(bindings.keySet());
    RandomStreams base = streams(w);
    SequentialRule rule = w.rule();
    Map<String, List<ReplicationResult>> byDesign = new LinkedHashMap<>();
    for (String d : designs) {
      byDesign.put(d, new ArrayList<>());
    }
    AtomicInteger done = new AtomicInteger();
    // Never more runs at once than fit in the heap; results do not depend on the thread count.
    ExecutorService pool = Executors.newFixedThreadPool(
        Math.min(threads, faultsim.workload.ModelSize.runsThatFit(w)), r -> {
      Thread t = new Thread(r, "faultsim-run");
      t.setDaemon(true);
      return t;
    });
    try {
      int have = 0;
      int want = w.replications();
      while (true) {
        runBatch(workloads, designs, bindings, base, have, want, pool, byDesign, done,
            designs.size() * want, progress, trace);
        have = want;
        if (rule == null) {
          break;
        }
        List<double[]> series = throughputs(byDesign);
        int stop = rule.stop(series);
        if (stop >= 0) {
          byDesign.replaceAll((d, reps) -> new ArrayList<>(reps.subList(0, stop)));
          break;
        }
        want = rule.nextTarget(series);
      }
    } finally {
      pool.shutdownNow();
    }
    List<ReplicationResult> out = new ArrayList<>();
    byDesign.values().forEach(out::addAll);
    return out;
  }

  /**
   * Every job's throughput of every design, one series per design and job, replication by
   * replication: what {@link SequentialRule} watches.
   */
  public static List<double[]> throughputs(Map<String, List<ReplicationResult>> byDesign) {
    List<double[]> series = new ArrayList<>();
    for (List<ReplicationResult> reps : byDesign.values()) {
      if (reps.isEmpty()) {
        continue;
      }
      for (int j = 0; j < reps.get(0).jobs().size(); j++) {
        int job = j;
        series.add(reps.stream().mapToDouble(r -> r.jobs().get(job).throughput()).toArray());
      }
    }
    return series;
  }

  /** Replications {@code from} (inclusive) to {@code to} (exclusive) of every design. */
  private static void runBatch(Map<String, Workload> workloads, List<String> designs,
      Map<String, KernelRun.Binding> bindings, RandomStreams base, int from, int to,
      ExecutorService pool, Map<String, List<ReplicationResult>> byDesign, AtomicInteger done,
      int total, Progress progress, TraceRecorder.Window trace) throws InterruptedException {
    // Streams are positioned here, on the calling thread, in a fixed order: MRG32k3a's
    // constructor is not thread-safe.
    List<RandomStreams> perRun = new ArrayList<>();
    for (int d = 0; d < designs.size(); d++) {
      for (int r = from; r < to; r++) {
        // Common random numbers: replication r of every design uses substream r.
        perRun.add(base.forReplication(r));
      }
    }
    List<Future<ReplicationResult>> futures = new ArrayList<>();
    int i = 0;
    for (String design : designs) {
      for (int r = from; r < to; r++) {
        RandomStreams streams = perRun.get(i++);
        int rep = r;
        futures.add(pool.submit(() -> {
          Workload w = workloads.get(design);
          ReplicationResult res = runOne(w, design, bindings.get(design), rep, streams,
              rep == 0 ? trace : null);
          if (progress != null) {
            progress.runDone(done.incrementAndGet(), total,
                w.spec().rampNs() + w.spec().runtimeNs());
          }
          return res;
        }));
      }
    }
    int f = 0;
    for (String design : designs) {
      for (int r = from; r < to; r++) {
        try {
          byDesign.get(design).add(futures.get(f++).get());
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof RuntimeException re) {
            throw re;
          }
          throw new IllegalStateException(c);
        }
      }
    }
  }

  /**
   * Every random stream of {@code w}, created in a fixed order; replication r of every design
   * uses substream r ({@link RandomStreams#forReplication}).
   */
  public static RandomStreams streams(Workload w) {
    List<String> names = new ArrayList<>(w.streamNames());
    names.add(KernelRun.DESIGN_STREAM);
    return RandomStreams.create(w.seed(), names);
  }

  /** The most bytes of events a run's trace holds; beyond them it is cut off. */
  public static final long TRACE_MAX_BYTES = 64L << 20;

  /** One replication of one design; {@code binding} is null for the design 'synthetic'. */
  public static ReplicationResult runOne(Workload w, String design, KernelRun.Binding binding,
      int replication, RandomStreams streams) {
    return runOne(w, design, binding, replication, streams, null);
  }

  /**
   * As {@link #runOne(Workload, String, KernelRun.Binding, int, RandomStreams)}, traced over
   * {@code trace} unless that is null.
   *
   * <p>A replication of a repeatable binding ({@link KernelRun.Binding#repeatable}) first runs
   * the fast way: with the oracle keeping no steps, and running ahead of the clock if the setting
   * asks for it. Where that does not hold, the replication is made again from the same random
   * numbers the safe way: steps kept ({@link faultsim.oracle.Oracle.TraceNeeded}: it had a
   * violation to show), or one event per step ({@link faultsim.machine.Speculation.Conflict}:
   * running ahead was not exact). Either way the result is the one the safe way gives. The
   * design's later replications go the safe way from the start, since they share its workload
   * and would most likely need it too.
   */
  public static ReplicationResult runOne(Workload w, String design, KernelRun.Binding binding,
      int replication, RandomStreams streams, TraceRecorder.Window trace) {
    boolean repeatable = binding != null && trace == null && binding.repeatable();
    boolean traced = !repeatable || TRACE_NEEDED.contains(binding);
    long speculateNs = repeatable ? KernelRun.speculateNsSetting() : 0;
    boolean intrinsic = KernelRun.intrinsicOrderSetting() || speculateNs > 0;
    if (speculateNs > 0 && CONFLICTED.contains(binding)) {
      SPECULATION_SKIPPED.incrementAndGet();
      speculateNs = 0;
    }
    while (true) {
      RandomStreams again = traced && speculateNs == 0 ? null : streams.restarted();
      try {
        return runOne(w, design, binding, replication, streams, trace, intrinsic, speculateNs,
            traced);
      } catch (faultsim.machine.Speculation.Conflict c) {
        SPECULATION_FALLBACKS.incrementAndGet();
        CONFLICTED.add(binding);
        SPECULATION_CONFLICTS.putIfAbsent(String.format(java.util.Locale.ROOT, "%s %06d", design,
            replication), design + " replication " + replication + ": " + c.getMessage());
        speculateNs = 0;
      } catch (faultsim.oracle.Oracle.TraceNeeded e) {
        TRACE_NEEDED.add(binding);
        RETRACED.incrementAndGet();
        traced = true;
      }
      streams = again;
    }
  }

  /** The designs (bindings) of which a replication needed its tasks' steps recorded. */
  private static final java.util.Set<KernelRun.Binding> TRACE_NEEDED = java.util.Collections
      .newSetFromMap(java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>()));

  /** Replications made again with the oracle recording steps, since the JVM started. */
  public static final java.util.concurrent.atomic.AtomicLong RETRACED =
      new java.util.concurrent.atomic.AtomicLong();

  /** Steps run inline, and events counted, by replications that speculated to the end. */
  public static final java.util.concurrent.atomic.AtomicLong SPECULATION_INLINED =
      new java.util.concurrent.atomic.AtomicLong();
  public static final java.util.concurrent.atomic.AtomicLong SPECULATION_EVENTS =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * Why replications were run again without speculation, by design and replication (the first
   * in that order is the one {@code run} reports).
   */
  public static final java.util.concurrent.ConcurrentSkipListMap<String, String>
      SPECULATION_CONFLICTS = new java.util.concurrent.ConcurrentSkipListMap<>();

  /** Replications that kept their speculation to the end. */
  public static final java.util.concurrent.atomic.AtomicLong SPECULATION_KEPT =
      new java.util.concurrent.atomic.AtomicLong();

  /** The designs (bindings) of which a replication conflicted. */
  private static final java.util.Set<KernelRun.Binding> CONFLICTED = java.util.Collections
      .newSetFromMap(java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>()));

  /** Replications run without speculation because another of their design had conflicted. */
  public static final java.util.concurrent.atomic.AtomicLong SPECULATION_SKIPPED =
      new java.util.concurrent.atomic.AtomicLong();

  /** Replications run again without speculation since the JVM started. */
  public static final java.util.concurrent.atomic.AtomicLong SPECULATION_FALLBACKS =
      new java.util.concurrent.atomic.AtomicLong();

  private static ReplicationResult runOne(Workload w, String design, KernelRun.Binding binding,
      int replication, RandomStreams streams, TraceRecorder.Window trace, boolean intrinsic,
      long speculateNs, boolean traced) {
    Machine m;
    Locks locks;
    Engine engine;
    List<OpRecorder> recorders;
    java.util.function.Function<String, String> opName;
    Map<String, Long> counts = new LinkedHashMap<>();
    List<Violation> violations = new ArrayList<>();
    Map<String, Long> vmstat = new LinkedHashMap<>();
    Map<String, Long> lockOrder = Map.of();
    long measuredNs = w.spec().runtimeNs();
    java.util.function.Function<String, Map<String, Double>> jobMetrics = job -> Map.of();
    faultsim.machine.TimeProfile profile = new faultsim.machine.TimeProfile();
    TraceRecorder recorder = trace != null ? new TraceRecorder(TRACE_MAX_BYTES, trace) : null;
    if (binding == null) {
      SyntheticRun run = new SyntheticRun(w.spec(), streams);
      run.machine().setTimeListener(profile);
      if (recorder != null) {
        recorder.attach(run.machine(), profile);
      }
      run.run();
      m = run.machine();
      locks = run.locks();
      engine = run.engine();
      recorders = run.recorders();
      opName = job -> opName(w, job);
      for (String k : Violation.KINDS) {
        counts.put(k, 0L);
      }
      counts.put(Violation.INVALID_CONTEXT, (long) m.contextViolations().size());
      for (ContextViolation v : m.contextViolations()) {
        if (violations.size() < faultsim.oracle.Oracle.SHOWN_PER_KIND) {
          violations.add(new Violation(Violation.INVALID_CONTEXT, v.timeNs(),
              Violation.invalidContextSummary(v), ""));
        }
      }
    } else {
      KernelRun run = new KernelRun(w, binding, streams, intrinsic, speculateNs, traced);
      run.machine().setTimeListener(profile);
      if (recorder != null) {
        recorder.attach(run.machine(), profile);
      }
      run.run();
      m = run.machine();
      if (m.speculation() != null) {
        SPECULATION_KEPT.incrementAndGet();
        SPECULATION_INLINED.addAndGet(m.speculation().inlined());
        SPECULATION_EVENTS.addAndGet(run.engine().eventsFired());
      }
      locks = run.locks();
      engine = run.engine();
      recorders = run.recorders();
      opName = run::opName;
      measuredNs = run.measuredNs();
      if (run.oracle().deadlocked()) {
        // Not a vmstat counter: when the oracle stopped the run at a deadlock, in simulated ns.
        vmstat.put(DEADLOCKED_AT, run.engine().now());
      }
      jobMetrics = run::jobMetrics;
      counts.putAll(run.oracle().counts());
      violations.addAll(run.oracle().shown());
      vmstat.putAll(run.kernel().vmstat());
      lockOrder = run.oracle().observedOrder();
      if (w.kernel().opJobs().stream().anyMatch(j -> j.op() == KernelSpec.OpKind.PUNCH_HOLE)) {
        // Not a vmstat counter: the oracle's count of folios created in a hole behind a punch's
        // cursor, which the punch guarantee allows.
        vmstat.put("punch_recreated", run.oracle().punchRecreated());
      }
    }
    // The rwsem lock event counters (lockevent names), with the vmstat counters: both are
    // run-wide counts of what the kernel did.
    vmstat.putAll(locks.lockEvents());
    long stuck = recorders.stream().filter(r -> r.operations() == 0).count();
    if (stuck > 0) {
      // Not a vmstat counter: jobs that completed no operation in the measured run.
      vmstat.put(JOBS_WITHOUT_PROGRESS, stuck);
    }
    // A run stopped by a deadlock during its ramp measured nothing: its rates are 0, not NaN.
    double seconds = Math.max(1, measuredNs) / 1e9;
    List<JobResult> jobs = new ArrayList<>();
    for (OpRecorder r : recorders) {
      jobs.add(new JobResult(r.job(), opName.apply(r.job()), r.operations(),
          r.operations() / seconds, r.meanLatencyNs(), r.latencyNs().copy(),
          List.copyOf(r.intervals()), r.retries(), r.timeline(), jobMetrics.apply(r.job())));
    }
    List<LockStatRow> lockRows = new ArrayList<>();
    for (var c : locks.classes()) {
      lockRows.addAll(LockStatRow.of(c, engine.now()));
    }
    long busy = 0;
    long spin = 0;
    long idle = 0;
    long ioWait = 0;
    for (int i = 0; i < m.coreCount(); i++) {
      Core c = m.core(i);
      busy += c.busyNs();
      spin += c.spinNs();
      idle += c.idleNs();
      ioWait += c.ioWaitNs();
    }
    long sleep = 0;
    long io = 0;
    long runnable = 0;
    List<ReplicationResult.TaskTime> tasks = new ArrayList<>();
    for (Task t : m.tasks()) {
      ReplicationResult.TaskTime tt = taskTime(t);
      tasks.add(tt);
      sleep += tt.sleepNs();
      io += tt.ioNs();
      runnable += tt.runnableNs();
    }
    return new ReplicationResult(design, replication, jobs, lockRows,
        new ReplicationResult.CpuTime(busy, spin, idle, sleep, io, runnable, ioWait),
        engine.eventsFired(), counts, violations, vmstat, lockOrder, profile.folded(), tasks,
        recorder == null ? ReplicationResult.Trace.NONE : traced(recorder, violations,
            design + " r" + replication, m, engine.now()));
  }

  /** The run's trace, with each violation shown as an instant at its time. */
  private static ReplicationResult.Trace traced(TraceRecorder recorder, List<Violation> violations,
      String process, Machine m, long endNs) {
    for (Violation v : violations) {
      recorder.violation(v.timeNs(), v.kind(), v.summary());
    }
    return new ReplicationResult.Trace(recorder.finish(process, m.tasks(), endNs),
        recorder.truncatedAtNs());
  }

  private static ReplicationResult.TaskTime taskTime(Task t) {
    return new ReplicationResult.TaskTime(t.name(), t.job(),
        t.operations(), t.timeInStateNs(Task.State.BUSY) + t.timeInStateNs(Task.State.RUNNING),
        t.timeInStateNs(Task.State.SPINNING), t.timeInStateNs(Task.State.SLEEPING),
        t.timeInStateNs(Task.State.IO),
        t.timeInStateNs(Task.State.RUNNABLE) + t.timeInStateNs(Task.State.WAKING));
  }

  private static String opName(Workload w, String job) {
    var doc = w.doc().jobs().get(job);
    return doc != null && doc.op() != null ? doc.op() : "op";
  }
}
