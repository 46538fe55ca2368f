package faultsim.hunt;

import faultsim.fault.Designs;
import faultsim.lang.CompiledDesign;
import faultsim.run.Experiment;
import faultsim.run.ReplicationResult;
import faultsim.workload.InputException;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How many runs a hunt needs to find a race, against how many plain replications show it: for
 * each race ({@code workload:design:kind}) and each seed, the workload with that
 * {@code global.randseed} (so hunt and plain runs draw the same arrivals), the runs up to and
 * including the first that shows the kind: {@code s + 1} for a hunt whose schedule {@code s}
 * shows it (schedule 0 is the unperturbed replication 0), {@code r + 1} for plain replication
 * {@code r}. A race not seen within the budget counts as the budget plus one, marked
 * {@code >}. The ratio is the plain mean over the hunt mean: above 1 the hunt is faster.
 * Run by {@code scripts/hunt-table.sh}.
 */
public final class HuntTable {
  private HuntTable() {}

  /**
   * One race: the workload file, the design, the oracle kind that shows it, and settings of
   * its own (a longer runtime for a hang, say) applied after the table's runtime.
   */
  record Race(String workload, String design, String kind, List<String> sets) {}

  /**
   * Arguments: {@code --seeds 1,2,3} {@code --runtime 100us} {@code --schedules N} (the hunt's
   * budget) {@code --plain N} (the plain budget) {@code --strategy S} {@code --threads N}, then
   * the races as {@code workload:design:kind}, optionally followed by {@code :key=value;...}.
   */
  public static void main(String[] args) throws Exception {
    List<Long> seeds = List.of(1L, 2L, 3L, 4L, 5L);
    String runtime = "100us";
    int schedules = 50;
    int plainMax = 200;
    int threads = Runtime.getRuntime().availableProcessors();
    Hunt.Strategy strategy = Hunt.Strategy.PAIRS;
    List<Race> races = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seeds" -> seeds = java.util.Arrays.stream(args[++i].split(","))
            .map(Long::parseLong).toList();
        case "--runtime" -> runtime = args[++i];
        case "--schedules" -> schedules = Integer.parseInt(args[++i]);
        case "--plain" -> plainMax = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--strategy" -> strategy = Hunt.Strategy.valueOf(
            args[++i].toUpperCase(Locale.ROOT));
        default -> {
          String[] f = args[i].split(":");
          if (f.length != 3 && f.length != 4) {
            throw new IllegalArgumentException("expected workload:design:kind[:key=value;...],"
                + " was " + args[i]);
          }
          races.add(new Race(f[0], f[1], f[2], f.length == 4 ? List.of(f[3].split(";"))
              : List.of()));
        }
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "faultsim-hunt-table");
      t.setDaemon(true);
      return t;
    });
    faultsim.run.LocalRunPool runs = new faultsim.run.LocalRunPool(threads);
    System.out.printf(Locale.ROOT, "# strategy %s, runtime %s, seeds %s; runs to the first"
        + " that shows the race (hunt: schedule + 1, budget %d; plain: replication + 1,"
        + " budget %d)%n", strategy.key(), runtime, seeds, schedules, plainMax);
    System.out.printf(Locale.ROOT, "%-28s %-28s %-16s %-26s %-26s %8s %8s %7s%n", "workload",
        "design", "kind", "hunt runs per seed", "plain runs per seed", "hunt", "plain",
        "ratio");
    for (Race race : races) {
      List<String> hunts = new ArrayList<>();
      List<String> plains = new ArrayList<>();
      double hsum = 0;
      double psum = 0;
      for (long seed : seeds) {
        Workload w = load(race, runtime, seed);
        CompiledDesign d = Designs.load(race.design(), w);
        Hunt.DesignResult r = new Hunt(w, d, sets(race, runtime, seed),
            new Hunt.Settings(strategy, schedules, 3, seed), runs).only(race.kind())
            .withoutShrinking().run();
        Hunt.Finding f = r.findings().get(race.kind());
        int h = f == null ? schedules + 2 : f.schedule() + 1;
        hunts.add((f == null ? ">" + (schedules + 1) : Integer.toString(h)));
        hsum += h;
        int p = plain(w, d, race.kind(), plainMax, pool, threads);
        plains.add(p > plainMax ? ">" + plainMax : Integer.toString(p));
        psum += p;
      }
      double hm = hsum / seeds.size();
      double pm = psum / seeds.size();
      System.out.printf(Locale.ROOT, "%-28s %-28s %-16s %-26s %-26s %8.2f %8.2f %7.2f%n",
          Path.of(race.workload()).getFileName(), race.design(), race.kind(),
          String.join(",", hunts), String.join(",", plains), hm, pm, pm / hm);
    }
    pool.shutdownNow();
    runs.close();
  }

  private static Workload load(Race race, String runtime, long seed) throws InputException {
    return new WorkloadLoader().load(Path.of(race.workload()), sets(race, runtime, seed));
  }

  private static List<String> sets(Race race, String runtime, long seed) {
    List<String> sets = new ArrayList<>(List.of("global.runtime=" + runtime,
        "global.randseed=" + seed));
    sets.addAll(race.sets());
    return sets;
  }

  /** Plain replications up to the first that shows {@code kind}: its number plus one. */
  static int plain(Workload w, CompiledDesign d, String kind, int max, ExecutorService pool,
      int batch) throws InterruptedException {
    faultsim.engine.RandomStreams base = Experiment.streams(w);
    for (int from = 0; from < max; from += batch) {
      List<Future<ReplicationResult>> fs = new ArrayList<>();
      for (int r = from; r < Math.min(max, from + batch); r++) {
        faultsim.engine.RandomStreams s = base.forReplication(r);
        int rep = r;
        fs.add(pool.submit(() -> Hunt.run(w, d, null, rep, s)));
      }
      for (int i = 0; i < fs.size(); i++) {
        try {
          if (fs.get(i).get().violationCounts().getOrDefault(kind, 0L) > 0) {
            for (Future<ReplicationResult> rest : fs) {
              rest.cancel(true);
            }
            return from + i + 1;
          }
        } catch (ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
      }
    }
    return max + 1;
  }
}
