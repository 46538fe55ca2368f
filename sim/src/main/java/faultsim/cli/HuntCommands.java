package faultsim.cli;

import faultsim.fault.Designs;
import faultsim.hunt.Hunt;
import faultsim.hunt.HuntReport;
import faultsim.hunt.Replay;
import faultsim.hunt.Schedule;
import faultsim.oracle.Timeline;
import faultsim.oracle.Violation;
import faultsim.results.OutputTarget;
import faultsim.results.ResultsWriter;
import faultsim.run.LocalRunPool;
import faultsim.run.RunKey;
import faultsim.run.RunPool;
import faultsim.run.RunPoolException;
import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hunt} (search a design's interleavings for violations) and {@code replay}. */
final class HuntCommands {
  private HuntCommands() {}

  @Command(name = "hunt", description = "Search each design's interleavings for violations by"
      + " delaying tasks at interaction points; write a replayable schedule per violation kind.")
  static final class HuntCmd implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "Workload file (YAML).")
    Path file;

    @Option(names = "--design", paramLabel = "D", description = "Design(s) to hunt in instead"
        + " of the file's designs list (repeatable).")
    List<String> designs = new ArrayList<>();

    @Option(names = "--schedules", paramLabel = "N", description = "Schedules per design at"
        + " most (default 50).")
    int schedules = 50;

    @Option(names = "--strategy", paramLabel = "S", description = "pairs (default: force the"
        + " order of two tasks' accesses to the same state), pct or random.")
    String strategy = "pairs";

    @Option(names = "--depth", paramLabel = "d", description = "PCT depth: d-1 delays per"
        + " schedule (default 3).")
    int depth = 3;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the delays (default:"
        + " the workload's randseed).")
    Long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
        description = "Override a workload key, e.g. global.runtime=1ms (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
        description = "Results directory (default reports/<workload name>-hunt).")
    Path out;

    @Option(names = "--threads", paramLabel = "N",
        description = "Schedules run in parallel (default: available processors).")
    Integer threads;

    @Option(names = "--cluster", paramLabel = "HOST:PORT", split = ",", description = "Hand the"
        + " schedules to the workers of a cluster (./faultsim worker) reached at these"
        + " addresses; shrinking runs here.")
    List<String> cluster = new ArrayList<>();

    @Option(names = "--cluster-name", paramLabel = "N", description = "The workers' cluster"
        + " name (default faultsim-<first 12 hex digits of sha256sum FILE>).")
    String clusterName;

    @Override
    public Integer call() throws Exception {
      Hunt.Strategy st = switch (strategy) {
        case "pairs" -> Hunt.Strategy.PAIRS;
        case "pct" -> Hunt.Strategy.PCT;
        case "random" -> Hunt.Strategy.RANDOM;
        default -> throw new InputException(new Diagnostic("--strategy " + strategy, 0, 0,
            "expected pairs, pct or random"));
      };
      if (schedules < 1) {
        throw new InputException(new Diagnostic("--schedules " + schedules, 0, 0,
            "expected a number of schedules >= 1"));
      }
      if (depth < 1) {
        throw new InputException(new Diagnostic("--depth " + depth, 0, 0,
            "expected a depth >= 1"));
      }
      int n = Main.threads(threads);
      if (!cluster.isEmpty() && threads != null) {
        throw new InputException(new Diagnostic("--threads " + n, 0, 0, "a hunt on a cluster"
            + " runs on its workers' threads; give those with ./faultsim worker --threads"));
      }
      for (String hp : cluster) {
        WorkerCommand.checkHostPort("--cluster", hp);
      }
      List<String> all = new ArrayList<>(sets);
      WorkloadLoader loader = new WorkloadLoader();
      Main.designOverride(designs, all, loader);
      Workload w = loader.load(file, all);
      if (!w.hasKernelJobs()) {
        throw new InputException(new Diagnostic(file.toString(), 1, 1, "hunt needs kernel jobs"
            + " (fault or operation jobs) that run a design; this workload has none"));
      }
      // Each entry under its label, on the workload with its own settings; a schedule names the
      // design as given and adds the entry's settings to the recorded --set overrides.
      List<Designs.Labelled> entries = Designs.labelled(w);
      Map<String, HuntReport.Entry> asGiven = new LinkedHashMap<>();
      for (int i = 0; i < entries.size(); i++) {
        asGiven.put(entries.get(i).label(), new HuntReport.Entry(w.designs().get(i).design(),
            w.designs().get(i).sets()));
      }
      Hunt.Settings settings = new Hunt.Settings(st, schedules, depth,
          seed != null ? seed : w.seed());
      // The recorded overrides are the user's --set and the designs, so a replay loads the same.
      Path dir = out != null ? out : Path.of("reports", w.name() + "-hunt");
      HuntReport.Request q = new HuntReport.Request(file.toString(), sets, asGiven, settings,
          dir.toString());
      PrintWriter o = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try (OutputTarget target = OutputTarget.claim(dir, out != null ? "--out " + out
          : dir + " (the workload's name under reports/, with -hunt)", true)) {
        long t0 = System.nanoTime();
        List<Hunt.DesignResult> results = new ArrayList<>();
        // The workers load the workload from its text with the same overrides (the designs
        // included) and find each entry by its label.
        Hunt.Source source = new Hunt.Source(w.file(), w.sourceText(), all);
        Map<String, Object> info = new LinkedHashMap<>();
        try (RunPool pool = cluster.isEmpty() ? new LocalRunPool(n)
            : faultsim.cluster.ClusterRunPool.connect(cluster, clusterName != null ? clusterName
                : RunKey.defaultClusterName(w.sourceText()))) {
          if (!cluster.isEmpty()) {
            o.println("hunt: schedules run on " + pool.describe());
          }
          for (Designs.Labelled e : entries) {
            Hunt.DesignResult r = new Hunt(e.workload(), e.design(), e.label(), source,
                settings, pool).run();
            results.add(r);
            print(o, r, settings);
          }
          info.put("wall_seconds", Math.round((System.nanoTime() - t0) / 1e6) / 1000.0);
          info.putAll(pool.manifestInfo());
        } catch (RunPoolException ex) {
          err.println("faultsim: " + ex.getMessage() + "; nothing was written, and the same"
              + " command runs the hunt again");
          return Main.INTERNAL;
        }
        ResultsWriter.writeDirectory(target, tmp -> {
          HuntReport.write(tmp, w, q, results, info);
          faultsim.report.Report.finisher(err).finish(tmp);
        });
      }
      o.println("results: " + dir);
      return 0;
    }

    private static void print(PrintWriter o, Hunt.DesignResult r, Hunt.Settings s) {
      if (r.findings().isEmpty()) {
        o.printf(Locale.ROOT, "%-24s no violation in %d schedules (%d interaction points)%n",
            r.design(), r.schedulesRun(), r.points());
        return;
      }
      for (Hunt.Finding f : r.findings().values()) {
        o.printf(Locale.ROOT, "%-24s %-16s found after %d schedule%s, perturbations %d -> %d%n",
            r.design(), f.kind(), f.schedule(), f.schedule() == 1 ? "" : "s",
            f.found().size(), f.shrunk().size());
      }
      List<String> missing = new ArrayList<>(Violation.KINDS);
      missing.removeAll(r.findings().keySet());
      o.printf(Locale.ROOT, "%-24s not found: %s (the search stops at the first violating"
          + " schedule)%n", r.design(), String.join(", ", missing));
    }
  }

  @Command(name = "replay", description = "Run a schedule file's run again and print its"
      + " violation with the interleaving.")
  static final class ReplayCmd implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "Schedule file written by hunt.")
    Path file;

    @Override
    public Integer call() throws Exception {
      Schedule s = Schedule.read(file);
      Replay.Outcome r = Replay.run(s, file.toString());
      PrintWriter o = spec.commandLine().getOut();
      o.printf(Locale.ROOT, "replay: design %s, %d perturbation%s, kind %s%n", s.design(),
          s.points().size(), s.points().size() == 1 ? "" : "s", s.kind());
      if (r.violation() == null) {
        o.println("replay: the run shows no " + s.kind() + " violation");
        return 1;
      }
      o.print(Hunt.text(r.violation()));
      o.println();
      o.print(Timeline.columns(r.violation().timeline(), 44));
      return 0;
    }
  }
}
