package faultsim.hunt;

import faultsim.engine.RandomStreams;
import faultsim.fault.Designs;
import faultsim.lang.CompiledDesign;
import faultsim.oracle.Violation;
import faultsim.run.Experiment;
import faultsim.run.JobResult;
import faultsim.run.ReplicationResult;
import faultsim.run.RunPool;
import faultsim.run.RunPoolException;
import faultsim.workload.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Searches one design's interleavings on a workload: schedule {@code s} is replication
 * {@code s}'s run (its arrivals drawn from substream {@code s}, as a plain run's replication
 * {@code s}) with tasks delayed at interaction points ({@link Perturbations}), so a hunt varies
 * both what the tasks do and when, and sees at least the interleavings plain replications would.
 * Schedule 0 is replication 0 without delays (it counts the points and measures how long
 * operations take); schedules 1 to N draw their delays from the seed, the design's name and the
 * schedule's number alone. Schedules
 * run in batches on a {@link RunPool} (this machine's threads or a cluster's workers, each
 * schedule a {@link HuntTask} of plain values) and are read in number order whatever order
 * they finish in, and the search stops at the first schedule that shows a violation, so the
 * outcome depends neither on the number of threads nor on where the schedules ran. Each kind
 * that schedule shows is then shrunk ({@link #shrink}).
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

  /** Times a schedule may be lost with the worker running it before the hunt gives up. */
  static final int MAX_LOSSES = 3;

  /**
   * The workload as a worker rebuilds it: the file's name and text and the overrides it was
   * loaded with (the designs an entry is looked up among included).
   */
  public record Source(String file, String text, List<String> sets) {
    public Source {
      sets = List.copyOf(sets);
    }
  }

  private final Workload w;
  private final CompiledDesign design;
  private final String label;
  private final Source source;
  private final Settings settings;
  private final RunPool pool;
  private final RandomStreams base;
  /** Names this hunt to the hosts that run its schedules ({@link HuntTask}). */
  private final String id = java.util.UUID.randomUUID().toString();
  /** The one kind the search stops at, or null for any. */
  private String only;
  private boolean shrinking = true;

  /**
   * A hunt of {@code design}, one of the designs of {@code w} (loaded with {@code sets}).
   */
  public Hunt(Workload w, CompiledDesign design, List<String> sets, Settings settings,
      RunPool pool) {
    this(w, design, design.name(), new Source(w.file(), w.sourceText(), sets), settings, pool);
  }

  /**
   * @param w the workload as the design's entry runs it (with the entry's settings)
   * @param label what results call the design (the entry's {@code as:}, else its name)
   * @param source the workload the entry belongs to, as a worker loads it to find the entry
   */
  public Hunt(Workload w, CompiledDesign design, String label, Source source, Settings settings,
      RunPool pool) {
    this.w = w;
    this.design = design;
    this.label = label;
    this.source = source;
    this.settings = settings;
    this.pool = pool;
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
    HuntTask.Outcome counted = runOn(List.of(new HuntTask.Count()), List.of(0)).get(0);
    ReplicationResult plain = counted.run();
    long points = counted.points();
    Map<String, Long> perTask = counted.perTask();
    long maxDelay = longestOperation(plain);
    Perturbations.DelayRange delays = new Perturbations.DelayRange(MIN_DELAY_NS, maxDelay);
    int schedule = 0;
    ReplicationResult hit = shows(plain) ? plain : null;
    List<Point> hitPoints = List.of();
    while (hit == null && schedule < settings.schedules()) {
      int from = schedule + 1;
      int to = Math.min(settings.schedules(), schedule + batch());
      List<HuntTask.Delays> ps = new ArrayList<>();
      List<Integer> reps = new ArrayList<>();
      for (int s = from; s <= to; s++) {
        ps.add(perturbation(s, points, perTask, delays));
        reps.add(s);
      }
      List<HuntTask.Outcome> rs = runOn(ps, reps);
      for (int i = 0; i < rs.size(); i++) {
        schedule = from + i;
        if (shows(rs.get(i).run())) {
          hit = rs.get(i).run();
          hitPoints = rs.get(i).applied();
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
    HuntTask.Outcome recorded = runOn(List.of(new HuntTask.Observe(settings.seed(), 0,
        PAIRS_PER_RUN)), List.of(0)).get(0);
    ReplicationResult plain = recorded.run();
    long points = recorded.points();
    // The round's pair schedules, drawn from its recorded run where that ran.
    List<List<Point>> draws = recorded.draws();
    int round = 0;
    int roundStart = 0;
    int last = draws.size();
    long maxDelay = 0;
    int schedule = 0;
    ReplicationResult hit = shows(plain) ? plain : null;
    List<Point> hitPoints = List.of();
    int hitReplication = 0;
    while (hit == null && schedule < settings.schedules()) {
      int from = schedule + 1;
      int batch = batch();
      List<HuntTask.Delays> ps = new ArrayList<>();
      List<Integer> reps = new ArrayList<>();
      for (int s = from; s <= settings.schedules() && ps.size() < batch; s++) {
        if (s <= last) {
          ps.add(new HuntTask.Replay(draws.get(s - roundStart - 1)));
          reps.add(round);
        } else {
          ps.add(new HuntTask.Observe(settings.seed(), s, PAIRS_PER_RUN));
          reps.add(round + 1);
          break;
        }
      }
      List<HuntTask.Outcome> rs = runOn(ps, reps);
      for (int i = 0; i < rs.size(); i++) {
        schedule = from + i;
        for (Point p : rs.get(i).applied()) {
          maxDelay = Math.max(maxDelay, p.delayNs());
        }
        if (ps.get(i) instanceof HuntTask.Observe) {
          draws = rs.get(i).draws();
          round = reps.get(i);
          roundStart = schedule;
          last = schedule + draws.size();
        }
        if (shows(rs.get(i).run())) {
          hit = rs.get(i).run();
          hitPoints = rs.get(i).applied();
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
  static long longestOperation(ReplicationResult r) {
    long max = MIN_DELAY_NS * 2;
    for (JobResult j : r.jobs()) {
      max = Math.max(max, j.latencyNs().getMaxValue());
    }
    return max;
  }

  /**
   * The window group a round of pair schedules starts at, drawn from the hunt's seed, the
   * design's label and the round's first schedule.
   */
  static int firstGroup(long seed, String label, int roundStart) {
    return new SplittableRandom(mix(seed, label, roundStart)).nextInt(1 << 20);
  }

  /** Schedule {@code s}'s delays: drawn from the seed, the design and {@code s} alone. */
  HuntTask.Delays perturbation(int s, long points, Map<String, Long> perTask,
      Perturbations.DelayRange delays) {
    long seed = mix(settings.seed(), label, s);
    if (settings.strategy() == Strategy.RANDOM) {
      return new HuntTask.RandomDelays(seed, RANDOM_P, delays.lo(), delays.hi());
    }
    SplittableRandom rnd = new SplittableRandom(seed);
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
    return new HuntTask.AtTaskPoints(at);
  }

  static long mix(long seed, String design, int schedule) {
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
      List<HuntTask.Delays> ds = new ArrayList<>();
      List<Integer> reps = new ArrayList<>();
      for (List<Point> c2 : candidates) {
        ds.add(new HuntTask.Replay(c2));
        reps.add(replication);
      }
      List<HuntTask.Outcome> rs = runOn(ds, reps);
      for (int i = 0; i < rs.size(); i++) {
        if (count(rs.get(i).run(), kind) > 0) {
          kept.put(candidates.get(i), rs.get(i).run());
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

  /**
   * Schedules run at once: one per thread of the pool (which keeps two per thread in flight, for
   * work that is taken as it finishes; a batch is read only when whole, and schedules past a
   * violation are run for nothing), at least one.
   */
  private int batch() {
    return Math.max(1, pool.capacity() / 2);
  }

  /**
   * {@code ps.get(i)} on replication {@code reps.get(i)}, on the pool, answered in order; a
   * schedule lost with the worker running it is run again, at most {@link #MAX_LOSSES} times.
   */
  private List<HuntTask.Outcome> runOn(List<HuntTask.Delays> ps, List<Integer> reps)
      throws InterruptedException {
    HuntTask.Resolved here = new HuntTask.Resolved(w, design, base);
    List<HuntTask> tasks = new ArrayList<>();
    List<Future<byte[]>> fs = new ArrayList<>();
    for (int i = 0; i < ps.size(); i++) {
      HuntTask t = new HuntTask(id, source.file(), source.text(), source.sets(), label,
          reps.get(i), ps.get(i), here);
      tasks.add(t);
      fs.add(pool.submit(t));
    }
    List<HuntTask.Outcome> out = new ArrayList<>();
    try {
      for (int i = 0; i < fs.size(); i++) {
        int losses = 0;
        while (true) {
          try {
            out.add(tasks.get(i).outcome(fs.get(i).get()));
            break;
          } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null
                ? e.getCause() : e;
            String why = pool.lostBecause(fs.get(i), cause);
            if (why == null) {
              if (cause instanceof RuntimeException re) {
                throw re;
              }
              throw new IllegalStateException(tasks.get(i) + " failed: " + cause, cause);
            }
            if (++losses > MAX_LOSSES) {
              throw new RunPoolException(tasks.get(i) + " was lost " + losses + " times, the"
                  + " last because " + why, cause);
            }
            fs.set(i, pool.submit(tasks.get(i)));
          }
        }
      }
    } finally {
      for (Future<byte[]> f : fs) {
        if (!f.isDone()) {
          try {
            f.cancel(true);
          } catch (RuntimeException e) {
            // the worker is gone already; nothing left to cancel
          }
        }
      }
    }
    return out;
  }
}
