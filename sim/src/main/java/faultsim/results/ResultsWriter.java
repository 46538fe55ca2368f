package faultsim.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import faultsim.oracle.Violation;
import faultsim.run.JobResult;
import faultsim.run.ReplicationResult;
import faultsim.stats.ConfidenceInterval;
import faultsim.stats.Csv;
import faultsim.stats.LockStatFormat;
import faultsim.stats.LockStatRow;
import faultsim.synthetic.OpRecorder;
import faultsim.workload.InputException;
import faultsim.workload.Workload;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes a results directory, the contract that reports and other tools read:
 *
 * <ul>
 *   <li>{@code manifest.json}: version, the workload (text and resolved), designs, seeds,
 *       streams, wall-clock time, simulated events;
 *   <li>{@code summary.csv}: {@code design,job,metric,mean,ci99,unit,n}, the mean across
 *       replications and the half-width of its 99 % Student-t interval;
 *   <li>{@code lock_stat/<design>.txt} in the {@code /proc/lock_stat} layout, and
 *       {@code locks.csv} with the same numbers in nanoseconds, summed over replications;
 *   <li>{@code hlog/<design>/<job>.<op>.hlog}: HdrHistogram interval logs (tag
 *       {@code design/job/op/r<replication>}, timestamps in simulated seconds from 0, values in
 *       ns), and {@code .hgrm}: the percentile distribution of all replications together, in
 *       microseconds;
 *   <li>{@code violations.txt};
 *   <li>{@code replications.csv}: every {@code summary.csv} metric per replication, for paired
 *       comparisons between designs; {@code cpu.csv}: core time per state and replication;
 *       {@code timeline.csv}: operations per bucket of replication 0's measured run, and the
 *       spans of operations of jobs with few of them;
 *   <li>{@code stacks/<design>.folded}: every task's measured time by call stack, in Brendan
 *       Gregg's folded form ({@code frame;frame;frame ns}), summed over replications;
 *       {@code tasks.csv}: each task's operations and time by state, per replication.
 * </ul>
 *
 * Everything but the manifest's wall-clock fields is a function of the workload and the seed.
 * The directory is written under a temporary name beside the target and moved into place at the
 * end, so an interrupted run never leaves a directory that looks complete.
 */
public final class ResultsWriter {
  /** Oracle kinds with a {@code violations_<kind>} metric, in this order. */
  public static final List<String> VIOLATION_KINDS = Violation.KINDS;

  private ResultsWriter() {}

  /** Adds to a complete results directory before it is moved into place (e.g. a report). */
  public interface Finisher {
    void finish(Path dir) throws IOException;
  }

  /**
   * Writes the results of {@code runs} to {@code dir}, replacing earlier results there if faultsim
   * wrote them (see {@link ResultsDirectory#whyNotReplaceable}); the caller has claimed the place
   * (an {@link OutputTarget}, or a sweep's).
   */
  public static void write(Path dir, Workload w, List<ReplicationResult> runs, Map<String, Object> runInfo)
      throws IOException, InputException {
    write(dir, w, runs, runInfo, d -> { });
  }

  /** As {@link #write(Path, Workload, List, Map)}, running {@code finisher} before the move. */
  public static void write(Path dir, Workload w, List<ReplicationResult> runs,
      Map<String, Object> runInfo, Finisher finisher) throws IOException, InputException {
    Path target = dir.toAbsolutePath().normalize();
    write(target, () -> {
      var why = ResultsDirectory.whyNotReplaceable(target);
      if (why.isPresent()) {
        throw new InputException(new faultsim.workload.Diagnostic(dir.toString(), 0, 0,
            why.get() + "; faultsim replaces only directories it wrote itself"));
      }
    }, w, runs, runInfo, finisher);
  }

  /** Writes into {@code target.dir()}, checking again just before the move that it may go. */
  public static void write(OutputTarget target, Workload w, List<ReplicationResult> runs,
      Map<String, Object> runInfo, Finisher finisher) throws IOException, InputException {
    write(target.dir(), () -> target.checkReplaceable(true), w, runs, runInfo, finisher);
  }

  /** Run just before a results directory replaces what is at its place. */
  private interface Check {
    void check() throws IOException, InputException;
  }

  /**
   * Writes the directory under a temporary name beside {@code dir}, marked with this process's
   * pid until it is complete and sealed; then, if {@code check} passes, moves what is at
   * {@code dir} aside, moves the new directory into place and deletes the old one, so that
   * {@code dir} always holds one complete results directory or the other.
   */
  private static void write(Path dir, Check check, Workload w, List<ReplicationResult> runs,
      Map<String, Object> runInfo, Finisher finisher) throws IOException, InputException {
    writeSealed(dir, check, tmp -> {
      writeInto(tmp, w, runs, runInfo);
      finisher.finish(tmp);
    });
  }

  /**
   * Writes a results directory of other contents (a hunt's) into {@code target.dir()} the same
   * way: under a temporary name, sealed, then moved into place. {@code contents} writes its
   * files, {@code manifest.json} among them, into the directory it is given.
   */
  public static void writeDirectory(OutputTarget target, Finisher contents)
      throws IOException, InputException {
    writeSealed(target.dir(), () -> target.checkReplaceable(true), contents);
  }

  private static void writeSealed(Path dir, Check check, Finisher contents)
      throws IOException, InputException {
    Path parent = dir.getParent();
    Files.createDirectories(parent);
    Path tmp = temporaryBeside(dir, "partial");
    try {
      markPartial(tmp);
      contents.finish(tmp);
      Files.delete(tmp.resolve(OutputTarget.PARTIAL_MARKER));
      ResultsDirectory.seal(tmp);
      check.check();
      Path old = null;
      if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        old = temporaryBeside(dir, "old");
        Files.delete(old);
        Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        markPartial(old);
      }
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      if (old != null) {
        deleteTree(old);
      }
    } catch (IOException | InputException | RuntimeException e) {
      deleteTree(tmp);
      throw e;
    }
  }

  /**
   * Makes an empty directory {@code .<name>.<what>-<digits>} beside {@code dir}. Unlike
   * {@link Files#createTempDirectory} it gets the permissions the user's umask gives, as the
   * results directory it becomes should.
   */
  private static Path temporaryBeside(Path dir, String what) throws IOException {
    while (true) {
      Path p = dir.resolveSibling("." + dir.getFileName() + "." + what + "-"
          + (java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
      try {
        return Files.createDirectory(p);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // another name
      }
    }
  }

  /** Marks a temporary directory as this process's, for {@link OutputTarget}'s cleanup. */
  private static void markPartial(Path tmp) throws IOException {
    Files.writeString(tmp.resolve(OutputTarget.PARTIAL_MARKER),
        ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
  }

  static void writeInto(Path dir, Workload w, List<ReplicationResult> runs,
      Map<String, Object> runInfo) throws IOException {
    Map<String, List<ReplicationResult>> byDesign = new LinkedHashMap<>();
    for (ReplicationResult r : runs) {
      byDesign.computeIfAbsent(r.design(), k -> new ArrayList<>()).add(r);
    }
    writeSummary(dir.resolve("summary.csv"), byDesign);
    writeLocks(dir, byDesign);
    writeLockSites(dir.resolve("lock_sites.csv"), byDesign);
    writeLockOrder(dir.resolve(LOCK_ORDER_CSV), byDesign);
    writeHistograms(dir, byDesign);
    writeViolations(dir.resolve("violations.txt"), byDesign);
    writeManifest(dir.resolve("manifest.json"), w, runs, runInfo);
    writeCpu(dir.resolve("cpu.csv"), byDesign);
    writeTimeline(dir.resolve("timeline.csv"), byDesign);
    writeStacks(dir, byDesign);
    writeTasks(dir.resolve("tasks.csv"), byDesign);
    writeTraces(dir, byDesign);
    readableByAll(dir);
  }

  /**
   * The results directory is made under a temporary name, which Java creates with mode 0700;
   * results are meant to be shared like the files in them (0755, as mkdir with the usual umask
   * 022 gives). No-op where the file system has no POSIX permissions.
   */
  static void readableByAll(Path dir) throws IOException {
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(dir,
          java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  // ---- summary.csv --------------------------------------------------------------------------

  static void writeSummary(Path file, Map<String, List<ReplicationResult>> byDesign)
      throws IOException {
    Rows sb = new Rows();
    for (Map.Entry<String, List<ReplicationResult>> e : byDesign.entrySet()) {
      List<ReplicationResult> reps = e.getValue();
      String design = e.getKey();
      for (int j = 0; j < reps.get(0).jobs().size(); j++) {
        int jobIndex = j;
        String job = reps.get(0).jobs().get(j).job();
        row(sb, design, job, "throughput", "ops/s", reps, r -> r.jobs().get(jobIndex).throughput());
        row(sb, design, job, "operations", "ops", reps, r -> r.jobs().get(jobIndex).operations());
        row(sb, design, job, "latency_mean", "ns", reps,
            r -> r.jobs().get(jobIndex).meanLatencyNs());
        double[] pcts = {50, 90, 99, 99.9};
        String[] names = {"latency_p50", "latency_p90", "latency_p99", "latency_p999"};
        for (int p = 0; p < pcts.length; p++) {
          double pct = pcts[p];
          row(sb, design, job, names[p], "ns", reps,
              r -> percentile(r.jobs().get(jobIndex).latencyNs(), pct));
        }
        row(sb, design, job, "latency_max", "ns", reps,
            r -> r.jobs().get(jobIndex).latencyNs().getTotalCount() == 0 ? 0
                : r.jobs().get(jobIndex).latencyNs().getMaxValue());
        row(sb, design, job, "retries", "count", reps, r -> r.jobs().get(jobIndex).retries());
        for (String metric : reps.get(0).jobs().get(j).metrics().keySet()) {
          row(sb, design, job, metric, JOB_METRIC_UNITS.getOrDefault(metric, ""), reps,
              r -> r.jobs().get(jobIndex).metrics().getOrDefault(metric, 0.0));
        }
      }
      for (String kind : VIOLATION_KINDS) {
        row(sb, design, "all", "violations_" + kind, "count", reps,
            r -> r.violationCounts().getOrDefault(kind, 0L));
      }
      row(sb, design, "all", "cpu_busy", "fraction", reps,
          r -> fraction(r.cpu().busyNs(), r.cpu().coreNs()));
      row(sb, design, "all", "cpu_spinning", "fraction", reps,
          r -> fraction(r.cpu().spinNs(), r.cpu().coreNs()));
      row(sb, design, "all", "cpu_idle", "fraction", reps,
          r -> fraction(r.cpu().idleNs(), r.cpu().coreNs()));
      row(sb, design, "all", "events", "count", reps, r -> r.events());
      java.util.Set<String> counters = new java.util.TreeSet<>();
      for (ReplicationResult r : reps) {
        counters.addAll(r.vmstat().keySet());
      }
      for (String c : counters) {
        row(sb, design, "vmstat", c, "count", reps, r -> r.vmstat().getOrDefault(c, 0L));
      }
    }
    Files.writeString(file, sb.summary.toString(), StandardCharsets.UTF_8);
    Files.writeString(file.resolveSibling("replications.csv"), sb.replications.toString(),
        StandardCharsets.UTF_8);
  }

  /**
   * Ramp plus runtime; with fixed work, which ends the run when it is done, the longest run's
   * measured time (its cores' time over the core count).
   */
  static long simulatedNsPerRun(Workload w, List<ReplicationResult> runs) {
    if (runs.isEmpty() || w.kernel().faultJobs().stream().noneMatch(j -> j.work().fixed())) {
      return w.spec().rampNs() + w.spec().runtimeNs();
    }
    int cores = w.spec().machine().cores();
    return runs.stream().mapToLong(r -> r.cpu().coreNs() / cores).max().orElse(0);
  }

  /** Units of the job metrics beyond the common ones ({@link faultsim.run.JobResult#metrics}). */
  private static final Map<String, String> JOB_METRIC_UNITS = Map.of(
      "pages_touched", "pages", "page_throughput", "pages/s", "elapsed", "ns");

  /** {@code summary.csv} and, row for row, each replication's value in {@code replications.csv}. */
  private static final class Rows {
    final StringBuilder summary = new StringBuilder("design,job,metric,mean,ci99,unit,n\n");
    final StringBuilder replications = new StringBuilder("design,job,metric,replication,value\n");
  }

  private static double percentile(Histogram h, double p) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p);
  }

  private static double fraction(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }

  private static void row(Rows rows, String design, String job, String metric, String unit,
      List<ReplicationResult> reps, ToDoubleFunction<ReplicationResult> f) {
    double[] xs = reps.stream().mapToDouble(f).toArray();
    for (int i = 0; i < xs.length; i++) {
      rows.replications.append(Csv.field(design)).append(',').append(Csv.field(job)).append(',')
          .append(metric).append(',').append(reps.get(i).replication()).append(',')
          .append(Csv.number(xs[i])).append('\n');
    }
    StringBuilder sb = rows.summary;
    sb.append(Csv.field(design)).append(',').append(Csv.field(job)).append(',').append(metric)
        .append(',').append(Csv.number(ConfidenceInterval.mean(xs))).append(',')
        .append(Csv.number(ConfidenceInterval.halfWidth(xs, 0.99))).append(',').append(unit)
        .append(',').append(xs.length).append('\n');
  }

  // ---- lock_stat ----------------------------------------------------------------------------

  /** Rows of all replications of one design, summed per class side, in first-seen order. */
  public static List<LockStatRow> sumLocks(List<ReplicationResult> reps) {
    Map<String, LockStatRow> sum = new LinkedHashMap<>();
    for (ReplicationResult r : reps) {
      for (LockStatRow row : r.locks()) {
        sum.merge(row.displayName(), row, LockStatRow::plus);
      }
    }
    return new ArrayList<>(sum.values());
  }

  static void writeLocks(Path dir, Map<String, List<ReplicationResult>> byDesign)
      throws IOException {
    Path ls = Files.createDirectories(dir.resolve("lock_stat"));
    StringBuilder csv = new StringBuilder(LockStatFormat.CSV_HEADER).append('\n');
    for (Map.Entry<String, List<ReplicationResult>> e : byDesign.entrySet()) {
      List<LockStatRow> rows = sumLocks(e.getValue());
      try (Writer out = Files.newBufferedWriter(ls.resolve(fileName(e.getKey()) + ".txt"),
          StandardCharsets.UTF_8)) {
        LockStatFormat.write(rows, out);
      }
      for (List<LockStatRow> group : LockStatFormat.byClass(rows)) {
        for (LockStatRow r : group) {
          csv.append(LockStatFormat.csvLine(e.getKey(), r)).append('\n');
        }
      }
    }
    Files.writeString(dir.resolve("locks.csv"), csv.toString(), StandardCharsets.UTF_8);
  }

  /**
   * {@code lock_sites.csv}: per design, class and side, the call sites that waited
   * ({@code contention}) and where the owner had taken the lock ({@code contending}), summed over
   * replications, most frequent first.
   */
  static void writeLockSites(Path file, Map<String, List<ReplicationResult>> byDesign)
      throws IOException {
    StringBuilder csv = new StringBuilder(LockStatFormat.SITES_CSV_HEADER).append('\n');
    for (Map.Entry<String, List<ReplicationResult>> e : byDesign.entrySet()) {
      for (List<LockStatRow> group : LockStatFormat.byClass(sumLocks(e.getValue()))) {
        for (LockStatRow r : group) {
          for (String line : LockStatFormat.siteLines(e.getKey(), r)) {
            csv.append(line).append('\n');
          }
        }
      }
    }
    Files.writeString(file, csv.toString(), StandardCharsets.UTF_8);
  }

  /** The lock order the runs took, for {@code explain --from-run}. */
  public static final String LOCK_ORDER_CSV = "lock_order.csv";

  /**
   * {@code lock_order.csv}: {@code design,from,to,replications,first_seen_ns}: every pair of
   * lock classes a run of the design took in that order (lockdep's dependencies), in how many
   * replications, and the earliest simulated time it was seen; designs in run order, pairs
   * sorted. Synthetic runs take no modelled kernel lock order and write no rows.
   */
  static void writeLockOrder(Path file, Map<String, List<ReplicationResult>> byDesign)
      throws IOException {
    StringBuilder csv = new StringBuilder("design,from,to,replications,first_seen_ns\n");
    for (Map.Entry<String, List<ReplicationResult>> e : byDesign.entrySet()) {
      java.util.SortedMap<String, long[]> pairs = new java.util.TreeMap<>();
      for (ReplicationResult r : e.getValue()) {
        r.lockOrder().forEach((pair, t) -> {
          long[] v = pairs.computeIfAbsent(pair, k -> new long[] {0, Long.MAX_VALUE});
          v[0]++;
          v[1] = Math.min(v[1], t);
        });
      }
      pairs.forEach((pair, v) -> {
        int arrow = pair.indexOf(" -> ");
        csv.append(Csv.field(e.getKey())).append(',')
            .append(Csv.field(pair.substring(0, arrow))).append(',')
            .append(Csv.field(pair.substring(arrow + 4))).append(',').append(v[0]).append(',')
            .append(v[1]).append('\n');
      });
    }
    Files.writeString(file, csv.toString(), StandardCharsets.UTF_8);
  }

  // ---- histograms ---------------------------------------------------------------------------

  static void writeHistograms(Path dir, Map<String, List<ReplicationResult>> byDesign)
      throws IOException {
    for (Map.Entry<String, List<ReplicationResult>> e : byDesign.entrySet()) {
      Path d = Files.createDirectories(dir.resolve("hlog").resolve(fileName(e.getKey())));
      List<ReplicationResult> reps = e.getValue();
      for (int j = 0; j < reps.get(0).jobs().size(); j++) {
        JobResult first = reps.get(0).jobs().get(j);
        String base = first.job() + "." + first.op();
        Histogram all = OpRecorder.fullRange();
        try (OutputStream os = Files.newOutputStream(d.resolve(base + ".hlog"));
            PrintStream ps = new PrintStream(os, false, StandardCharsets.UTF_8)) {
          HistogramLogWriter log = new HistogramLogWriter(ps);
          log.outputComment("faultsim latency log: design " + e.getKey() + ", job " + first.job()
              + ", operation " + first.op() + "; values in ns; timestamps in simulated seconds");
          log.outputLogFormatVersion();
          log.setBaseTime(0);
          log.outputBaseTime(0);
          log.outputLegend();
          for (ReplicationResult r : reps) {
            JobResult jr = r.jobs().get(j);
            all.add(jr.latencyNs());
            for (OpRecorder.Interval iv : jr.intervals()) {
              // In the full range (1 ns to 1 h) whatever range the recorder's grew to: the
              // log's encoding names the range, and the same values give the same bytes.
              Histogram h = OpRecorder.widened(iv.latencyNs());
              h.setTag(e.getKey() + "/" + jr.job() + "/" + jr.op() + "/r" + r.replication());
              log.outputIntervalHistogram(iv.startNs() / 1e9, iv.endNs() / 1e9, h, 1.0);
            }
          }
        }
        try (OutputStream os = Files.newOutputStream(d.resolve(base + ".hgrm"));
            PrintStream ps = new PrintStream(os, false, StandardCharsets.UTF_8)) {
          all.outputPercentileDistribution(ps, 5, 1000.0);
        }
      }
    }
  }

  // ---- violations ---------------------------------------------------------------------------

  static void writeViolations(Path file, Map<String, List<ReplicationResult>> byDesign)
      throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<ReplicationResult>> e : byDesign.entrySet()) {
      Map<String, Long> totals = new LinkedHashMap<>();
      for (String k : VIOLATION_KINDS) {
        totals.put(k, 0L);
      }
      for (ReplicationResult r : e.getValue()) {
        r.violationCounts().forEach((k, v) -> totals.merge(k, v, Long::sum));
      }
      long total = totals.values().stream().mapToLong(Long::longValue).sum();
      sb.append("design ").append(e.getKey()).append(": ").append(total)
          .append(total == 1 ? " violation\n" : " violations\n");
      if (total > 0) {
        StringBuilder kinds = new StringBuilder();
        totals.forEach((k, v) -> {
          if (v > 0) {
            kinds.append(kinds.length() == 0 ? "" : ", ").append(k).append(' ').append(v);
          }
        });
        sb.append("  by kind: ").append(kinds).append('\n');
      }
      for (ReplicationResult r : e.getValue()) {
        for (Violation v : r.violations()) {
          // "task T: ..." heads an invalid-context line as the report reads it.
          sb.append(String.format(Locale.ROOT, "  %s r%d t=%dns%s%n", v.kind(),
              r.replication(), v.timeNs(),
              v.summary().matches("task \\S+: .*") ? " " + v.summary() : ": " + v.summary()));
          if (!v.timeline().isEmpty()) {
            sb.append(v.timeline()).append('\n');
          }
        }
        long kept = r.violations().size();
        long all = r.violationCounts().values().stream().mapToLong(Long::longValue).sum();
        if (all > kept) {
          sb.append("  ... ").append(all - kept).append(" more in replication ")
              .append(r.replication()).append('\n');
        }
      }
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  // ---- stacks/ and tasks.csv ----------------------------------------------------------------

  /**
   * {@code stacks/<design>.folded}: per design, every stack's nanoseconds summed over
   * replications, one {@code frame;frame;frame ns} line per stack in string order (the input of
   * flame graph tools); the lines add up to tasks × runtime × replications.
   */
  static void writeStacks(Path dir, Map<String, List<ReplicationResult>> byDesign)
      throws IOException {
    Path stacks = dir.resolve("stacks");
    Files.createDirectories(stacks);
    for (Map.Entry<String, List<ReplicationResult>> e : byDesign.entrySet()) {
      java.util.TreeMap<String, Long> sum = new java.util.TreeMap<>();
      for (ReplicationResult r : e.getValue()) {
        r.stacks().forEach((k, v) -> sum.merge(k, v, Long::sum));
      }
      StringBuilder sb = new StringBuilder();
      sum.forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
      Files.writeString(stacks.resolve(fileName(e.getKey()) + ".folded"), sb.toString(),
          StandardCharsets.UTF_8);
    }
  }

  /**
   * {@code tasks.csv}: per design, replication and task (in the order tasks were made), the
   * operations it completed and its measured time by state; a task's states add up to the
   * runtime less the time before it started or after it exited.
   */
  static void writeTasks(Path file, Map<String, List<ReplicationResult>> byDesign)
      throws IOException {
    StringBuilder sb = new StringBuilder("design,replication,task,job,operations,busy_ns,"
        + "spinning_ns,sleeping_ns,io_ns,runnable_ns\n");
    for (Map.Entry<String, List<ReplicationResult>> e : byDesign.entrySet()) {
      for (ReplicationResult r : e.getValue()) {
        for (ReplicationResult.TaskTime t : r.tasks()) {
          sb.append(Csv.field(e.getKey())).append(',').append(r.replication()).append(',')
              .append(Csv.field(t.task())).append(',').append(Csv.field(t.job())).append(',')
              .append(t.operations()).append(',').append(t.busyNs()).append(',')
              .append(t.spinNs()).append(',').append(t.sleepNs()).append(',').append(t.ioNs())
              .append(',').append(t.runnableNs()).append('\n');
        }
      }
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  // ---- trace/ -------------------------------------------------------------------------------

  /**
   * {@code trace/<design>.json}, the Chrome trace of each design's replication 0, and
   * {@code trace/violation-<design>-<n>.json} for the n-th violation (from 0) that
   * {@code violations.txt} lists under the design; nothing unless the runs were traced.
   */
  static void writeTraces(Path dir, Map<String, List<ReplicationResult>> byDesign)
      throws IOException {
    boolean traced = byDesign.values().stream().flatMap(List::stream)
        .anyMatch(r -> !r.trace().json().isEmpty());
    if (!traced) {
      return;
    }
    Path traces = dir.resolve("trace");
    Files.createDirectories(traces);
    for (Map.Entry<String, List<ReplicationResult>> e : byDesign.entrySet()) {
      String file = fileName(e.getKey());
      int n = 0;
      for (ReplicationResult r : e.getValue()) {
        if (!r.trace().json().isEmpty()) {
          Files.writeString(traces.resolve(file + ".json"), r.trace().json(),
              StandardCharsets.UTF_8);
        }
        for (Violation v : r.violations()) {
          Files.writeString(traces.resolve("violation-" + file + "-" + n++ + ".json"),
              ViolationTrace.of(e.getKey(), r.replication(), v), StandardCharsets.UTF_8);
        }
      }
    }
  }

  /**
   * The manifest's {@code trace} entry: the size limit of a trace and, per design whose trace
   * reached it, the simulated time at which it stops; empty when nothing was traced.
   */
  static Map<String, Object> traceNote(List<ReplicationResult> runs) {
    Map<String, Object> note = new LinkedHashMap<>();
    Map<String, String> truncated = new LinkedHashMap<>();
    boolean traced = false;
    for (ReplicationResult r : runs) {
      if (!r.trace().json().isEmpty()) {
        traced = true;
        if (r.trace().truncatedAtNs() >= 0) {
          truncated.put(r.design(), "stops at " + faultsim.workload.Units.formatTime(
              r.trace().truncatedAtNs()) + " of simulated time: the trace reached "
              + (faultsim.run.Experiment.TRACE_MAX_BYTES >> 20) + " MiB");
        }
      }
    }
    if (traced) {
      note.put("replication", 0);
      note.put("max_bytes", faultsim.run.Experiment.TRACE_MAX_BYTES);
      note.put("truncated", truncated);
    }
    return note;
  }

  // ---- cpu.csv and timeline.csv -------------------------------------------------------------

  /** {@code cpu.csv}: core time summed over cores, per replication and state (states add up). */
  static void writeCpu(Path file, Map<String, List<ReplicationResult>> byDesign)
      throws IOException {
    StringBuilder sb = new StringBuilder("design,replication,state,ns\n");
    for (Map.Entry<String, List<ReplicationResult>> e : byDesign.entrySet()) {
      for (ReplicationResult r : e.getValue()) {
        ReplicationResult.CpuTime c = r.cpu();
        long[] ns = {c.busyNs(), c.spinNs(), c.idleNs() - c.ioWaitNs(), c.ioWaitNs()};
        String[] states = {"busy", "spinning", "idle", "io_wait"};
        for (int i = 0; i < ns.length; i++) {
          sb.append(Csv.field(e.getKey())).append(',').append(r.replication()).append(',')
              .append(states[i]).append(',').append(ns[i]).append('\n');
        }
      }
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  /**
   * {@code timeline.csv}: for replication 0, each job's completed operations per bucket of the
   * measured run ({@code kind} {@code bucket}), then one row per operation ({@code kind}
   * {@code op}, {@code ops} 1) for jobs that kept their operations' spans.
   */
  static void writeTimeline(Path file, Map<String, List<ReplicationResult>> byDesign)
      throws IOException {
    StringBuilder sb = new StringBuilder("design,job,kind,t_start_ns,t_end_ns,ops\n");
    for (Map.Entry<String, List<ReplicationResult>> e : byDesign.entrySet()) {
      ReplicationResult r = e.getValue().stream().filter(x -> x.replication() == 0).findFirst()
          .orElse(e.getValue().get(0));
      String design = Csv.field(e.getKey());
      for (JobResult j : r.jobs()) {
        OpRecorder.Timeline t = j.timeline();
        for (int i = 0; i < t.ops().length; i++) {
          sb.append(design).append(',').append(Csv.field(j.job())).append(",bucket,")
              .append(t.bucketStartNs(i)).append(',').append(t.bucketStartNs(i + 1)).append(',')
              .append(t.ops()[i]).append('\n');
        }
      }
      for (JobResult j : r.jobs()) {
        for (OpRecorder.Span span : j.timeline().spans()) {
          sb.append(design).append(',').append(Csv.field(j.job())).append(",op,")
              .append(span.startNs()).append(',').append(span.endNs()).append(",1\n");
        }
      }
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  /** The machine as simulated, every default applied. */
  static Map<String, Object> machine(Workload w) {
    var spec = w.spec().machine();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", spec.cores());
    m.put("sockets", spec.sockets());
    m.put("spinlock", spec.spinlock().name().toLowerCase(Locale.ROOT));
    m.put("spin_on_owner", spec.spinOnOwner());
    var c = spec.costs();
    Map<String, Object> costs = new LinkedHashMap<>();
    costs.put("atomic_local_ns", c.atomicLocalNs());
    costs.put("transfer_same_socket_ns", c.transferSameSocketNs());
    costs.put("transfer_cross_socket_ns", c.transferCrossSocketNs());
    costs.put("wakeup_ns", c.wakeupNs());
    costs.put("context_switch_ns", c.contextSwitchNs());
    costs.put("time_slice_ns", c.timeSliceNs());
    costs.put("rwsem_wait_timeout_ns", c.rwsemWaitTimeoutNs());
    costs.put("folio_lock_unfairness", c.folioLockUnfairness());
    m.put("costs", costs);
    return m;
  }

  // ---- manifest -----------------------------------------------------------------------------

  /** Each design's source files, leaf first, as compiled for the runs. */
  private static Map<String, List<faultsim.lang.SourceText>> designSources(Workload w) {
    Map<String, List<faultsim.lang.SourceText>> out = new LinkedHashMap<>();
    try {
      for (faultsim.fault.Designs.Labelled d : faultsim.fault.Designs.labelled(w)) {
        out.put(d.label(), d.design().source());
      }
    } catch (faultsim.workload.InputException e) {
      throw new IllegalStateException("designs compiled for the run no longer compile", e);
    }
    return out;
  }

  static void writeManifest(Path file, Workload w, List<ReplicationResult> runs,
      Map<String, Object> runInfo) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("faultsim_version", Version.get());
    Map<String, Object> wl = new LinkedHashMap<>();
    wl.put("name", w.name());
    wl.put("file", w.file());
    wl.put("description", w.description());
    wl.put("source", w.sourceText());
    wl.put("resolved", w.doc());
    m.put("workload", wl);
    List<Map<String, Object>> designs = new ArrayList<>();
    Map<String, List<faultsim.lang.SourceText>> sources = designSources(w);
    List<String> names = sources.isEmpty()
        ? w.designs().stream().map(e -> e.as() != null ? e.as() : e.design()).toList()
        : new ArrayList<>(sources.keySet());
    for (int i = 0; i < names.size(); i++) {
      String d = names.get(i);
      Map<String, Object> dm = new LinkedHashMap<>();
      dm.put("name", d);
      dm.put("as_given", w.designs().get(i).design());
      if (!w.designs().get(i).sets().isEmpty()) {
        dm.put("set", w.designs().get(i).sets());
      }
      if (sources.isEmpty()) {
        dm.put("source", "(synthetic jobs: the step lists in the workload file)");
      } else {
        List<Map<String, Object>> files = new ArrayList<>();
        for (faultsim.lang.SourceText st : sources.getOrDefault(d, List.of())) {
          Map<String, Object> fm = new LinkedHashMap<>();
          fm.put("design", st.design());
          fm.put("file", st.file());
          fm.put("text", st.text());
          files.add(fm);
        }
        dm.put("source", files);
      }
      designs.add(dm);
    }
    m.put("designs", designs);
    m.put("machine", machine(w));
    m.put("replications", runs.isEmpty() ? w.replications()
        : runs.stream().filter(r -> r.design().equals(runs.get(0).design())).count());
    m.put("replications_chosen_by", replicationRule(w, runs));
    m.put("seed", w.seed());
    m.put("substreams", "replication r of every design uses substream r of every stream");
    m.put("streams", w.streamNames());
    m.put("simulated_ns_per_run", simulatedNsPerRun(w, runs));
    m.put("simulated_events", runs.stream().mapToLong(ReplicationResult::events).sum());
    m.put("simulated_faults", runs.stream().mapToLong(r -> r.vmstat().getOrDefault("PGFAULT",
        0L)).sum());
    Map<String, Object> trace = traceNote(runs);
    if (!trace.isEmpty()) {
      m.put("trace", trace);
    }
    m.putAll(runInfo);
    ObjectMapper mapper = new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(file, mapper.writeValueAsString(m) + "\n", StandardCharsets.UTF_8);
  }

  /** How the number of replications was chosen, in words. */
  static String replicationRule(Workload w, List<ReplicationResult> runs) {
    faultsim.stats.SequentialRule rule = w.rule();
    if (rule == null) {
      return "the workload: " + w.replications() + " replications";
    }
    Map<String, List<ReplicationResult>> byDesign = new LinkedHashMap<>();
    for (ReplicationResult r : runs) {
      byDesign.computeIfAbsent(r.design(), k -> new ArrayList<>()).add(r);
    }
    boolean met = true;
    for (double[] s : faultsim.run.Experiment.throughputs(byDesign)) {
      met &= rule.precise(s, s.length);
    }
    return String.format(Locale.ROOT, "precision: replications added until the 99 %% confidence"
        + " half-width of every job's throughput was within %s of its mean (at least %d, at"
        + " most %d)%s", faultsim.stats.Csv.number(rule.precision() * 100) + "%", rule.min(),
        rule.max(), met ? "" : "; the most were run before every job reached that precision");
  }

  /** A design name as a file name: path separators and other odd characters replaced. */
  public static String fileName(String design) {
    return design.replaceAll("[^A-Za-z0-9._@-]", "_");
  }

  /** Deletes {@code p} and everything below it, if it exists. */
  public static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
