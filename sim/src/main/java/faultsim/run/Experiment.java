package faultsim.run;

import faultsim.engine.Engine;
import faultsim.fault.Designs;
import faultsim.fault.KernelRun;
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
import faultsim.stats.LockStatRow;
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
  /** Told after each finished run. */
  public interface Progress {
    void runDone(int done, int total, long simulatedNs);
  }

  private Experiment() {}

  public static List<ReplicationResult> run(Workload w, int threads, Progress progress)
      throws InterruptedException, InputException {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, was " + threads);
    }
    Map<String, KernelRun.Binding> bindings = Designs.bindings(w);
    List<String> designs = new ArrayList<>(bindings.keySet());
    if (designs.isEmpty()) {
      designs.addAll(w.designs());
    }
    RandomStreams base = streams(w);
    int total = designs.size() * w.replications();
    List<RandomStreams> perRun = new ArrayList<>(total);
    for (int d = 0; d < designs.size(); d++) {
      for (int r = 0; r < w.replications(); r++) {
        // Common random numbers: replication r of every design uses substream r.
        perRun.add(base.forReplication(r));
      }
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
      List<Future<ReplicationResult>> futures = new ArrayList<>(total);
      int i = 0;
      for (String design : designs) {
        for (int r = 0; r < w.replications(); r++) {
          RandomStreams streams = perRun.get(i++);
          int rep = r;
          futures.add(pool.submit(() -> {
            ReplicationResult res = runOne(w, design, bindings.get(design), rep, streams);
            if (progress != null) {
              progress.runDone(done.incrementAndGet(), total,
                  w.spec().rampNs() + w.spec().runtimeNs());
            }
            return res;
          }));
        }
      }
      List<ReplicationResult> out = new ArrayList<>(total);
      for (Future<ReplicationResult> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof RuntimeException re) {
            throw re;
          }
          throw new IllegalStateException(c);
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
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

  /** One replication of one design; {@code binding} is null for the design 'synthetic'. */
  public static ReplicationResult runOne(Workload w, String design, KernelRun.Binding binding,
      int replication, RandomStreams streams) {
    Machine m;
    Locks locks;
    Engine engine;
    List<OpRecorder> recorders;
    java.util.function.Function<String, String> opName;
    Map<String, Long> counts = new LinkedHashMap<>();
    List<Violation> violations = new ArrayList<>();
    Map<String, Long> vmstat = new LinkedHashMap<>();
    if (binding == null) {
      SyntheticRun run = new SyntheticRun(w.spec(), streams).run();
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
      KernelRun run = new KernelRun(w, binding, streams).run();
      m = run.machine();
      locks = run.locks();
      engine = run.engine();
      recorders = run.recorders();
      opName = run::opName;
      counts.putAll(run.oracle().counts());
      violations.addAll(run.oracle().shown());
      vmstat.putAll(run.kernel().vmstat());
      if (w.kernel().opJobs().stream().anyMatch(j -> j.op() == KernelSpec.OpKind.PUNCH_HOLE)) {
        // Not a vmstat counter: the oracle's count of folios created in a hole behind a punch's
        // cursor, which the punch guarantee allows.
        vmstat.put("punch_recreated", run.oracle().punchRecreated());
      }
    }
    double seconds = w.spec().runtimeNs() / 1e9;
    List<JobResult> jobs = new ArrayList<>();
    for (OpRecorder r : recorders) {
      jobs.add(new JobResult(r.job(), opName.apply(r.job()), r.operations(),
          r.operations() / seconds, r.meanLatencyNs(), r.latencyNs().copy(),
          List.copyOf(r.intervals()), r.retries(), r.timeline()));
    }
    List<LockStatRow> lockRows = new ArrayList<>();
    for (var c : locks.classes()) {
      lockRows.addAll(LockStatRow.of(c));
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
    for (Task t : m.tasks()) {
      sleep += t.timeInStateNs(Task.State.SLEEPING);
      io += t.timeInStateNs(Task.State.IO);
      runnable += t.timeInStateNs(Task.State.RUNNABLE) + t.timeInStateNs(Task.State.WAKING);
    }
    return new ReplicationResult(design, replication, jobs, lockRows,
        new ReplicationResult.CpuTime(busy, spin, idle, sleep, io, runnable, ioWait),
        engine.eventsFired(), counts, violations, vmstat);
  }

  private static String opName(Workload w, String job) {
    var doc = w.doc().jobs().get(job);
    return doc != null && doc.op() != null ? doc.op() : "op";
  }
}
