package faultsim.report;

import faultsim.stats.ConfidenceInterval;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Designs × key metrics, per job: mean ± 99 % confidence half-width across replications and, for
 * every design after the first (the baseline), the relative difference from the baseline and
 * whether a paired t-test across replications finds it significant at 99 %.
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
      new Metric("retries", "retries", 1, "", false, 3),
      new Metric("violations", VIOLATIONS, 1, "", false, 3));

  static SummaryTable of(ResultsData data) {
    List<Column> columns = new ArrayList<>();
    for (Metric m : METRICS) {
      columns.add(new Column(m.label(), m.unit()));
    }
    List<Group> groups = new ArrayList<>();
    String baseline = data.designs.isEmpty() ? "" : data.designs.get(0);
    for (String job : data.jobs) {
      List<Row> rows = new ArrayList<>();
      for (int d = 0; d < data.designs.size(); d++) {
        String design = data.designs.get(d);
        List<Cell> cells = new ArrayList<>();
        for (Metric m : METRICS) {
          cells.add(cell(data, baseline, design, job, m));
        }
        rows.add(new Row(design, ChartStyle.hex(ChartStyle.design(d)), d == 0, cells));
      }
      groups.add(new Group(job, rows));
    }
    return new SummaryTable(columns, groups);
  }

  private static Cell cell(ResultsData data, String baseline, String design, String job,
      Metric m) {
    double mean = mean(data, design, job, m.metric());
    if (Double.isNaN(mean)) {
      return new Cell("", "", "", "", "", "");
    }
    TreeMap<Integer, Double> values = values(data, design, job, m.metric());
    double ci;
    if (m.metric().equals(VIOLATIONS)) {
      double[] xs = values.values().stream().mapToDouble(Double::doubleValue).toArray();
      ci = xs.length >= 2 ? ConfidenceInterval.halfWidth(xs, 0.99) : Double.NaN;
    } else {
      ci = data.summary(design, job, m.metric()).ci99();
    }
    String[] mc = Fmt.meanCi(mean / m.scale(), ci / m.scale(), m.digits());
    if (design.equals(baseline)) {
      return new Cell(mc[0], mc[1], "", "baseline", "", "");
    }
    double baseMean = mean(data, baseline, job, m.metric());
    String change = baseMean == 0 ? (mean == 0 ? Fmt.percent(0) : "")
        : Fmt.percent((mean - baseMean) / Math.abs(baseMean));
    TreeMap<Integer, Double> base = values(data, baseline, job, m.metric());
    List<Integer> common = new ArrayList<>(base.keySet());
    common.retainAll(values.keySet());
    if (common.size() < 2) {
      return new Cell(mc[0], mc[1], change,
          common.isEmpty() ? "no per-replication values" : "one replication: no test", "", "");
    }
    double[] a = new double[common.size()];
    double[] b = new double[common.size()];
    for (int i = 0; i < common.size(); i++) {
      a[i] = base.get(common.get(i));
      b[i] = values.get(common.get(i));
    }
    Comparison c = Comparison.paired(a, b, Comparison.ALPHA);
    String css;
    if (!c.significant()) {
      css = "same";
    } else {
      css = (c.difference() > 0) == m.higherIsBetter() ? "better" : "worse";
    }
    return new Cell(mc[0], mc[1], change, c.significant() ? "significant" : "n.s.",
        Fmt.pValue(c.pValue()), css);
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
          if (!cell.ci().isEmpty()) {
            sb.append(" \u00b1 ").append(cell.ci());
          }
          if (!c.unit().isEmpty()) {
            sb.append(' ').append(c.unit());
          }
          if (!cell.change().isEmpty()) {
            sb.append("  ").append(cell.change());
          }
          if (!r.baseline()) {
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
