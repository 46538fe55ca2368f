package faultsim.run;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep: the cartesian product of {@code --set key=v1,v2,...} values, one complete results
 * directory per point under {@code points/}, and {@code sweep.csv} combining their summaries with
 * one column per swept key. Points whose results directory is complete are not run again, so a
 * killed sweep resumes where it stopped; every point uses the same base seed, so the points are
 * compared on common random numbers too.
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

  /** Told before each point runs or is found already done. */
  public interface Listener {
    void point(Point p, boolean alreadyDone, int total);
  }

  private Sweep() {}

  /**
   * Expands {@code sweepSets} ({@code key=v1,v2,...}) into points, keys varying slowest-first in
   * the order given.
   */
  public static List<Point> points(List<String> sweepSets) throws InputException {
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
    for (List<String> vs : values) {
      total *= vs.size();
    }
    for (int i = 0; i < total; i++) {
      List<String> chosen = new ArrayList<>();
      int rest = i;
      for (int k = keys.size() - 1; k >= 0; k--) {
        List<String> vs = values.get(k);
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

  /**
   * Runs (or resumes) a sweep into {@code dir}. Every point's workload is loaded and checked
   * before any point runs. {@code stopAfter} ends the sweep after that many newly run points (for
   * interruption tests; a negative value means no limit). Returns whether every point is done.
   */
  public static boolean run(Path file, List<String> fixedSets, List<String> sweepSets, Path dir,
      int threads, int stopAfter, Listener listener) throws InputException, IOException,
      InterruptedException {
    List<Point> points = points(sweepSets);
    WorkloadLoader loader = new WorkloadLoader();
    Map<Point, Workload> workloads = new LinkedHashMap<>();
    for (Point p : points) {
      List<String> sets = new ArrayList<>(fixedSets);
      sets.addAll(p.sets());
      workloads.put(p, loader.load(file, sets));
    }
    Files.createDirectories(dir.resolve("points"));
    int ran = 0;
    for (Point p : points) {
      Path pointDir = dir.resolve("points").resolve(p.id());
      boolean done = Files.isRegularFile(pointDir.resolve("summary.csv"));
      if (listener != null) {
        listener.point(p, done, points.size());
      }
      if (done) {
        continue;
      }
      if (stopAfter >= 0 && ran == stopAfter) {
        return false;
      }
      Workload w = workloads.get(p);
      long t0 = System.nanoTime();
      List<ReplicationResult> results = Experiment.run(w, threads, null);
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("wall_seconds", Math.round((System.nanoTime() - t0) / 1e6) / 1000.0);
      info.put("threads", threads);
      info.put("sweep_point", p.sets());
      ResultsWriter.write(pointDir, w, results, info);
      ran++;
    }
    writeSweepCsv(dir, points);
    return true;
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
