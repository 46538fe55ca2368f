package faultsim.run;

import faultsim.results.OutputTarget;
import faultsim.results.ResultsDirectory;
import faultsim.results.ResultsWriter;
import faultsim.stats.Csv;
import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * A sweep: the cartesian product of {@code --set key=v1,v2,...} values, one complete results
 * directory per point under {@code points/}, and {@code sweep.csv} combining their summaries with
 * one column per swept key. Points whose results directory is complete are not run again, so a
 * killed sweep resumes where it stopped; every point uses the same base seed, so the points are
 * compared on common random numbers too. Runs execute in a {@link RunPool}: this machine's
 * threads, or the members of a cluster; the files written are the same either way.
 */
public final class Sweep {
  /** One point: its index, directory name and the {@code key=value} overrides it applies. */
  public record Point(int index, String id, List<String> keys, List<String> values) {
    List<String> sets() {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        out.add(keys.get(i) + "=" + values.get(i));
      }
      return out;
    }
  }

  /** One run of a sweep: one replication of one design at one point. */
  public record Run(Point point, String design, int replication) {
    @Override
    public String toString() {
      return "point " + point.id() + " design " + design + " replication " + replication;
    }
  }

  /** Told what the sweep does; every call comes from the thread that called {@code run}. */
  public interface Listener {
    /** Told once per point: when it is found already done, or when its results are written. */
    void point(Point p, boolean alreadyDone, int total);

    /** Told when a run's result has arrived: {@code done} of the {@code total} runs to do. */
    default void runDone(Run run, int done, int total) {}

    /** Told when a run was lost with the host running it and is handed out again. */
    default void rerun(Run run, String reason) {}

    /** Told when a point's results are there but were made from other inputs: it runs again. */
    default void stale(Point p, String why, int total) {}
  }

  /** The field of {@code sweep.json} that says the swept keys moved together. */
  public static final String ZIP_FIELD = "zip";

  /** How often one run may be lost with its host before the sweep gives up. */
  static final int MAX_LOSSES = 3;

  /** How long the sweep waits between looks at runs in flight when none has finished. */
  private static final long POLL_NANOS = 2_000_000;

  private Sweep() {}

  /**
   * Expands {@code sweepSets} ({@code key=v1,v2,...}) into points, keys varying slowest-first in
   * the order given.
   */
  public static List<Point> points(List<String> sweepSets) throws InputException {
    return points(sweepSets, false);
  }

  /**
   * Expands {@code sweepSets} into points: every combination of values, or with {@code zip}
   * the keys moved together, point i taking the i-th value of each key that has several (all
   * of which must have the same number of values); a key with one value is fixed for every
   * point either way.
   */
  public static List<Point> points(List<String> sweepSets, boolean zip) throws InputException {
    List<String> keys = new ArrayList<>();
    List<List<String>> values = new ArrayList<>();
    for (String s : sweepSets) {
      int eq = s.indexOf('=');
      if (eq <= 0 || eq == s.length() - 1) {
        throw new InputException(new Diagnostic("--set " + s, 0, 0,
            "expected key.path=v1,v2,..., e.g. machine.cores=1,2,4,8"));
      }
      String key = s.substring(0, eq).trim();
      if (keys.contains(key)) {
        throw new InputException(new Diagnostic("--set " + s, 0, 0, key + " is swept twice"));
      }
      keys.add(key);
      List<String> vs = new ArrayList<>();
      for (String v : splitTopLevel(s.substring(eq + 1))) {
        if (v.isBlank()) {
          throw new InputException(new Diagnostic("--set " + s, 0, 0, "empty value in the list"));
        }
        vs.add(v.trim());
      }
      values.add(vs);
    }
    List<Point> out = new ArrayList<>();
    int total = 1;
    int zipped = -1;
    for (int k = 0; k < values.size(); k++) {
      List<String> vs = values.get(k);
      if (!zip) {
        total *= vs.size();
      } else if (vs.size() > 1 && zipped < 0) {
        zipped = k;
        total = vs.size();
      } else if (vs.size() > 1 && vs.size() != total) {
        throw new InputException(new Diagnostic("--zip", 0, 0, "--set "
            + sweepSets.get(zipped) + " has " + total + " values but --set " + sweepSets.get(k)
            + " has " + vs.size() + "; --zip moves the keys together, so give each swept key"
            + " the same number of values (or one, to fix it)"));
      }
    }
    for (int i = 0; i < total; i++) {
      List<String> chosen = new ArrayList<>();
      int rest = i;
      for (int k = keys.size() - 1; k >= 0; k--) {
        List<String> vs = values.get(k);
        if (zip) {
          chosen.add(0, vs.get(vs.size() == 1 ? 0 : i));
          continue;
        }
        chosen.add(0, vs.get(rest % vs.size()));
        rest /= vs.size();
      }
      StringBuilder id = new StringBuilder(String.format(java.util.Locale.ROOT, "p%04d", i));
      for (int k = 0; k < keys.size(); k++) {
        id.append('_').append(keys.get(k)).append('=').append(chosen.get(k));
      }
      out.add(new Point(i, ResultsWriter.fileName(id.toString()), keys, chosen));
    }
    return out;
  }

  /** Runs (or resumes) a sweep on {@code threads} threads of this machine; see below. */
  public static boolean run(Path file, List<String> fixedSets, List<String> sweepSets, Path dir,
      int threads, int stopAfter, Listener listener) throws InputException, IOException,
      InterruptedException {
    try (LocalRunPool pool = new LocalRunPool(threads)) {
      return run(file, fixedSets, sweepSets, dir, pool, stopAfter, listener);
    }
  }

  /**
   * Runs (or resumes) a sweep into {@code dir}, its runs executing in {@code pool}. Every point's
   * workload is loaded and checked before any point runs. Runs are handed out in point order,
   * design-major and replication-minor within a point, several points at once; a point's results
   * directory is written as soon as its last run is in, and its files do not depend on where or in
   * which order its runs executed. A run lost with the host running it is handed out again.
   * {@code stopAfter} runs only that many of the points not yet done (for interruption tests; a
   * negative value means no limit). Returns whether every point is done.
   */
  public static boolean run(Path file, List<String> fixedSets, List<String> sweepSets, Path dir,
      RunPool pool, int stopAfter, Listener listener) throws InputException, IOException,
      InterruptedException {
    return run(file, fixedSets, sweepSets, false, dir, pool, stopAfter, listener);
  }

  /**
   * As above; with {@code zip} the swept keys move together ({@link #points(List, boolean)}),
   * and {@code sweep.json} says so for the report.
   */
  public static boolean run(Path file, List<String> fixedSets, List<String> sweepSets,
      boolean zip, Path dir, RunPool pool, int stopAfter, Listener listener)
      throws InputException, IOException, InterruptedException {
    List<Point> points = points(sweepSets, zip);
    WorkloadLoader loader = new WorkloadLoader();
    List<PointRuns> toRun = new ArrayList<>();
    Map<Point, List<String>> setsOf = new LinkedHashMap<>();
    Map<Point, Workload> workloads = new LinkedHashMap<>();
    for (Point p : points) {
      List<String> sets = new ArrayList<>(fixedSets);
      sets.addAll(p.sets());
      setsOf.put(p, sets);
      workloads.put(p, loader.load(file, sets));
    }
    try (OutputTarget target = OutputTarget.claim(dir, dir.toString(), false)) {
      Map<Point, Map<String, String>> keys = new LinkedHashMap<>();
      Map<Point, String> stale = new LinkedHashMap<>();
      for (Point p : points) {
        Path pointDir = dir.resolve("points").resolve(p.id());
        var why = ResultsDirectory.whyNotReplaceable(pointDir);
        if (why.isPresent()) {
          throw new InputException(new Diagnostic(pointDir.toString(), 0, 0, why.get()
              + "; a sweep replaces only points it wrote itself, so move those files or give"
              + " another --out"));
        }
        keys.put(p, PointKey.of(workloads.get(p)));
        if (Files.exists(pointDir)) {
          stale.put(p, PointKey.staleness(pointDir, keys.get(p)));
        }
      }
      writeMarker(dir, points, zip);
      Files.createDirectories(dir.resolve("points"));
      boolean complete = true;
      for (Point p : points) {
        Path pointDir = dir.resolve("points").resolve(p.id());
        String why = stale.get(p);
        if (stale.containsKey(p) && why == null) {
          if (listener != null) {
            listener.point(p, true, points.size());
          }
        } else if (stopAfter >= 0 && toRun.size() == stopAfter) {
          complete = false;
        } else {
          if (why != null && listener != null) {
            listener.stale(p, why, points.size());
          }
          toRun.add(new PointRuns(p, workloads.get(p), setsOf.get(p), pointDir, keys.get(p)));
        }
      }
      execute(toRun, pool, listener, points.size());
      if (!complete) {
        return false;
      }
      writeSweepCsv(dir, points);
      return true;
    }
  }

  /** {@code sweep.json}: marks {@code dir} as a sweep's and says what it sweeps. */
  private static void writeMarker(Path dir, List<Point> points, boolean zip) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("faultsim_version", faultsim.results.Version.get());
    m.put("keys", points.get(0).keys());
    if (zip) {
      m.put(ZIP_FIELD, true);
    }
    m.put("points", points.stream().map(Point::id).toList());
    Path tmp = dir.resolve("." + OutputTarget.SWEEP_MARKER + ".partial");
    Files.writeString(tmp, new com.fasterxml.jackson.databind.ObjectMapper()
        .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(m) + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve(OutputTarget.SWEEP_MARKER), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * A point being run: its workload, and its runs' results as they arrive. With a precision
   * rule, replications are added in batches until it stops, as {@link Experiment#run} does.
   */
  private static final class PointRuns {
    final Point point;
    final Workload workload;
    final Path dir;
    final Map<String, String> key;
    final List<String> sets;
    final String hash;
    final List<String> designs;
    /** Results by design index and replication. */
    final List<List<ReplicationResult>> results = new ArrayList<>();
    int have;
    int remaining;
    long startNanos = -1;

    PointRuns(Point point, Workload w, List<String> sets, Path dir, Map<String, String> key)
        throws InputException {
      this.point = point;
      this.workload = w;
      this.dir = dir;
      this.key = key;
      this.sets = sets;
      this.hash = RunKey.workloadHash(w.sourceText());
      // Labels, as the runs report them: a design file is known by the name in its header.
      this.designs = faultsim.fault.Designs.labels(w);
      for (int d = 0; d < designs.size(); d++) {
        results.add(new ArrayList<>());
      }
    }

    /** The runs of replications {@code have} to {@code want}, every design. */
    List<Job> batch(int want) {
      List<Job> jobs = new ArrayList<>();
      for (int d = 0; d < designs.size(); d++) {
        for (int r = have; r < want; r++) {
          results.get(d).add(null);
          jobs.add(new Job(this, d, new Run(point, designs.get(d), r),
              RunTask.of(workload, hash, sets, designs.get(d), r)));
        }
      }
      have = want;
      remaining = jobs.size();
      return jobs;
    }

    /** Runs still to make once a batch is complete; empty when the point is done. */
    List<Job> next() {
      faultsim.stats.SequentialRule rule = workload.rule();
      if (rule == null) {
        return List.of();
      }
      Map<String, List<ReplicationResult>> byDesign = byDesign(have);
      List<double[]> series = Experiment.throughputs(byDesign);
      int stop = rule.stop(series);
      if (stop >= 0) {
        for (List<ReplicationResult> reps : results) {
          reps.subList(stop, reps.size()).clear();
        }
        return List.of();
      }
      return batch(rule.nextTarget(series));
    }

    Map<String, List<ReplicationResult>> byDesign(int n) {
      Map<String, List<ReplicationResult>> out = new LinkedHashMap<>();
      for (int d = 0; d < designs.size(); d++) {
        out.put(designs.get(d), results.get(d).subList(0, n));
      }
      return out;
    }

    List<ReplicationResult> all() {
      List<ReplicationResult> out = new ArrayList<>();
      results.forEach(out::addAll);
      return out;
    }
  }

  /** One run to do, and how often it was lost. */
  private static final class Job {
    final PointRuns point;
    /** The design's index in the point. */
    final int slot;
    final Run run;
    final RunTask task;
    int losses;

    Job(PointRuns point, int slot, Run run, RunTask task) {
      this.point = point;
      this.slot = slot;
      this.run = run;
      this.task = task;
    }
  }

  private static void execute(List<PointRuns> points, RunPool pool, Listener listener,
      int totalPoints) throws IOException, InterruptedException, InputException {
    Deque<Job> pending = new ArrayDeque<>();
    for (PointRuns pr : points) {
      pending.addAll(pr.batch(pr.workload.replications()));
    }
    int total = pending.size();
    int done = 0;
    Map<Future<byte[]>, Job> inFlight = new LinkedHashMap<>();
    try {
      while (!pending.isEmpty() || !inFlight.isEmpty()) {
        int capacity = pool.capacity();
        while (!pending.isEmpty() && inFlight.size() < capacity) {
          Job j = pending.poll();
          if (j.point.startNanos < 0) {
            j.point.startNanos = System.nanoTime();
          }
          inFlight.put(pool.submit(j.task), j);
        }
        boolean progressed = false;
        for (var it = inFlight.entrySet().iterator(); it.hasNext(); ) {
          var e = it.next();
          if (!e.getKey().isDone()) {
            continue;
          }
          it.remove();
          progressed = true;
          Job j = e.getValue();
          byte[] bytes;
          try {
            bytes = e.getKey().get();
          } catch (ExecutionException | CancellationException ex) {
            Throwable cause = ex instanceof ExecutionException && ex.getCause() != null
                ? ex.getCause() : ex;
            String why = pool.lostBecause(e.getKey(), cause);
            if (why == null) {
              throw failure(j.run, cause);
            }
            if (++j.losses > MAX_LOSSES) {
              throw new RunPoolException(j.run + " was lost " + j.losses + " times, the last"
                  + " because " + why, cause);
            }
            if (listener != null) {
              listener.rerun(j.run, why);
            }
            pending.addFirst(j);
            continue;
          }
          ReplicationResult r = ResultCodec.decode(bytes);
          if (!r.design().equals(j.run.design()) || r.replication() != j.run.replication()) {
            throw new IllegalStateException("asked for " + j.run + ", got design " + r.design()
                + " replication " + r.replication());
          }
          j.point.results.get(j.slot).set(j.run.replication(), r);
          done++;
          if (listener != null) {
            listener.runDone(j.run, done, total);
          }
          if (--j.point.remaining == 0) {
            List<Job> more = j.point.next();
            if (!more.isEmpty()) {
              pending.addAll(more);
              total += more.size();
              continue;
            }
            writePoint(j.point, pool);
            if (listener != null) {
              listener.point(j.point.point, false, totalPoints);
            }
          }
        }
        if (!progressed) {
          if (Thread.interrupted()) {
            throw new InterruptedException();
          }
          LockSupport.parkNanos(POLL_NANOS);
        }
      }
    } finally {
      for (Future<byte[]> f : inFlight.keySet()) {
        try {
          f.cancel(true);
        } catch (RuntimeException e) {
          // the host is gone already; nothing left to cancel
        }
      }
    }
  }

  private static RuntimeException failure(Run run, Throwable cause) {
    if (cause instanceof RuntimeException re) {
      return re;
    }
    return new IllegalStateException(run + " failed: " + cause, cause);
  }

  private static void writePoint(PointRuns pr, RunPool pool) throws IOException,
      InputException {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("wall_seconds", Math.round((System.nanoTime() - pr.startNanos) / 1e6) / 1000.0);
    info.putAll(pool.manifestInfo());
    info.put("sweep_point", pr.point.sets());
    info.put(PointKey.FIELD, pr.key);
    ResultsWriter.write(pr.dir, pr.workload, pr.all(), info);
  }

  /** Splits at commas outside parentheses, so {@code uniform(1us,3us),2us} is two values. */
  static List<String> splitTopLevel(String s) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(' || c == '[') {
        depth++;
      } else if ((c == ')' || c == ']') && depth > 0) {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out;
  }

  /** {@code sweep.csv}: each point's summary rows prefixed with the swept values. */
  static void writeSweepCsv(Path dir, List<Point> points) throws IOException {
    StringBuilder sb = new StringBuilder("point");
    for (String k : points.get(0).keys()) {
      sb.append(',').append(Csv.field(k));
    }
    sb.append(",design,job,metric,mean,ci99,unit,n\n");
    for (Point p : points) {
      List<String> lines = Files.readAllLines(
          dir.resolve("points").resolve(p.id()).resolve("summary.csv"), StandardCharsets.UTF_8);
      for (String line : lines.subList(1, lines.size())) {
        sb.append(p.index());
        for (String v : p.values()) {
          sb.append(',').append(Csv.field(v));
        }
        sb.append(',').append(line).append('\n');
      }
    }
    Path tmp = dir.resolve(".sweep.csv.partial");
    Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve("sweep.csv"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }
}
