package faultsim.hunt;

import faultsim.engine.RandomStreams;
import faultsim.fault.Designs;
import faultsim.lang.CompiledDesign;
import faultsim.oracle.Violation;
import faultsim.run.Experiment;
import faultsim.run.JobResult;
import faultsim.run.ReplicationResult;
import faultsim.workload.Workload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Searches one design's interleavings on a workload: schedule {@code s} is replication
 * {@code s}'s run (its arrivals drawn from substream {@code s}, as a plain run's replication
 * {@code s}) with tasks delayed at interaction points ({@link Perturbations}), so a hunt varies
 * both what the tasks do and when, and sees at least the interleavings plain replications would.
 * Schedule 0 is replication 0 without delays (it counts the points and measures how long
 * operations take); schedules 1 to N draw their delays from the seed, the design's name and the
 * schedule's number alone. Schedules
 * run in batches on a pool and are read in number order, and the search stops at the first
 * schedule that shows a violation, so the outcome does not depend on the number of threads.
 * Each kind that schedule shows is then shrunk ({@link #shrink}).
 */
public final class Hunt {
  /** How schedules choose their delays. */
  public enum Strategy {
    /**
     * Forces the order of two calls of different tasks that touch the same state ({@link
     * Pairs}): replication {@code r}'s run unperturbed is a schedule, recorded (each call's
     * time and what it touches); the next schedules, up to {@link #PAIRS_PER_RUN}, each draw a
     * pair of it (a call that removes, zaps or changes {@code i_size} against one of another
     * task that reads or maps the same state, an access put inside a remover's window first)
     * and run replication {@code r} again with the earlier call delayed until just after the
     * later one; then replication {@code r + 1}.
     */
    PAIRS,
    /**
     * {@code depth - 1} change points, each a task drawn uniformly among the tasks of the
     * unperturbed run and one of that task's points drawn uniformly among the points it
     * passed there (a task with few points, such as a hole punch beside busy faulting tasks,
     * is as likely to be delayed as any, as PCT's random priorities make every thread as likely
     * to be the one lowered); the task is delayed there for a time drawn log-uniformly between
     * {@link #MIN_DELAY_NS} and the longest operation of the unperturbed run (at least twice
     * that).
     */
    PCT,
    /** Every point delayed with probability {@link #RANDOM_P}, by a delay drawn as PCT's. */
    RANDOM;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Pair schedules run on a replication after its unperturbed, recorded run, at most. */
  public static final int PAIRS_PER_RUN = 7;
  /** The shortest delay drawn: a few microseconds, long enough for others to overtake. */
  public static final long MIN_DELAY_NS = 2_000;
  /** The random strategy's probability of delaying a point. */
  public static final double RANDOM_P = 0.001;
  /** Runs one finding's shrinking may take, at most. */
  public static final int SHRINK_RUNS = 400;

  /** How a hunt runs. */
  public record Settings(Strategy strategy, int schedules, int depth, long seed) {
    public Settings {
      if (schedules < 1 || depth < 1) {
        throw new IllegalArgumentException("schedules and depth must be >= 1");
      }
    }
  }

  /**
   * A violation kind a hunt found.
   *
   * @param schedule the first schedule that showed it (0: the run without delays)
   * @param replication the replication whose arrivals that schedule's run draws ({@code
   *     schedule} itself under pct and random)
   * @param found the delays of that schedule
   * @param shrunk the delays left after shrinking, which still show the kind
   * @param violation the first violation of the kind in the run with the shrunk delays
   * @param text that violation as {@link #text} writes it
   */
  public record Finding(String kind, int schedule, int replication, List<Point> found,
      List<Point> shrunk, Violation violation, String text) {}

  /**
   * One design's hunt.
   *
   * @param points interaction points of the run without delays
   * @param maxDelayNs the longest delay drawn (pairs: the longest given)
   * @param schedulesRun schedules run (not counting the one without delays)
   * @param findings by kind, in {@link Violation#KINDS} order
   */
  public record DesignResult(String design, long points, long maxDelayNs, int schedulesRun,
      Map<String, Finding> findings) {}

  private final Workload w;
  private final CompiledDesign design;
  private final String label;
  private final Settings settings;
  private final ExecutorService pool;
  private final int batch;
  private final RandomStreams base;
  /** The one kind the search stops at, or null for any. */
  private String only;
  private boolean shrinking = true;

  /**
   * @param batch schedules run at once (the pool's threads)
   */
  public Hunt(Workload w, CompiledDesign design, Settings settings, ExecutorService pool,
      int batch) {
    this(w, design, design.name(), settings, pool, batch);
  }

  /**
   * @param w the workload as the design's entry runs it (with the entry's settings)
   * @param label what results call the design (the entry's {@code as:}, else its name)
   * @param batch schedules run at once (the pool's threads)
   */
  public Hunt(Workload w, CompiledDesign design, String label, Settings settings,
      ExecutorService pool, int batch) {
    this.w = w;
    this.design = design;
    this.label = label;
    this.settings = settings;
    this.pool = pool;
    this.batch = Math.max(1, batch);
    this.base = Experiment.streams(w);
  }

  /**
   * Searches for {@code kind} alone: the search goes on past schedules that show only other
   * kinds, and reports only this one (for measuring how soon each race is found).
   */
  Hunt only(String kind) {
    this.only = kind;
    return this;
  }

  /** Reports findings unshrunk (their found delays as shrunk), saving the shrinking runs. */
  Hunt withoutShrinking() {
    this.shrinking = false;
    return this;
  }

  /** Runs the search, then shrinks what it found. */
  public DesignResult run() throws InterruptedException {
    if (settings.strategy() == Strategy.PAIRS) {
      return runPairs();
    }
    Perturbations.Counting counter = new Perturbations.Counting();
    ReplicationResult plain = runWith(counter, 0);
    long points = counter.points();
    Map<String, Long> perTask = counter.perTask();
    long maxDelay = longestOperation(plain);
    Perturbations.DelayRange delays = new Perturbations.DelayRange(MIN_DELAY_NS, maxDelay);
    int schedule = 0;
    ReplicationResult hit = shows(plain) ? plain : null;
    List<Point> hitPoints = List.of();
    while (hit == null && schedule < settings.schedules()) {
      int from = schedule + 1;
      int to = Math.min(settings.schedules(), schedule + batch);
      List<Perturbations.Recording> ps = new ArrayList<>();
      for (int s = from; s <= to; s++) {
        ps.add(perturbation(s, points, perTask, delays));
      }
      List<ReplicationResult> rs = runAll(ps, from);
      for (int i = 0; i < rs.size(); i++) {
        schedule = from + i;
        if (shows(rs.get(i))) {
          hit = rs.get(i);
          hitPoints = ps.get(i).applied();
          break;
        }
      }
    }
    return new DesignResult(label, points, maxDelay, schedule,
        findings(hit, schedule, schedule, hitPoints));
  }

  /** Each kind {@code hit} (schedule {@code schedule}'s run, or null) shows, shrunk. */
  private Map<String, Finding> findings(ReplicationResult hit, int schedule, int replication,
      List<Point> hitPoints) throws InterruptedException {
    Map<String, Finding> findings = new LinkedHashMap<>();
    if (hit != null) {
      for (String kind : Violation.KINDS) {
        if (count(hit, kind) == 0 || (only != null && !only.equals(kind))) {
          continue;
        }
        if (shrinking) {
          findings.put(kind, shrink(kind, schedule, replication, hitPoints, hit));
        } else {
          Violation v = first(hit, kind);
          findings.put(kind, new Finding(kind, schedule, replication, hitPoints, hitPoints, v,
              text(v)));
        }
      }
    }
    return findings;
  }

  /**
   * The pairs search: rounds of one recorded unperturbed run of a replication (replication 0's
   * is schedule 0, the next replication's follows the last pair schedule of the round), then
   * as many pair schedules on it as its recording is worth ({@link Pairs.Plan#schedules}, at
   * most {@link #PAIRS_PER_RUN}), each with one delay computed from the recording. A batch holds
   * the round's remaining pair schedules and the next replication's recording, in number
   * order, so the schedules do not depend on the pool.
   */
  private DesignResult runPairs() throws InterruptedException {
    Pairs.Observed recorded = new Pairs.Observed();
    ReplicationResult plain = runWith(recorded, 0);
    long points = recorded.points();
    Pairs.Plan plan = recorded.plan();
    long cap = longestOperation(plain);
    int round = 0;
    int roundStart = 0;
    int firstGroup = firstGroup(0);
    int last = plan.schedules(PAIRS_PER_RUN);
    long maxDelay = 0;
    int schedule = 0;
    ReplicationResult hit = shows(plain) ? plain : null;
    List<Point> hitPoints = List.of();
    int hitReplication = 0;
    while (hit == null && schedule < settings.schedules()) {
      int from = schedule + 1;
      List<Perturbations.Recording> ps = new ArrayList<>();
      List<Integer> reps = new ArrayList<>();
      for (int s = from; s <= settings.schedules() && ps.size() < batch; s++) {
        if (s <= last) {
          Point p = plan.draw(new SplittableRandom(mix(settings.seed(), label, s)),
              firstGroup, s - roundStart - 1, cap);
          ps.add(Perturbations.replay(p == null ? List.of() : List.of(p)));
          reps.add(round);
        } else {
          ps.add(new Pairs.Observed());
          reps.add(round + 1);
          break;
        }
      }
      List<ReplicationResult> rs = runOn(ps, reps);
      for (int i = 0; i < rs.size(); i++) {
        schedule = from + i;
        for (Point p : ps.get(i).applied()) {
          maxDelay = Math.max(maxDelay, p.delayNs());
        }
        if (ps.get(i) instanceof Pairs.Observed o) {
          plan = o.plan();
          cap = longestOperation(rs.get(i));
          round = reps.get(i);
          roundStart = schedule;
          firstGroup = firstGroup(schedule);
          last = schedule + plan.schedules(PAIRS_PER_RUN);
        }
        if (shows(rs.get(i))) {
          hit = rs.get(i);
          hitPoints = ps.get(i).applied();
          hitReplication = reps.get(i);
          break;
        }
      }
    }
    return new DesignResult(label, points, maxDelay, schedule,
        findings(hit, schedule, hitReplication, hitPoints));
  }

  /**
   * The longest delay a schedule gives on runs like {@code r}: its longest operation, at least
   * twice {@link #MIN_DELAY_NS}.
   */
  private static long longestOperation(ReplicationResult r) {
    long max = MIN_DELAY_NS * 2;
    for (JobResult j : r.jobs()) {
      max = Math.max(max, j.latencyNs().getMaxValue());
    }
    return max;
  }

  /** The window group a round of pair schedules starts at, drawn from its first schedule. */
  private int firstGroup(int roundStart) {
    return new SplittableRandom(mix(settings.seed(), label, roundStart)).nextInt(1 << 20);
  }

  /** Schedule {@code s}'s perturbation: drawn from the seed, the design and {@code s} alone. */
  Perturbations.Recording perturbation(int s, long points, Map<String, Long> perTask,
      Perturbations.DelayRange delays) {
    SplittableRandom rnd = new SplittableRandom(mix(settings.seed(), label, s));
    if (settings.strategy() == Strategy.RANDOM) {
      return Perturbations.random(rnd, RANDOM_P, delays);
    }
    List<String> tasks = new ArrayList<>(perTask.keySet());
    Map<String, Map<Long, Long>> at = new java.util.TreeMap<>();
    int n = (int) Math.min(settings.depth() - 1, points);
    int k = 0;
    while (k < n) {
      String task = tasks.get(rnd.nextInt(tasks.size()));
      long ordinal = 1 + rnd.nextLong(perTask.get(task));
      long d = delays.draw(rnd);
      if (at.computeIfAbsent(task, x -> new java.util.TreeMap<>()).putIfAbsent(ordinal, d)
          == null) {
        k++;
      }
    }
    return Perturbations.atTaskPoints(at);
  }

  private static long mix(long seed, String design, int schedule) {
    long h = seed * 0x9E3779B97F4A7C15L + design.hashCode();
    h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + schedule;
    return h ^ (h >>> 29);
  }

  /**
   * Delta debugging (Zeller's ddmin) of {@code found} for {@code kind}: drops chunks of the
   * list, and keeps the rest, while the run still shows the kind; then halves each delay while
   * it still does. At most {@link #SHRINK_RUNS} runs; candidates of one round run in parallel
   * and the first in order that still shows the kind is taken, so the result does not depend on
   * the pool.
   */
  Finding shrink(String kind, int schedule, int replication, List<Point> found,
      ReplicationResult foundRun) throws InterruptedException {
    int[] budget = {SHRINK_RUNS};
    Map<List<Point>, ReplicationResult> kept = new java.util.HashMap<>();
    kept.put(found, foundRun);
    List<Point> c = DeltaDebug.ddmin(found, candidates -> {
      List<ReplicationResult> rs = runAll(candidates.stream().map(Perturbations::replay)
          .toList(), replication, 0);
      for (int i = 0; i < rs.size(); i++) {
        if (count(rs.get(i), kind) > 0) {
          kept.put(candidates.get(i), rs.get(i));
          return i;
        }
      }
      return -1;
    }, budget);
    ReplicationResult last = kept.get(c);
    List<Point> cur = new ArrayList<>(c);
    for (int i = 0; i < cur.size() && budget[0] > 0; i++) {
      while (cur.get(i).delayNs() > 1 && budget[0] > 0) {
        List<Point> tryList = new ArrayList<>(cur);
        tryList.set(i, cur.get(i).withDelay(cur.get(i).delayNs() / 2));
        budget[0]--;
        ReplicationResult r = runWith(Perturbations.replay(tryList), replication);
        if (count(r, kind) == 0) {
          break;
        }
        cur = tryList;
        last = r;
      }
    }
    if (cur.equals(found)) {
      // The found list replayed by task and ordinal: the run a replay of the schedule makes.
      last = runWith(Perturbations.replay(cur), replication);
    }
    Violation v = first(last, kind);
    return new Finding(kind, schedule, replication, found, List.copyOf(cur), v, text(v));
  }

  private boolean shows(ReplicationResult r) {
    return only != null ? count(r, only) > 0
        : r.violationCounts().values().stream().anyMatch(v -> v > 0);
  }

  private static long count(ReplicationResult r, String kind) {
    return r.violationCounts().getOrDefault(kind, 0L);
  }

  private static Violation first(ReplicationResult r, String kind) {
    for (Violation v : r.violations()) {
      if (v.kind().equals(kind)) {
        return v;
      }
    }
    throw new IllegalStateException("the run counted " + kind + " but kept none");
  }

  /**
   * A violation as {@code violations.txt} writes one: {@code KIND t=Tns: summary}, then its
   * interleaving.
   */
  public static String text(Violation v) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s t=%dns%s%n", v.kind(), v.timeNs(),
        v.summary().matches("task \\S+: .*") ? " " + v.summary() : ": " + v.summary()));
    if (!v.timeline().isEmpty()) {
      sb.append(v.timeline()).append('\n');
    }
    return sb.toString();
  }

  /** Replication {@code r} of the design with {@code p}; streams positioned on this thread. */
  ReplicationResult runWith(Perturbations.Recording p, int r) {
    return run(w, design, p, r, base.forReplication(r));
  }

  /** Replication {@code r} of {@code d} on {@code w} with the perturbation {@code p}. */
  public static ReplicationResult run(Workload w, CompiledDesign d,
      faultsim.lang.Perturbation p, int r, RandomStreams streams) {
    return Experiment.runOne(w, d.name(), Designs.binding(d, () -> p), r, streams);
  }

  /** Each of {@code ps} on replication {@code from + i} (its schedule's own arrivals). */
  private List<ReplicationResult> runAll(List<Perturbations.Recording> ps, int from)
      throws InterruptedException {
    return runAll(ps, from, 1);
  }

  /**
   * {@code ps.get(i)} on replication {@code from + i * step}: {@code step} 1 runs schedules on
   * their own arrivals, 0 runs shrinking's candidates all on the finding's.
   */
  private List<ReplicationResult> runAll(List<Perturbations.Recording> ps, int from, int step)
      throws InterruptedException {
    List<Integer> reps = new ArrayList<>();
    for (int i = 0; i < ps.size(); i++) {
      reps.add(from + i * step);
    }
    return runOn(ps, reps);
  }

  /** {@code ps.get(i)} on replication {@code reps.get(i)}, on the pool, answered in order. */
  private List<ReplicationResult> runOn(List<Perturbations.Recording> ps, List<Integer> reps)
      throws InterruptedException {
    List<RandomStreams> streams = new ArrayList<>();
    for (int r : reps) {
      streams.add(base.forReplication(r));
    }
    List<Future<ReplicationResult>> fs = new ArrayList<>();
    for (int i = 0; i < ps.size(); i++) {
      Perturbations.Recording p = ps.get(i);
      RandomStreams s = streams.get(i);
      int r = reps.get(i);
      fs.add(pool.submit(() -> run(w, design, p, r, s)));
    }
    List<ReplicationResult> out = new ArrayList<>();
    for (Future<ReplicationResult> f : fs) {
      try {
        out.add(f.get());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw new IllegalStateException(e.getCause());
      }
    }
    return out;
  }
}
