package faultsim.calibrate;

import faultsim.fault.Designs;
import faultsim.fault.KernelCosts;
import faultsim.lang.CompiledDesign;
import faultsim.machine.CostProfile;
import faultsim.run.Experiment;
import faultsim.run.JobResult;
import faultsim.run.ReplicationResult;
import faultsim.stats.LockStatRow;
import faultsim.workload.DesignEntry;
import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToLongFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;
import org.apache.commons.math3.optim.univariate.UnivariatePointValuePair;

/**
 * Fits cost profile parameters to measurements. Each evaluation simulates every measured point
 * (the workload with the point's overrides and the candidate costs) for a fixed number of
 * replications on their usual substreams, so the objective is a deterministic function of the
 * costs (common random numbers across evaluations). The objective is the mean squared log ratio
 * of simulated to measured throughput over the points, plus, where points carry a
 * {@code /proc/lock_stat} capture, the mean squared log ratio of average hold times over the lock
 * classes both have acquired at least {@link #MIN_ACQUISITIONS} times. Parameters are searched in
 * log space within a factor of {@link #RANGE} of their start: Brent's method for one parameter,
 * Powell's BOBYQA for several (commons-math3), neither needing derivatives, which a discrete-event
 * simulation does not have.
 */
public final class Calibration {
  /** How far from its start a parameter may move, as a factor either way. */
  public static final double RANGE = 10;

  /** Lock classes with fewer acquisitions in the capture or the simulation are not compared. */
  public static final long MIN_ACQUISITIONS = 50;

  /**
   * The cost keys that can be fitted, with how to read each from a resolved workload: the
   * machine's ({@code machine.costs.*}) and every kernel cost ({@code kernel.costs.*}).
   */
  public static final Map<String, ToLongFunction<Workload>> FITTABLE = fittable();

  private static Map<String, ToLongFunction<Workload>> fittable() {
    Map<String, ToLongFunction<Workload>> m = new LinkedHashMap<>();
    machine(m, "atomic_local", CostProfile::atomicLocalNs);
    machine(m, "transfer_same_socket", CostProfile::transferSameSocketNs);
    machine(m, "transfer_cross_socket", CostProfile::transferCrossSocketNs);
    machine(m, "memory_fetch", CostProfile::memoryFetchNs);
    machine(m, "wakeup", CostProfile::wakeupNs);
    machine(m, "context_switch", CostProfile::contextSwitchNs);
    for (KernelCosts.Cost c : KernelCosts.Cost.values()) {
      m.put("kernel.costs." + c.key(), w -> w.kernel().costs().get(c));
    }
    return m;
  }

  private static void machine(Map<String, ToLongFunction<Workload>> m, String key,
      ToLongFunction<CostProfile> get) {
    m.put("machine.costs." + key, w -> get.applyAsLong(w.spec().machine().costs()));
  }

  /** One fitted parameter: its key, where it started and where it ended, in ns. */
  public record Fitted(String key, long startNs, long fittedNs) {}

  /** A point's measured value and its simulated values before and after the fit. */
  public record Reproduced(Measurements.Point point, double before, double after) {
    public double ratio() {
      return after / point.throughput();
    }
  }

  /** The fit: parameters, each point reproduced, the objective before and after, evaluations. */
  public record Result(List<Fitted> parameters, List<Reproduced> points, double errorBefore,
      double errorAfter, int evaluations) {}

  private final Path workload;
  private final String design;
  /** The workload's design entry simulated (its settings apply), or -1 for --design's. */
  private final int entry;
  private final String job;
  private final List<Measurements.Point> points;
  private final List<String> keys;
  private final long[] start;
  private final int replications;
  private final ExecutorService pool;
  private int evaluations;

  /**
   * @param workload the workload file the measurements were made with (its shape; the points'
   *     overrides vary it)
   * @param design the design simulated (an entry's label or design, or any design), null for
   *     the workload's first entry
   * @param job the job whose throughput was measured, null for the workload's first
   * @param keys the cost keys to fit (of {@link #FITTABLE})
   * @param replications replications per point per evaluation
   * @param threads simulations run at once
   */
  public Calibration(Path workload, String design, String job, List<Measurements.Point> points,
      List<String> keys, int replications, int threads) throws InputException {
    this.workload = workload;
    this.points = List.copyOf(points);
    this.keys = List.copyOf(keys);
    this.replications = replications;
    Workload w = new WorkloadLoader().load(workload, points.get(0).sets());
    int entry = -1;
    for (int i = 0; i < w.designs().size() && entry < 0; i++) {
      DesignEntry e = w.designs().get(i);
      if (design == null || design.equals(e.as()) || design.equals(e.design())) {
        entry = i;
      }
    }
    this.entry = entry;
    this.design = entry >= 0 ? w.designs().get(entry).design() : design;
    if (!w.hasKernelJobs()) {
      throw new InputException(new Diagnostic(workload.toString(), 0, 0, "calibrate simulates"
          + " kernel fault and operation jobs; this workload has only synthetic jobs"));
    }
    List<String> jobs = new ArrayList<>(w.doc().jobs().keySet());
    this.job = job != null ? job : jobs.get(0);
    if (!jobs.contains(this.job)) {
      throw new InputException(new Diagnostic("--job " + job, 0, 0, "the workload has no job '"
          + job + "'; it has " + String.join(", ", jobs)));
    }
    this.start = new long[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      ToLongFunction<Workload> get = FITTABLE.get(keys.get(i));
      if (get == null) {
        throw new InputException(new Diagnostic("--fit " + keys.get(i), 0, 0, "expected one of "
            + String.join(", ", FITTABLE.keySet())));
      }
      start[i] = Math.max(1, get.applyAsLong(w));
    }
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "calibrate");
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs the fit. */
  public Result fit() throws InputException {
    try {
      double[] zero = new double[keys.size()];
      List<Simulated> before = simulate(zero);
      double errorBefore = error(before);
      double[] best;
      if (keys.size() == 1) {
        UnivariatePointValuePair p = new BrentOptimizer(1e-3, 1e-4).optimize(new MaxEval(60),
            GoalType.MINIMIZE, new SearchInterval(-Math.log(RANGE), Math.log(RANGE), 0),
            new UnivariateObjectiveFunction(y -> objective(new double[] {y})));
        best = new double[] {p.getPoint()};
      } else {
        double[] lo = new double[keys.size()];
        double[] hi = new double[keys.size()];
        java.util.Arrays.fill(lo, -Math.log(RANGE));
        java.util.Arrays.fill(hi, Math.log(RANGE));
        PointValuePair p = new BOBYQAOptimizer(2 * keys.size() + 1, 0.5, 1e-3).optimize(
            new MaxEval(60 * keys.size()), GoalType.MINIMIZE, new InitialGuess(zero),
            new SimpleBounds(lo, hi), new ObjectiveFunction(this::objective));
        best = p.getPoint();
      }
      List<Simulated> after = simulate(best);
      List<Fitted> fitted = new ArrayList<>();
      long[] values = values(best);
      for (int i = 0; i < keys.size(); i++) {
        fitted.add(new Fitted(keys.get(i), start[i], values[i]));
      }
      List<Reproduced> reproduced = new ArrayList<>();
      for (int i = 0; i < points.size(); i++) {
        reproduced.add(new Reproduced(points.get(i), before.get(i).throughput(),
            after.get(i).throughput()));
      }
      return new Result(fitted, reproduced, errorBefore, error(after), evaluations);
    } catch (SimulationFailed e) {
      throw e.cause;
    } finally {
      pool.shutdownNow();
    }
  }

  /** What one point's simulation gave: the job's throughput and the lock classes' hold times. */
  private record Simulated(double throughput, Map<String, LockStatCapture.Row> locks) {}

  private long[] values(double[] y) {
    long[] v = new long[y.length];
    for (int i = 0; i < y.length; i++) {
      v[i] = Math.max(1, Math.round(start[i] * Math.exp(y[i])));
    }
    return v;
  }

  private double objective(double[] y) {
    evaluations++;
    try {
      return error(simulate(y));
    } catch (InputException e) {
      throw new SimulationFailed(e);
    }
  }

  private double error(List<Simulated> sims) {
    double tp = 0;
    double hold = 0;
    int holds = 0;
    for (int i = 0; i < points.size(); i++) {
      Measurements.Point p = points.get(i);
      Simulated s = sims.get(i);
      double r = Math.log(Math.max(s.throughput(), 1e-9) / p.throughput());
      tp += r * r;
      if (p.lockStat() == null) {
        continue;
      }
      for (LockStatCapture.Row m : p.lockStat().rows().values()) {
        LockStatCapture.Row sim = s.locks().get(m.name());
        if (sim == null || m.acquisitions() < MIN_ACQUISITIONS
            || sim.acquisitions() < MIN_ACQUISITIONS || m.holdAvgNs() <= 0
            || sim.holdAvgNs() <= 0) {
          continue;
        }
        double h = Math.log(sim.holdAvgNs() / m.holdAvgNs());
        hold += h * h;
        holds++;
      }
    }
    return tp / points.size() + (holds == 0 ? 0 : hold / holds);
  }

  private List<Simulated> simulate(double[] y) throws InputException {
    long[] v = values(y);
    List<List<Future<ReplicationResult>>> runs = new ArrayList<>();
    for (Measurements.Point p : points) {
      List<String> sets = new ArrayList<>(p.sets());
      for (int i = 0; i < keys.size(); i++) {
        sets.add(keys.get(i) + "=" + v[i] + "ns");
      }
      Workload base = new WorkloadLoader().load(workload, sets);
      Workload w = entry < 0 ? base : base.designs().get(entry).workload(base);
      CompiledDesign d = Designs.load(design, w);
      // One binding for the point's replications, as a run has one per design: once one has to
      // be made again with its steps kept, the others keep them from the start.
      faultsim.fault.KernelRun.Binding binding = Designs.binding(d);
      List<Future<ReplicationResult>> reps = new ArrayList<>();
      for (int r = 0; r < replications; r++) {
        int rep = r;
        reps.add(pool.submit(() -> Experiment.runOne(w, d.name(), binding, rep,
            Experiment.streams(w).forReplication(rep))));
      }
      runs.add(reps);
    }
    List<Simulated> out = new ArrayList<>();
    for (List<Future<ReplicationResult>> reps : runs) {
      double tp = 0;
      Map<String, long[]> locks = new LinkedHashMap<>();
      for (Future<ReplicationResult> f : reps) {
        ReplicationResult r = get(f);
        for (JobResult j : r.jobs()) {
          if (j.job().equals(job)) {
            tp += j.throughput();
          }
        }
        for (LockStatRow l : r.locks()) {
          String name = l.className() + (l.side().isEmpty() ? "" : "-" + l.side());
          long[] acc = locks.computeIfAbsent(name, k -> new long[2]);
          acc[0] += l.acquisitions();
          acc[1] += l.holdTotalNs();
        }
      }
      Map<String, LockStatCapture.Row> rows = new LinkedHashMap<>();
      locks.forEach((name, acc) -> rows.put(name, new LockStatCapture.Row(name, acc[0], 0,
          acc[0] == 0 ? 0 : (double) acc[1] / acc[0])));
      out.add(new Simulated(tp / reps.size(), rows));
    }
    return out;
  }

  private static ReplicationResult get(Future<ReplicationResult> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("calibration interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a calibration run failed: " + e.getCause(),
          e.getCause());
    }
  }

  /** Carries a bad-input error out of the optimiser's callback. */
  private static final class SimulationFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient InputException cause;

    SimulationFailed(InputException cause) {
      super(cause);
      this.cause = cause;
    }
  }
}
