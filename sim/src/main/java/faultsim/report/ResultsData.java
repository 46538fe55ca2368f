package faultsim.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import faultsim.results.ResultsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Everything a report needs, read from the files of one results directory. */
final class ResultsData {
  /** A {@code summary.csv} row. */
  record SummaryRow(String design, String job, String metric, double mean, double ci99,
      String unit, int n) {}

  /** A {@code locks.csv} row, times in ns. */
  record LockRow(String design, String className, String side, long conBounces,
      long contentions, long waitMinNs, long waitMaxNs, long waitTotalNs, double waitAvgNs,
      long acqBounces, long acquisitions, long holdMinNs, long holdMaxNs, long holdTotalNs,
      double holdAvgNs) {
    String displayName() {
      return side.isEmpty() ? className : className + "-" + side;
    }
  }

  /** A {@code lock_sites.csv} row. */
  record SiteRow(String design, String className, String side, String point, String site,
      long count) {}

  /** A {@code tasks.csv} row (times in ns). */
  record TaskRow(String design, int replication, String task, String job, long operations,
      long busyNs, long spinNs, long sleepNs, long ioNs, long runnableNs) {}

  /** A {@code timeline.csv} row. */
  record TimelineRow(String design, String job, String kind, long startNs, long endNs,
      long ops) {}

  /**
   * {@code summary.csv}'s job column values that are not jobs: {@code all} (run-wide metrics)
   * and {@code vmstat} (the counters).
   */
  static final Set<String> PSEUDO_JOBS = Set.of("all", "vmstat");

  final Path dir;
  final JsonNode manifest;
  final List<String> designs;
  final List<String> jobs;
  final List<SummaryRow> summary;
  /** design → job → metric → replication → value. */
  final Map<String, Map<String, Map<String, TreeMap<Integer, Double>>>> replications;
  final List<LockRow> locks;
  /** design → state → ns summed over replications, states in file order. */
  final Map<String, Map<String, Long>> cpu;
  final List<TimelineRow> timeline;
  /** design → {@code job.op} → distribution, in file-name order. */
  final Map<String, Map<String, Hgrm>> latency;
  final String violations;
  /** {@code tasks.csv}, empty for results written before it existed. */
  List<TaskRow> tasks = List.of();
  /** {@code lock_sites.csv}, empty for results written before it existed. */
  List<SiteRow> sites = List.of();
  /** {@code locks.csv}'s waiting_at_end per design and class side ({@code class-side}). */
  Map<String, Map<String, Long>> waitingAtEnd = new LinkedHashMap<>();

  private ResultsData(Path dir, JsonNode manifest, List<String> designs, List<String> jobs,
      List<SummaryRow> summary,
      Map<String, Map<String, Map<String, TreeMap<Integer, Double>>>> replications,
      List<LockRow> locks, Map<String, Map<String, Long>> cpu, List<TimelineRow> timeline,
      Map<String, Map<String, Hgrm>> latency, String violations) {
    this.dir = dir;
    this.manifest = manifest;
    this.designs = designs;
    this.jobs = jobs;
    this.summary = summary;
    this.replications = replications;
    this.locks = locks;
    this.cpu = cpu;
    this.timeline = timeline;
    this.latency = latency;
    this.violations = violations;
  }

  /** Whether {@code dir} holds the results of one run. */
  static boolean isResultsDir(Path dir) {
    return Files.isRegularFile(dir.resolve("manifest.json"))
        && Files.isRegularFile(dir.resolve("summary.csv"));
  }

  static ResultsData read(Path dir) throws IOException {
    JsonNode manifest = new ObjectMapper().readTree(
        Files.readString(dir.resolve("manifest.json"), StandardCharsets.UTF_8));
    List<SummaryRow> summary = new ArrayList<>();
    Set<String> designs = new LinkedHashSet<>();
    for (JsonNode d : manifest.path("designs")) {
      designs.add(d.path("name").asText());
    }
    Set<String> jobs = new LinkedHashSet<>();
    for (CsvTable.Row r : CsvTable.read(dir.resolve("summary.csv")).rows()) {
      SummaryRow s = new SummaryRow(r.get("design"), r.get("job"), r.get("metric"),
          r.number("mean"), r.number("ci99"), r.get("unit"), (int) r.integer("n"));
      summary.add(s);
      designs.add(s.design());
      if (!PSEUDO_JOBS.contains(s.job())) {
        jobs.add(s.job());
      }
    }
    Map<String, Map<String, Map<String, TreeMap<Integer, Double>>>> reps = new LinkedHashMap<>();
    for (CsvTable.Row r : CsvTable.read(dir.resolve("replications.csv")).rows()) {
      reps.computeIfAbsent(r.get("design"), k -> new LinkedHashMap<>())
          .computeIfAbsent(r.get("job"), k -> new LinkedHashMap<>())
          .computeIfAbsent(r.get("metric"), k -> new TreeMap<>())
          .put((int) r.integer("replication"), r.number("value"));
    }
    List<LockRow> locks = new ArrayList<>();
    Map<String, Map<String, Long>> waitingAtEnd = new LinkedHashMap<>();
    CsvTable locksCsv = CsvTable.read(dir.resolve("locks.csv"));
    boolean hasWaiting = locksCsv.header().contains("waiting_at_end");
    for (CsvTable.Row r : locksCsv.rows()) {
      if (hasWaiting && r.integer("waiting_at_end") > 0) {
        String side = r.get("side");
        waitingAtEnd.computeIfAbsent(r.get("design"), k -> new LinkedHashMap<>())
            .put(side.isEmpty() ? r.get("class") : r.get("class") + "-" + side,
                r.integer("waiting_at_end"));
      }
      locks.add(new LockRow(r.get("design"), r.get("class"), r.get("side"),
          r.integer("con-bounces"), r.integer("contentions"), r.integer("waittime-min_ns"),
          r.integer("waittime-max_ns"), r.integer("waittime-total_ns"),
          r.number("waittime-avg_ns"), r.integer("acq-bounces"), r.integer("acquisitions"),
          r.integer("holdtime-min_ns"), r.integer("holdtime-max_ns"),
          r.integer("holdtime-total_ns"), r.number("holdtime-avg_ns")));
    }
    Map<String, Map<String, Long>> cpu = new LinkedHashMap<>();
    for (CsvTable.Row r : CsvTable.read(dir.resolve("cpu.csv")).rows()) {
      cpu.computeIfAbsent(r.get("design"), k -> new LinkedHashMap<>())
          .merge(r.get("state"), r.integer("ns"), Long::sum);
    }
    List<TimelineRow> timeline = new ArrayList<>();
    for (CsvTable.Row r : CsvTable.read(dir.resolve("timeline.csv")).rows()) {
      timeline.add(new TimelineRow(r.get("design"), r.get("job"), r.get("kind"),
          r.integer("t_start_ns"), r.integer("t_end_ns"), r.integer("ops")));
    }
    Map<String, Map<String, Hgrm>> latency = new LinkedHashMap<>();
    for (String d : designs) {
      Path hd = dir.resolve("hlog").resolve(ResultsWriter.fileName(d));
      Map<String, Hgrm> byOp = new LinkedHashMap<>();
      if (Files.isDirectory(hd)) {
        List<Path> files;
        try (Stream<Path> s = Files.list(hd)) {
          files = s.filter(p -> p.getFileName().toString().endsWith(".hgrm")).sorted().toList();
        }
        for (Path f : files) {
          String name = f.getFileName().toString();
          byOp.put(name.substring(0, name.length() - ".hgrm".length()), Hgrm.read(f));
        }
      }
      latency.put(d, byOp);
    }
    Path v = dir.resolve("violations.txt");
    String violations = Files.isRegularFile(v) ? Files.readString(v, StandardCharsets.UTF_8) : "";
    ResultsData data = new ResultsData(dir, manifest, List.copyOf(designs), List.copyOf(jobs),
        summary, reps, locks, cpu, timeline, latency, violations);
    data.waitingAtEnd = waitingAtEnd;
    Path sitesFile = dir.resolve("lock_sites.csv");
    if (Files.isRegularFile(sitesFile)) {
      List<SiteRow> sites = new ArrayList<>();
      for (CsvTable.Row r : CsvTable.read(sitesFile).rows()) {
        sites.add(new SiteRow(r.get("design"), r.get("class"), r.get("side"), r.get("point"),
            r.get("site"), r.integer("count")));
      }
      data.sites = List.copyOf(sites);
    }
    Path tasksFile = dir.resolve("tasks.csv");
    if (Files.isRegularFile(tasksFile)) {
      List<TaskRow> tasks = new ArrayList<>();
      for (CsvTable.Row r : CsvTable.read(tasksFile).rows()) {
        tasks.add(new TaskRow(r.get("design"), (int) r.integer("replication"), r.get("task"),
            r.get("job"), r.integer("operations"), r.integer("busy_ns"),
            r.integer("spinning_ns"), r.integer("sleeping_ns"), r.integer("io_ns"),
            r.integer("runnable_ns")));
      }
      data.tasks = List.copyOf(tasks);
    }
    return data;
  }

  /** The measured simulated time of each run (the workload's runtime), or 0 if not recorded. */
  long runtimeNs() {
    JsonNode r = manifest.path("workload").path("resolved").path("global").path("runtime");
    if (!r.isTextual()) {
      return 0;
    }
    try {
      return faultsim.workload.Units.parseTime(r.asText());
    } catch (RuntimeException e) {
      return 0;
    }
  }

  SummaryRow summary(String design, String job, String metric) {
    for (SummaryRow r : summary) {
      if (r.design().equals(design) && r.job().equals(job) && r.metric().equals(metric)) {
        return r;
      }
    }
    return null;
  }

  /** Metrics of {@code job} in {@code summary.csv} order (of the first design that has them). */
  List<String> metrics(String job) {
    Set<String> out = new LinkedHashSet<>();
    for (SummaryRow r : summary) {
      if (r.job().equals(job)) {
        out.add(r.metric());
      }
    }
    return List.copyOf(out);
  }

  /** Per-replication values of a metric, by replication; empty if not recorded. */
  TreeMap<Integer, Double> perReplication(String design, String job, String metric) {
    TreeMap<Integer, Double> m = replications.getOrDefault(design, Map.of())
        .getOrDefault(job, Map.of()).get(metric);
    return m == null ? new TreeMap<>() : m;
  }

  /** Every {@code job.op} with a latency distribution, in job order then name. */
  List<String> latencyKeys() {
    Set<String> keys = new LinkedHashSet<>();
    for (String job : jobs) {
      for (Map<String, Hgrm> byOp : latency.values()) {
        for (String k : byOp.keySet()) {
          if (k.startsWith(job + ".")) {
            keys.add(k);
          }
        }
      }
    }
    for (Map<String, Hgrm> byOp : latency.values()) {
      keys.addAll(byOp.keySet());
    }
    return List.copyOf(keys);
  }

  String text(String... path) {
    JsonNode n = manifest;
    for (String p : path) {
      n = n.path(p);
    }
    return n.isMissingNode() || n.isNull() ? "" : n.asText();
  }

  int replicationCount() {
    int n = manifest.path("replications").asInt(0);
    if (n > 0) {
      return n;
    }
    return summary.isEmpty() ? 1 : Math.max(1, summary.get(0).n());
  }
}
