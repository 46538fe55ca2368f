package faultsim.hunt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import faultsim.oracle.Violation;
import faultsim.results.Version;
import faultsim.stats.Csv;
import faultsim.workload.Workload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A hunt's results directory: {@code hunt.txt} and {@code hunt.csv} (one row per design × oracle
 * kind), {@code hunt/<design>-<kind>.schedule} and {@code hunt/<design>-<kind>.violation.txt}
 * (the violation as the schedule's replay prints it) for each kind found, and
 * {@code manifest.json}; {@code index.html} is rendered from them ({@code
 * faultsim.report.HuntPage}).
 */
public final class HuntReport {
  private HuntReport() {}

  /** A design entry as the workload gives it: the design's name or path, its own settings. */
  public record Entry(String design, List<String> sets) {}

  /**
   * What the hunt was given, for the files.
   *
   * @param asGiven each design's entry, by the label results use
   * @param out the results directory as the command was given it (or its default), which
   *     the report's replay command lines name
   */
  public record Request(String workloadPath, List<String> sets, Map<String, Entry> asGiven,
      Hunt.Settings settings, String out) {}

  /**
   * The schedule file of a finding: the hunt's overrides followed by the entry's own settings,
   * so that replaying loads the workload the entry's runs used.
   */
  public static Schedule schedule(Workload w, Request q, Hunt.DesignResult d, Hunt.Finding f) {
    Entry e = q.asGiven().getOrDefault(d.design(), new Entry(d.design(), List.of()));
    List<String> sets = new java.util.ArrayList<>(q.sets());
    sets.addAll(e.sets());
    return new Schedule(q.workloadPath(), Schedule.sha256(w.sourceText()), sets,
        e.design(), q.settings().seed(),
        q.settings().strategy().key(), f.kind(), f.replication(), f.shrunk());
  }

  /** Writes every file into {@code dir}. */
  public static void write(Path dir, Workload w, Request q, List<Hunt.DesignResult> results,
      Map<String, Object> info) throws IOException {
    Path hunt = dir.resolve("hunt");
    Files.createDirectories(hunt);
    for (Hunt.DesignResult d : results) {
      for (Hunt.Finding f : d.findings().values()) {
        String base = d.design() + "-" + f.kind();
        Files.writeString(hunt.resolve(base + ".schedule"), schedule(w, q, d, f).text(),
            StandardCharsets.UTF_8);
        Files.writeString(hunt.resolve(base + ".violation.txt"), f.text(),
            StandardCharsets.UTF_8);
      }
    }
    Files.writeString(dir.resolve("hunt.txt"), text(w, q, results), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("hunt.csv"), csv(results), StandardCharsets.UTF_8);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("faultsim_version", Version.get());
    m.put("command", "hunt");
    Map<String, Object> wl = new LinkedHashMap<>();
    wl.put("name", w.name());
    wl.put("file", q.workloadPath());
    wl.put("description", w.description());
    wl.put("sha256", Schedule.sha256(w.sourceText()));
    wl.put("source", w.sourceText());
    wl.put("sets", q.sets());
    m.put("workload", wl);
    m.put("designs", results.stream().map(Hunt.DesignResult::design).toList());
    m.put("strategy", q.settings().strategy().key());
    m.put("schedules", q.settings().schedules());
    m.put("depth", q.settings().depth());
    m.put("seed", q.settings().seed());
    m.put("replication", 0);
    m.put("out", q.out());
    m.putAll(info);
    ObjectMapper mapper = new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(dir.resolve("manifest.json"), mapper.writeValueAsString(m) + "\n",
        StandardCharsets.UTF_8);
  }

  /** {@code hunt.txt}: per design, how it was searched, then a line per oracle kind. */
  public static String text(Workload w, Request q, List<Hunt.DesignResult> results) {
    StringBuilder sb = new StringBuilder();
    Hunt.Settings s = q.settings();
    sb.append(String.format(Locale.ROOT, "hunt %s: strategy %s, depth %d, at most %d schedules,"
        + " seed %d%n", q.workloadPath(), s.strategy().key(), s.depth(), s.schedules(),
        s.seed()));
    for (Hunt.DesignResult d : results) {
      String delays = s.strategy() == Hunt.Strategy.PAIRS
          ? "delays computed from recorded times, longest " + fmt(d.maxDelayNs())
          : "delays " + fmt(Hunt.MIN_DELAY_NS) + " to " + fmt(d.maxDelayNs());
      sb.append(String.format(Locale.ROOT, "%ndesign %s: %d interaction points unperturbed,"
          + " %s, %d schedule%s run%n", d.design(), d.points(), delays, d.schedulesRun(),
          d.schedulesRun() == 1 ? "" : "s"));
      for (String kind : Violation.KINDS) {
        Hunt.Finding f = d.findings().get(kind);
        if (f == null) {
          sb.append(String.format(Locale.ROOT, "  %-16s not found%n", kind));
        } else {
          sb.append(String.format(Locale.ROOT, "  %-16s found at schedule %d, perturbations"
              + " %d -> %d: %s%n", kind, f.schedule(), f.found().size(), f.shrunk().size(),
              f.violation().summary()));
          sb.append(String.format(Locale.ROOT, "  %-16s replay: hunt/%s-%s.schedule%n", "",
              d.design(), kind));
        }
      }
    }
    return sb.toString();
  }

  /** {@code hunt.csv}: one row per design × kind. */
  public static String csv(List<Hunt.DesignResult> results) {
    StringBuilder sb = new StringBuilder("design,kind,found,schedules,points,perturbations_found,"
        + "perturbations_shrunk,time_ns,summary\n");
    for (Hunt.DesignResult d : results) {
      for (String kind : Violation.KINDS) {
        Hunt.Finding f = d.findings().get(kind);
        List<String> row = new ArrayList<>(List.of(Csv.field(d.design()), kind));
        if (f == null) {
          row.addAll(List.of("false", Integer.toString(d.schedulesRun()),
              Long.toString(d.points()), "", "", "", ""));
        } else {
          row.addAll(List.of("true", Integer.toString(f.schedule()), Long.toString(d.points()),
              Integer.toString(f.found().size()), Integer.toString(f.shrunk().size()),
              Long.toString(f.violation().timeNs()), Csv.field(f.violation().summary())));
        }
        sb.append(String.join(",", row)).append('\n');
      }
    }
    return sb.toString();
  }

  private static String fmt(long ns) {
    return faultsim.workload.Units.formatTime(ns);
  }
}
