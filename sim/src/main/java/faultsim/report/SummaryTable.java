package faultsim.report;

import faultsim.stats.ConfidenceInterval;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Designs × key metrics, per job: the mean across replications with its 99 % confidence interval
 * (on the log scale: never below zero) and, for every design but the baseline (the first design
 * without violations, or the first design when every one has some), the change from the
 * baseline with its interval and whether a paired t-test across replications
 * finds it significant at 99 % after Holm's correction over every test of the table. No test is
 * made with fewer than five replications or differences without spread; violations are counted
 * ("found in k of n replications"), never tested.
 *
 * @param columns the metrics, left to right
 * @param groups one per job, in workload order
 */
public record SummaryTable(List<Column> columns, List<Group> groups) {
  /** A metric column: its label and the unit its values are shown in. */
  public record Column(String label, String unit) {}

  /** One job's rows. */
  public record Group(String job, List<Row> rows) {}

  /** One design's cells; {@code colour} is the design's colour in the charts. */
  public record Row(String design, String colour, boolean baseline, List<Cell> cells) {}

  /**
   * One value.
   *
   * @param value the mean
   * @param ci the 99 % half-width, empty when there is none (one replication)
   * @param change relative difference from the baseline, empty for the baseline
   * @param verdict {@code significant}, {@code n.s.} (not significant), or why there is no test
   * @param p the paired test's p-value, or empty
   * @param css {@code better}, {@code worse} (significant either way), {@code same} or empty
   */
  public record Cell(String value, String ci, String change, String verdict, String p,
      String css) {}

  /** A metric of the table. */
  record Metric(String label, String metric, double scale, String unit, boolean higherIsBetter,
      int digits) {}

  /** Not a {@code summary.csv} metric: the sum of every {@code violations_<kind>} of a design. */
  static final String VIOLATIONS = "violations";

  static final List<Metric> METRICS = List.of(
      new Metric("throughput", "throughput", 1, "ops/s", true, 4),
      new Metric("p50", "latency_p50", 1000, "\u00b5s", false, 3),
      new Metric("p99", "latency_p99", 1000, "\u00b5s", false, 3),
      new Metric("p99.9", "latency_p999", 1000, "\u00b5s", false, 3),
      new Metric("retries", "retries", 1, "", false, 3));

  static SummaryTable of(ResultsData data) {
    List<Column> columns = new ArrayList<>();
    for (Metric m : METRICS) {
      columns.add(new Column(m.label(), m.unit()));
    }
    String baseline = baseline(data);
    // Every test of the table is one family: their p-values are adjusted together (Holm).
    List<Comparison> family = new ArrayList<>();
    for (String job : data.jobs) {
      for (String design : data.designs) {
        for (Metric m : METRICS) {
          Comparison c = compare(data, baseline, design, job, m);
          if (c != null) {
            family.add(c);
          }
        }
      }
    }
    List<Comparison> adjusted = Comparison.holm(family);
    int next = 0;
    List<Group> groups = new ArrayList<>();
    for (String job : data.jobs) {
      List<Row> rows = new ArrayList<>();
      for (int d = 0; d < data.designs.size(); d++) {
        String design = data.designs.get(d);
        List<Cell> cells = new ArrayList<>();
        for (Metric m : METRICS) {
          Comparison c = null;
          if (compare(data, baseline, design, job, m) != null) {
            c = adjusted.get(next++);
          }
          cells.add(cell(data, baseline, design, job, m, c));
        }
        rows.add(new Row(design, ChartStyle.hex(ChartStyle.design(d)), design.equals(baseline),
            cells));
      }
      groups.add(new Group(job, rows));
    }
    return new SummaryTable(columns, groups);
  }

  /**
   * The design the others are compared with: the first design without violations (an unsafe
   * design is no reference for speed), or the first design when every one has violations; empty
   * without designs.
   */
  static String baseline(ResultsData data) {
    for (String d : data.designs) {
      if (!unsafe(data, d)) {
        return d;
      }
    }
    return data.designs.isEmpty() ? "" : data.designs.get(0);
  }

  /** Whether the oracle found any violation of {@code design} in any replication. */
  static boolean unsafe(ResultsData data, String design) {
    for (ResultsData.SummaryRow r : data.summary) {
      if (r.design().equals(design) && r.job().equals("all")
          && r.metric().startsWith("violations_") && Math.round(r.mean() * r.n()) > 0) {
        return true;
      }
    }
    return false;
  }

  /** Paired values of a metric in the replications both designs have: {baseline, design}. */
  static double[][] paired(ResultsData data, String baseline, String design, String job,
      String metric) {
    TreeMap<Integer, Double> base = values(data, baseline, job, metric);
    TreeMap<Integer, Double> values = values(data, design, job, metric);
    List<Integer> common = new ArrayList<>(base.keySet());
    common.retainAll(values.keySet());
    double[][] out = new double[2][common.size()];
    for (int i = 0; i < common.size(); i++) {
      out[0][i] = base.get(common.get(i));
      out[1][i] = values.get(common.get(i));
    }
    return out;
  }

  /** The paired comparison of a cell, or null where none is made (baseline, violations). */
  private static Comparison compare(ResultsData data, String baseline, String design,
      String job, Metric m) {
    if (design.equals(baseline) || m.metric().equals(VIOLATIONS)
        || Double.isNaN(mean(data, design, job, m.metric()))) {
      return null;
    }
    double[][] ab = paired(data, baseline, design, job, m.metric());
    if (ab[0].length == 0) {
      return null;
    }
    return Comparison.paired(ab[0], ab[1], Comparison.ALPHA);
  }

  private static Cell cell(ResultsData data, String baseline, String design, String job,
      Metric m, Comparison c) {
    double mean = mean(data, design, job, m.metric());
    if (Double.isNaN(mean)) {
      return new Cell("", "", "", "", "", "");
    }
    TreeMap<Integer, Double> values = values(data, design, job, m.metric());
    if (m.metric().equals(VIOLATIONS)) {
      // Counts of a defect are not a quantity to average and test: one is enough.
      long found = values.values().stream().filter(v -> v > 0).count();
      String v = Fmt.number(mean * values.size(), 3);
      return new Cell(v, "", "", "found in " + found + " of " + values.size()
          + " replications", "", found > 0 ? "worse" : "");
    }
    String value = Fmt.number(mean / m.scale(), m.digits());
    String ci = interval(data.summary(design, job, m.metric()), m);
    if (design.equals(baseline)) {
      return new Cell(value, ci, "", "baseline", "", "");
    }
    if (c == null) {
      return new Cell(value, ci, "", "no per-replication values", "", "");
    }
    double[][] ab = paired(data, baseline, design, job, m.metric());
    String change = change(ab, c);
    if (!c.testable()) {
      return new Cell(value, ci, change, c.notTested(), "", "untested");
    }
    String css = !c.significant() ? "same"
        : (c.difference() > 0) == m.higherIsBetter() ? "better" : "worse";
    return new Cell(value, ci, change, c.significant() ? "significant" : "n.s.",
        Fmt.pValue(c.pValue()), css);
  }

  /**
   * The 99 % interval of a mean, on the log scale so that it never goes below zero
   * ({@link ConfidenceInterval#positive}); {@code no spread} when every replication gave the
   * same value, empty with one replication.
   */
  static String interval(ResultsData.SummaryRow r, Metric m) {
    if (r == null || r.n() < 2 || Double.isNaN(r.ci99())) {
      return "";
    }
    if (r.ci99() == 0) {
      return "no spread in " + r.n();
    }
    double[] lh = ConfidenceInterval.positive(r.mean(), r.ci99());
    if (Double.isNaN(lh[0])) {
      return "";
    }
    return Fmt.number(lh[0] / m.scale(), m.digits()) + " \u2013 "
        + Fmt.number(lh[1] / m.scale(), m.digits());
  }

  /**
   * The change from the baseline: the geometric mean of the paired ratios with its 99 %
   * interval ({@link ConfidenceInterval#pairedRatio}, never below -100 %) where every value is
   * positive, else the difference of the means.
   */
  static String change(double[][] ab, Comparison c) {
    double[] ratio = ConfidenceInterval.pairedRatio(ab[0], ab[1], 1 - Comparison.ALPHA);
    if (Double.isNaN(ratio[0])) {
      double base = c.baselineMean();
      return base == 0 ? (c.mean() == 0 ? Fmt.percent(0) : "") : Fmt.percent(c.relativeDifference());
    }
    String pct = Fmt.percent(ratio[0] - 1);
    if (Double.isNaN(ratio[1]) || ratio[1] == ratio[2]) {
      return pct;
    }
    return pct + " [" + Fmt.percent(ratio[1] - 1) + ", " + Fmt.percent(ratio[2] - 1) + "]";
  }

  /** The mean from {@code summary.csv}; for violations, the sum over kinds; NaN if absent. */
  static double mean(ResultsData data, String design, String job, String metric) {
    if (!metric.equals(VIOLATIONS)) {
      ResultsData.SummaryRow r = data.summary(design, job, metric);
      return r == null ? Double.NaN : r.mean();
    }
    double sum = 0;
    boolean any = false;
    for (ResultsData.SummaryRow r : data.summary) {
      if (r.design().equals(design) && r.job().equals("all")
          && r.metric().startsWith("violations_")) {
        sum += r.mean();
        any = true;
      }
    }
    return any ? sum : Double.NaN;
  }

  /** Per-replication values of a metric; for violations, the sum over kinds. */
  static TreeMap<Integer, Double> values(ResultsData data, String design, String job,
      String metric) {
    if (!metric.equals(VIOLATIONS)) {
      return data.perReplication(design, job, metric);
    }
    TreeMap<Integer, Double> sum = new TreeMap<>();
    Map<String, TreeMap<Integer, Double>> all = data.replications
        .getOrDefault(design, Map.of()).getOrDefault("all", Map.of());
    for (Map.Entry<String, TreeMap<Integer, Double>> e : all.entrySet()) {
      if (e.getKey().startsWith("violations_")) {
        e.getValue().forEach((r, v) -> sum.merge(r, v, Double::sum));
      }
    }
    return sum;
  }

  /** The table as plain text, one line per design and job (the golden form of the table). */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    for (Group g : groups) {
      sb.append("job ").append(g.job()).append('\n');
      for (Row r : g.rows()) {
        sb.append("  ").append(r.design()).append(r.baseline() ? " (baseline)" : "").append('\n');
        for (int i = 0; i < columns.size(); i++) {
          Column c = columns.get(i);
          Cell cell = r.cells().get(i);
          if (cell.value().isEmpty()) {
            continue;
          }
          sb.append(String.format(Locale.ROOT, "    %-11s %s", c.label(), cell.value()));
          if (!c.unit().isEmpty()) {
            sb.append(' ').append(c.unit());
          }
          if (!cell.ci().isEmpty()) {
            sb.append(" (").append(cell.ci()).append(')');
          }
          if (!cell.change().isEmpty()) {
            sb.append("  ").append(cell.change());
          }
          if (!r.baseline() || !cell.css().isEmpty()) {
            sb.append("  ").append(cell.verdict());
            if (!cell.p().isEmpty()) {
              sb.append(" (p ").append(cell.p().startsWith("<") ? "" : "= ").append(cell.p())
                  .append(')');
            }
          }
          sb.append('\n');
        }
      }
    }
    return sb.toString();
  }
}
