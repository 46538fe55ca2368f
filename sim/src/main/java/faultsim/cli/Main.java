package faultsim.cli;

import faultsim.machine.TraceRecorder;
import faultsim.results.OutputTarget;
import faultsim.results.ResultsWriter;
import faultsim.results.Version;
import faultsim.run.Experiment;
import faultsim.run.ReplicationResult;
import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import faultsim.workload.Options;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code faultsim} command line. Exit status: 0 success, 2 bad input (a message naming the
 * file, line and column, no stack trace, no results directory), 1 internal error.
 */
@Command(name = "faultsim", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    description = "Discrete-event simulator of Linux page-fault throughput under locking designs.",
    subcommands = {Main.Run.class, Main.SweepCmd.class, Main.Validate.class,
        Main.OptionsCmd.class, DesignCommands.List_.class, DesignCommands.Explain.class,
        ReportCommand.class, ReferenceCommand.class, CalibrateCommand.class,
        HuntCommands.HuntCmd.class, HuntCommands.ReplayCmd.class})
public final class Main implements Callable<Integer> {
  static final int BAD_INPUT = 2;
  static final int INTERNAL = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * {@code --interpret}, on any command: designs are interpreted instead of run as the bytecode
   * they are compiled to (the same results, slower; the interpreter is the reference).
   */
  @Option(names = "--interpret", scope = CommandLine.ScopeType.INHERIT,
      description = "Interpret design functions instead of running them compiled to JVM"
          + " bytecode: the same results, slower; for checking the compiled code.")
  void interpret(boolean on) {
    if (on) {
      System.setProperty(faultsim.lang.RunEnv.INTERPRET_PROPERTY, "true");
    }
  }

  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams; returns the exit status. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    String badSetting = faultsim.fault.KernelRun.checkEngineSettings();
    if (badSetting != null) {
      err.println("faultsim: " + badSetting);
      return BAD_INPUT;
    }
    CommandLine cl = new CommandLine(new Main());
    cl.addSubcommand(new WorkerCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof InputException ie) {
        for (Diagnostic d : ie.diagnostics()) {
          err.println(d);
        }
        return BAD_INPUT;
      }
      if (ex instanceof faultsim.machine.SimulationException se) {
        // A design did something the kernel forbids (released a lock it does not hold, ...):
        // the message names the design's file and line and the task's call stack.
        err.println("faultsim: a run stopped: " + se.getMessage());
        return BAD_INPUT;
      }
      err.println("faultsim: internal error: " + ex);
      ex.printStackTrace(err);
      return INTERNAL;
    });
    // --interpret holds for this command line only (tests run several in one process).
    String interpret = System.getProperty(faultsim.lang.RunEnv.INTERPRET_PROPERTY);
    try {
      return cl.execute(args);
    } finally {
      if (interpret == null) {
        System.clearProperty(faultsim.lang.RunEnv.INTERPRET_PROPERTY);
      } else {
        System.setProperty(faultsim.lang.RunEnv.INTERPRET_PROPERTY, interpret);
      }
      out.flush();
      err.flush();
    }
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** {@code --threads N}, or all processors; N must be at least 1. */
  /**
   * {@code --design D ...} as the override {@code designs=[D,...]} appended to {@code sets},
   * with messages about it naming the options as typed; nothing without designs.
   */
  static void designOverride(List<String> designs, List<String> sets, WorkloadLoader loader) {
    if (designs.isEmpty()) {
      return;
    }
    sets.add("designs=[" + String.join(",", designs) + "]");
    loader.typedAs(sets.get(sets.size() - 1), "--design " + String.join(" --design ", designs));
  }

  static int threads(Integer threads) throws InputException {
    int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (n < 1) {
      throw new InputException(new Diagnostic("--threads " + n, 0, 0,
          "expected a number of threads >= 1"));
    }
    return n;
  }

  /** {@code --version}. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"faultsim " + Version.get()};
    }
  }

  @Command(name = "run", description = "Simulate every design x replication of a workload and"
      + " write its results directory.")
  static final class Run implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "Workload file (YAML).")
    Path file;

    @Option(names = "--design", paramLabel = "D", description = "Design(s) to run instead of the"
        + " file's designs list (repeatable).")
    List<String> designs = new ArrayList<>();

    @Option(names = "--replications", paramLabel = "N", description = "Replications per design.")
    Integer replications;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
        description = "Override a workload key, e.g. machine.cores=8 (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
        description = "Results directory (default reports/<workload name>).")
    Path out;

    @Option(names = "--threads", paramLabel = "N",
        description = "Runs in parallel (default: available processors).")
    Integer threads;

    @Option(names = "--seed", paramLabel = "S", description = "Base random seed (overrides"
        + " global.randseed).")
    Long seed;

    @Option(names = "--trace", arity = "0..1", paramLabel = "FROM..TO",
        parameterConsumer = TraceWindowConsumer.class,
        description = "Also write trace/<design>.json, replication 0 of each design as a Chrome"
        + " trace (open it in Perfetto UI): a track per task, the locks it holds and each CPU,"
        + " with arrows from a release to the waiter it lets in and the violations as instants;"
        + " and a small trace of each violation listed. FROM..TO (e.g. 1ms..2ms, simulated time"
        + " from the start of the ramp) keeps only that window.")
    String trace;

    @Option(names = "--schedule", paramLabel = "FILE", description = "Delay tasks at the"
        + " interaction points a schedule file (from hunt) names, in every run; runs its design"
        + " unless --design is given.")
    Path schedule;

    @Override
    public Integer call() throws Exception {
      List<String> all = new ArrayList<>(sets);
      WorkloadLoader loader = new WorkloadLoader();
      faultsim.hunt.Schedule sched = schedule == null ? null
          : faultsim.hunt.Schedule.read(schedule);
      if (sched != null && designs.isEmpty()) {
        designs = List.of(sched.design());
      }
      if (replications != null) {
        all.add("replications=" + replications);
        loader.typedAs(all.get(all.size() - 1), "--replications " + replications);
      }
      if (seed != null) {
        all.add("global.randseed=" + seed);
        loader.typedAs(all.get(all.size() - 1), "--seed " + seed);
      }
      Main.designOverride(designs, all, loader);
      int nThreads = threads(threads);
      if (replications != null && replications < 1) {
        throw new InputException(new Diagnostic("--replications " + replications, 0, 0,
            "expected a number of replications >= 1"));
      }
      Workload w = loader.load(file, all);
      window = traceWindow(trace, w);
      Path dir = out != null ? out : Path.of("reports", w.name());
      try (OutputTarget target = OutputTarget.claim(dir, out != null ? "--out " + out
          : dir + " (the workload's name under reports/)", true)) {
        return simulate(w, nThreads, target, dir, sched);
      }
    }

    private TraceRecorder.Window window;

    private int simulate(Workload w, int nThreads, OutputTarget target, Path dir,
        faultsim.hunt.Schedule sched) throws Exception {
      java.util.function.Function<faultsim.lang.CompiledDesign, faultsim.fault.KernelRun.Binding>
          bind = sched == null ? faultsim.fault.Designs::binding
              : faultsim.hunt.Perturbations.binder(sched.points());
      PrintWriter o = spec.commandLine().getOut();
      int total = w.designs().size() * w.replications();
      Instant started = Instant.now();
      long t0 = System.nanoTime();
      long retracedBefore = Experiment.RETRACED.get();
      List<ReplicationResult> results;
      if (System.console() != null) {
        try (ProgressBar pb = new ProgressBarBuilder().setTaskName(w.name()).setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII).setUnit(" runs", 1).build()) {
          results = Experiment.run(w, nThreads, (done, n, simNs) -> {
            pb.maxHint(n);
            pb.stepTo(done);
            pb.setExtraMessage(String.format(Locale.ROOT, "%s simulated per run",
                faultsim.workload.Units.formatTime(simNs)));
          }, window, bind);
        }
      } else {
        results = Experiment.run(w, nThreads, (done, n, simNs) -> {
          synchronized (o) {
            o.printf(Locale.ROOT, "%s: run %d/%d done (%.1f s wall)%n", w.name(), done, n,
                (System.nanoTime() - t0) / 1e9);
          }
        }, window, bind);
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("started", started.truncatedTo(ChronoUnit.SECONDS).toString());
      info.put("wall_seconds", Math.round(wall * 1000) / 1000.0);
      info.put("threads", nThreads);
      ResultsWriter.write(target, w, results, info,
          faultsim.report.Report.finisher(spec.commandLine().getErr()));
      printSummary(o, w, results);
      long retraced = Experiment.RETRACED.get() - retracedBefore;
      if (retraced > 0) {
        // Replications first run keeping no steps; one with an interleaving to show is made
        // again from its own random numbers with every step kept, which costs its time twice.
        o.printf(Locale.ROOT, "steps: %d of %d replications had a violation to show and were"
            + " run again keeping every task's steps, for its interleaving%n", retraced, total);
      }
      if (faultsim.fault.KernelRun.speculateNsSetting() > 0) {
        o.println(String.format(java.util.Locale.ROOT,
            "speculation: %d replications kept it, %d of their %d events run inline; %d run"
                + " again without it; %d more run without it after a conflict in their design",
            Experiment.SPECULATION_KEPT.get(), Experiment.SPECULATION_INLINED.get(),
            Experiment.SPECULATION_EVENTS.get(), Experiment.SPECULATION_FALLBACKS.get(),
            Experiment.SPECULATION_SKIPPED.get()));
        if (!Experiment.SPECULATION_CONFLICTS.isEmpty()) {
          o.println("speculation: first conflict: "
              + Experiment.SPECULATION_CONFLICTS.firstEntry().getValue());
        }
      }
      o.println("results: " + dir);
      return 0;
    }

    private static void printSummary(PrintWriter o, Workload w, List<ReplicationResult> results) {
      o.printf(Locale.ROOT, "%-24s %-16s %14s %12s %12s%n", "design", "job", "ops/s", "p50",
          "p99");
      Map<String, List<ReplicationResult>> byDesign = new LinkedHashMap<>();
      for (ReplicationResult r : results) {
        byDesign.computeIfAbsent(r.design(), k -> new ArrayList<>()).add(r);
      }
      for (var e : byDesign.entrySet()) {
        for (int j = 0; j < e.getValue().get(0).jobs().size(); j++) {
          int jj = j;
          double ops = e.getValue().stream().mapToDouble(r -> r.jobs().get(jj).throughput())
              .average().orElse(0);
          double p50 = e.getValue().stream()
              .mapToDouble(r -> r.jobs().get(jj).latencyNs().getValueAtPercentile(50)).average()
              .orElse(0);
          double p99 = e.getValue().stream()
              .mapToDouble(r -> r.jobs().get(jj).latencyNs().getValueAtPercentile(99)).average()
              .orElse(0);
          o.printf(Locale.ROOT, "%-24s %-16s %14.0f %10.2fus %10.2fus%n", e.getKey(),
              e.getValue().get(0).jobs().get(j).job(), ops, p50 / 1e3, p99 / 1e3);
        }
      }
      for (var e : byDesign.entrySet()) {
        Map<String, Long> totals = new LinkedHashMap<>();
        for (ReplicationResult r : e.getValue()) {
          r.violationCounts().forEach((k, v) -> totals.merge(k, v, Long::sum));
        }
        StringBuilder found = new StringBuilder();
        totals.forEach((k, v) -> {
          if (v > 0) {
            found.append(found.length() == 0 ? "" : ", ").append(k).append(' ').append(v);
          }
        });
        o.printf(Locale.ROOT, "%-24s violations: %s%n", e.getKey(),
            found.length() == 0 ? "none" : found + " (found in "
                + e.getValue().stream().filter(r -> r.violationCounts().values().stream()
                    .anyMatch(c -> c > 0)).count()
                + " of " + e.getValue().size() + " replications; see violations.txt)");
        List<String> stopped = new ArrayList<>();
        for (ReplicationResult r : e.getValue()) {
          Long at = r.vmstat().get(Experiment.DEADLOCKED_AT);
          if (at != null) {
            stopped.add("r" + r.replication() + " at "
                + faultsim.workload.Units.formatTime(at));
          }
        }
        if (!stopped.isEmpty()) {
          o.printf(Locale.ROOT, "%-24s stopped by a deadlock in %d of %d replications (%s);"
              + " their rates are over the time simulated until then%n", e.getKey(),
              stopped.size(), e.getValue().size(), String.join(", ", stopped));
        }
        printNoProgress(o, e.getKey(), e.getValue());
      }
      // The first violation found, drawn as the seed threads draw a race, its culprit first.
      for (ReplicationResult r : results) {
        if (!r.violations().isEmpty()) {
          faultsim.oracle.Violation v = r.violations().get(0);
          o.printf(Locale.ROOT, "%nfirst violation: design %s, replication %d, %s: %s%n",
              r.design(), r.replication(), v.kind(), v.summary());
          o.print(faultsim.oracle.Timeline.columns(v.timeline(), 44));
          break;
        }
      }
    }
  }

  /**
   * The window {@code run --trace} asked for: null without {@code --trace}, the whole run for a
   * bare {@code --trace}.
   */
  static TraceRecorder.Window traceWindow(String trace, Workload w) throws InputException {
    if (trace == null) {
      return null;
    }
    if (trace.isEmpty()) {
      return TraceRecorder.Window.ALL;
    }
    TraceRecorder.Window win;
    try {
      win = TraceRecorder.Window.parse(trace);
    } catch (IllegalArgumentException e) {
      throw new InputException(new Diagnostic("--trace " + trace, 0, 0, e.getMessage()));
    }
    long end = w.spec().rampNs() + w.spec().runtimeNs();
    if (win.fromNs() >= end) {
      throw new InputException(new Diagnostic("--trace " + trace, 0, 0,
          "expected a window that starts before the run ends at "
          + faultsim.workload.Units.formatTime(end) + " (ramp and runtime)"));
    }
    return win;
  }

  /**
   * Takes the argument after {@code --trace} as its window only if it looks like one
   * ({@code FROM..TO}, no path separator, not a workload file), so {@code run --trace
   * file.yaml} still reads the file as the workload.
   */
  static final class TraceWindowConsumer implements CommandLine.IParameterConsumer {
    @Override
    public void consumeParameters(java.util.Stack<String> args, CommandLine.Model.ArgSpec argSpec,
        CommandLine.Model.CommandSpec commandSpec) {
      String next = args.isEmpty() ? null : args.peek();
      if (next != null && next.contains("..") && next.indexOf('/') < 0
          && !next.endsWith(".yaml") && !next.endsWith(".yml") && !next.startsWith("-")) {
        argSpec.setValue(args.pop());
      } else {
        argSpec.setValue("");
      }
    }
  }

  @Command(name = "sweep", description = "Run a workload at every combination of swept values;"
      + " resumes a sweep that was interrupted.")
  static final class SweepCmd implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "Workload file (YAML).")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=V1,V2,...", required = true,
        description = "A key and its values (repeatable; every combination runs; a single value"
            + " fixes the key for every point).")
    List<String> sweep = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
        description = "Sweep directory (default reports/<workload name>-sweep).")
    Path out;

    @Option(names = "--threads", paramLabel = "N", description = "Runs in parallel.")
    Integer threads;

    @Option(names = "--cluster", paramLabel = "HOST:PORT", split = ",", description = "Hand the"
        + " runs to the workers of a cluster (./faultsim worker) reached at these addresses.")
    List<String> cluster = new ArrayList<>();

    @Option(names = "--cluster-name", paramLabel = "N", description = "The workers' cluster"
        + " name (default faultsim-<first 12 hex digits of sha256sum FILE>).")
    String clusterName;

    @Option(names = "--zip", description = "Move the swept keys together: point i takes the"
        + " i-th value of every key with several values (all with the same number), instead of"
        + " every combination; charts put the first of them on the x axis.")
    boolean zip;

    @Override
    public Integer call() throws Exception {
      int n = threads(threads);
      if (!cluster.isEmpty() && threads != null) {
        throw new InputException(new Diagnostic("--threads " + n, 0, 0, "a sweep on a cluster"
            + " runs on its workers' threads; give those with ./faultsim worker --threads"));
      }
      for (String hp : cluster) {
        WorkerCommand.checkHostPort("--cluster", hp);
      }
      Workload w = new WorkloadLoader().load(file, List.of());
      faultsim.run.Sweep.points(sweep, zip);
      Path dir = out != null ? out : Path.of("reports", w.name() + "-sweep");
      PrintWriter o = spec.commandLine().getOut();
      PrintWriter e = spec.commandLine().getErr();
      faultsim.run.Sweep.Listener listener = new faultsim.run.Sweep.Listener() {
        @Override
        public void point(faultsim.run.Sweep.Point p, boolean done, int total) {
          o.printf(Locale.ROOT, "point %d/%d %s%s%n", p.index() + 1, total,
              String.join(" ", p.keys().isEmpty() ? List.of() : pointText(p)),
              done ? " (already done)" : "");
        }

        @Override
        public void stale(faultsim.run.Sweep.Point p, String why, int total) {
          o.printf(Locale.ROOT, "point %d/%d %s: runs again (%s)%n", p.index() + 1, total,
              String.join(" ", pointText(p)), why);
        }

        @Override
        public void rerun(faultsim.run.Sweep.Run run, String reason) {
          e.println("faultsim: re-running " + run + " (" + reason + ")");
        }
      };
      try (faultsim.run.RunPool pool = cluster.isEmpty() ? new faultsim.run.LocalRunPool(n)
          : faultsim.cluster.ClusterRunPool.connect(cluster, clusterName != null ? clusterName
              : faultsim.run.RunKey.defaultClusterName(w.sourceText()))) {
        o.println("sweep: runs on " + pool.describe());
        faultsim.run.Sweep.run(file, List.of(), sweep, zip, dir, pool, -1, listener);
        faultsim.report.Report.render(dir);
      } catch (faultsim.run.RunPoolException ex) {
        e.println("faultsim: " + ex.getMessage() + "; the points written are kept, and the same"
            + " command resumes the sweep");
        return INTERNAL;
      }
      o.println("sweep: " + dir.resolve("sweep.csv"));
      return 0;
    }

    private static List<String> pointText(faultsim.run.Sweep.Point p) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < p.keys().size(); i++) {
        out.add(p.keys().get(i) + "=" + p.values().get(i));
      }
      return out;
    }
  }

  @Command(name = "validate", description = "Check a workload file; print nothing but errors.")
  static final class Validate implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "Workload file (YAML).")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a workload key.")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      Workload w = new WorkloadLoader().load(file, sets);
      faultsim.fault.Designs.compile(w);
      int jobs = w.doc().jobs().size();
      spec.commandLine().getOut().printf(Locale.ROOT, "%s: ok (%d job%s, %d design%s x %d"
          + " replication%s)%n", file, jobs, jobs == 1 ? "" : "s",
          w.designs().size(), w.designs().size() == 1 ? "" : "s", w.replications(),
          w.replications() == 1 ? "" : "s");
      return 0;
    }
  }

  @Command(name = "options", description = "List every workload key with its meaning.")
  static final class OptionsCmd implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().print(Options.format());
      return 0;
    }
  }

  /**
   * One line per job of {@code design} that completed no operation in some replication (the
   * {@code vmstat} row {@link Experiment#JOBS_WITHOUT_PROGRESS}): which, and in which
   * replications.
   */
  private static void printNoProgress(PrintWriter o, String design,
      List<ReplicationResult> reps) {
    Map<String, List<String>> byJob = new LinkedHashMap<>();
    for (ReplicationResult r : reps) {
      for (faultsim.run.JobResult j : r.jobs()) {
        if (j.operations() == 0) {
          byJob.computeIfAbsent(j.job(), k -> new ArrayList<>()).add("r" + r.replication());
        }
      }
    }
    byJob.forEach((job, where) -> o.printf(Locale.ROOT, "%-24s no progress: job %s completed"
        + " no operation in %d of %d replications (%s)%n", design, job, where.size(),
        reps.size(), String.join(", ", where)));
  }
}
