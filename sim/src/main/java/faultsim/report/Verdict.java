package faultsim.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answer first: which designs are unsafe (any violation found in any replication makes a
 * design unsafe, whatever it does for speed), then the safe designs ranked by the workload's main
 * metric, each with its change from the baseline and that change's 99 % interval.
 *
 * <p>The main metric is the throughput of the workload's first fault job (a job with
 * {@code rw:}), or of its first job when it has none: page-fault throughput is what a locking
 * proposal is meant to keep, and the operation jobs (truncates, punches, mmaps) run at the pace
 * the workload sets.
 *
 * @param metric what the safe designs are ranked by, e.g. {@code throughput of job reader}
 * @param unsafe designs with violations, in design order
 * @param safe designs without violations, best first
 * @param baseline which design the changes are measured from, and why that one
 * @param replications the sentence on how many replications back the numbers
 * @param counts every design and kind with violations: the violation summary table
 * @param why for each unsafe design and each safe one but the fastest, what held it back
 */
public record Verdict(String metric, List<Unsafe> unsafe, List<Ranked> safe, String baseline,
    String replications, List<KindCount> counts, List<Why> why) {

  /**
   * One kind of violation of one design.
   *
   * @param count violations counted over all replications
   * @param found {@code k of n}: replications that found at least one
   * @param href the first interleaving of this kind on the page, or empty
   */
  public record KindCount(String design, String colour, String kind, long count, String found,
      String href) {}

  /**
   * A design with violations.
   *
   * @param kinds each kind found with its count, e.g. {@code stale_data × 93}
   * @param found {@code found in k of n replications}
   * @param href the first interleaving shown on the page
   */
  public record Unsafe(String design, String colour, List<String> kinds, String found,
      String href) {}

  /**
   * A safe design.
   *
   * @param value the main metric's mean with its unit
   * @param ci its 99 % interval, or why there is none
   * @param change change from the baseline with its interval, empty for the baseline
   * @param verdict the paired test's outcome, or why there was none
   * @param css as the summary table's cells
   */
  public record Ranked(int rank, String design, String colour, boolean baseline, String value,
      String ci, String change, String verdict, String css) {}

  /** The job whose throughput ranks the designs. */
  static String mainJob(ResultsData data) {
    JsonNode jobs = data.manifest.path("workload").path("resolved").path("jobs");
    for (Iterator<Map.Entry<String, JsonNode>> it = jobs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode rw = e.getValue().path("rw");
      if (!rw.isMissingNode() && !rw.isNull() && data.jobs.contains(e.getKey())) {
        return e.getKey();
      }
    }
    return data.jobs.isEmpty() ? "" : data.jobs.get(0);
  }

  static Verdict of(ResultsData data, SummaryTable table, Violations shown)
      throws java.io.IOException {
    String job = mainJob(data);
    List<Unsafe> unsafe = new ArrayList<>();
    List<KindCount> counts = new ArrayList<>();
    List<String> safeDesigns = new ArrayList<>();
    for (int d = 0; d < data.designs.size(); d++) {
      String design = data.designs.get(d);
      List<String> kinds = new ArrayList<>();
      TreeMap<Integer, Double> perRep = new TreeMap<>();
      for (ResultsData.SummaryRow r : data.summary) {
        if (r.design().equals(design) && r.job().equals("all")
            && r.metric().startsWith("violations_")) {
          long count = Math.round(r.mean() * r.n());
          TreeMap<Integer, Double> values = data.perReplication(design, "all", r.metric());
          values.forEach((rep, v) -> perRep.merge(rep, v, Double::sum));
          if (count > 0) {
            String kind = r.metric().substring("violations_".length());
            kinds.add(kind + " \u00d7 " + count);
            counts.add(new KindCount(design, ChartStyle.hex(ChartStyle.design(d)), kind, count,
                values.values().stream().filter(v -> v > 0).count() + " of " + values.size(),
                href(shown, design, kind)));
          }
        }
      }
      if (kinds.isEmpty()) {
        safeDesigns.add(design);
      } else {
        long found = perRep.values().stream().filter(v -> v > 0).count();
        unsafe.add(new Unsafe(design, ChartStyle.hex(ChartStyle.design(d)), kinds,
            "found in " + found + " of " + perRep.size() + " replications",
            href(shown, design, null)));
      }
    }
    List<Ranked> safe = new ArrayList<>();
    SummaryTable.Group group = table.groups().stream().filter(g -> g.job().equals(job))
        .findFirst().orElse(null);
    if (group != null) {
      List<SummaryTable.Row> rows = new ArrayList<>(group.rows());
      rows.removeIf(r -> !safeDesigns.contains(r.design()));
      rows.sort(Comparator.comparingDouble(
          (SummaryTable.Row r) -> -SummaryTable.mean(data, r.design(), job, "throughput")));
      int rank = 1;
      for (SummaryTable.Row r : rows) {
        SummaryTable.Cell c = r.cells().get(0);
        safe.add(new Ranked(rank++, r.design(), r.colour(), r.baseline(),
            c.value() + " ops/s", c.ci(), r.baseline() ? "" : c.change(),
            r.baseline() ? "the baseline" : c.verdict()
                + (c.p().isEmpty() ? "" : ", p " + (c.p().startsWith("<") ? "" : "= ") + c.p()),
            c.css()));
      }
    }
    int n = data.replicationCount();
    String how = data.text("replications_chosen_by");
    String reps = n + (n == 1 ? " replication" : " replications") + " per design"
        + (how.isEmpty() ? "" : ", chosen by " + how)
        + (n < Comparison.MIN_N ? "; fewer than " + Comparison.MIN_N
            + ": differences are shown but not tested" : "");
    List<String> explain = new ArrayList<>();
    unsafe.forEach(u -> explain.add(u.design()));
    safe.stream().skip(1).forEach(r -> explain.add(r.design()));
    String best = safe.isEmpty() ? null : safe.get(0).design();
    return new Verdict("throughput of job " + job, unsafe, safe, baseline(data, unsafe), reps,
        counts, Why.of(data, job, explain, best));
  }

  /**
   * The sentence naming the baseline: the first safe design, saying which designs before it
   * were passed over as unsafe; or, when no design is safe, that there is none.
   */
  static String baseline(ResultsData data, List<Unsafe> unsafe) {
    if (data.designs.isEmpty()) {
      return "";
    }
    String base = SummaryTable.baseline(data);
    if (!unsafe.isEmpty() && unsafe.size() == data.designs.size()) {
      return "no safe baseline: every design has violations (the summary table compares with "
          + base + ", the first design)";
    }
    List<String> before = data.designs.subList(0, data.designs.indexOf(base));
    if (before.isEmpty()) {
      return "baseline: " + base + " (the first design)";
    }
    return "baseline: " + base + " (the first design without violations; "
        + Fmt.and(before) + (before.size() == 1 ? " is" : " are") + " unsafe)";
  }

  /** The link to a design's first violation shown (of {@code kind}, if not null), or empty. */
  private static String href(Violations shown, String design, String kind) {
    for (Violations.DesignViolations dv : shown.designs()) {
      if (dv.design().equals(design)) {
        for (Violations.Violation v : dv.violations()) {
          if (kind == null || v.kind().equals(kind)) {
            return "#" + v.id();
          }
        }
      }
    }
    return "";
  }

  /** The verdict as plain text (its golden form). */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    for (Unsafe u : unsafe) {
      sb.append("UNSAFE ").append(u.design()).append(": ").append(String.join(", ", u.kinds()))
          .append(" (").append(u.found()).append(")\n");
    }
    sb.append(baseline).append('\n');
    sb.append("safe designs by ").append(metric).append(":\n");
    for (Ranked r : safe) {
      sb.append("  ").append(r.rank()).append(". ").append(r.design()).append("  ")
          .append(r.value());
      if (!r.ci().isEmpty()) {
        sb.append(" (").append(r.ci()).append(')');
      }
      if (!r.change().isEmpty()) {
        sb.append("  ").append(r.change());
      }
      sb.append("  ").append(r.verdict()).append('\n');
    }
    sb.append(replications).append('\n');
    for (Why w : why) {
      sb.append("why ").append(w.design()).append(": ").append(w.text()).append('\n');
    }
    return sb.toString();
  }
}
