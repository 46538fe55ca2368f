package faultsim.report;

import faultsim.results.ResultsWriter;
import faultsim.stats.ConfidenceInterval;
import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** The report of a sweep: metric against the swept value per job, then every point. */
final class SweepReport {
  /** Metrics charted against the swept key: metric, label, axis label, scale. */
  record SweptMetric(String metric, String label, String axis, double scale) {}

  static final List<SweptMetric> METRICS = List.of(
      new SweptMetric("throughput", "Throughput", "throughput (ops/s)", 1),
      new SweptMetric("latency_p99", "p99 latency", "p99 latency (\u00b5s)", 1000));

  private SweepReport() {}

  static void render(Path dir) throws IOException {
    SweepData data = SweepData.read(dir);
    for (Path p : data.points) {
      Report.renderSealed(p, "../../index.html");
    }
    Path charts = dir.resolve("charts");
    Report.deleteTree(charts);
    List<Page.ChartSection> sections = new ArrayList<>();
    for (Map.Entry<String, List<Figure>> e : figures(data).entrySet()) {
      if (!e.getValue().isEmpty()) {
        sections.add(new Page.ChartSection(e.getKey(), Report.slug(e.getKey()),
            Report.writeCharts(e.getValue(), charts, "charts/")));
      }
    }
    List<Page.Fact> swept = new ArrayList<>();
    for (int k = 0; k < data.keys.size(); k++) {
      swept.add(new Page.Fact(data.keys.get(k), String.join(", ", data.values(k))));
    }
    List<Page.DesignLink> designs = new ArrayList<>();
    for (int i = 0; i < data.designs.size(); i++) {
      designs.add(new Page.DesignLink(data.designs.get(i), "",
          ChartStyle.hex(ChartStyle.design(i)), i == 0));
    }
    List<String> columns = new ArrayList<>(data.keys);
    columns.add("design");
    columns.add("job");
    for (SweptMetric m : METRICS) {
      columns.add(m.axis());
    }
    columns.add("violations");
    String title = data.text("workload", "name");
    SweepPage page = new SweepPage(title.isEmpty() ? dir.getFileName().toString() : title,
        Report.paragraphs(data.text("workload", "description")), swept, designs, sections,
        columns, pointRows(data));
    Report.writeAtomically(dir.resolve("index.html"), Report.render("sweep.jte", page));
  }

  static Map<String, List<Figure>> figures(SweepData data) {
    Map<String, List<Figure>> out = new LinkedHashMap<>();
    if (data.keys.isEmpty()) {
      return out;
    }
    String x = data.xName();
    for (SweptMetric m : METRICS) {
      List<Figure> figs = new ArrayList<>();
      for (String job : data.jobs) {
        figs.add(new Figure("sweep-" + m.metric() + "-" + ResultsWriter.fileName(job),
            m.label() + " against " + x + ": " + job,
            "Mean of each point with its 99 % confidence interval; one line per design.",
            chart(data, job, m)));
      }
      out.put(m.label() + " against " + x, figs);
    }
    return out;
  }

  /** {@code metric} of {@code job} against the swept key, one series per design. */
  static JFreeChart chart(SweepData data, String job, SweptMetric m) {
    int xk = data.xKey();
    boolean numeric = data.numeric(xk);
    List<String> xs = data.values(xk);
    Map<String, YIntervalSeries> series = new LinkedHashMap<>();
    Map<String, Integer> seriesDesign = new LinkedHashMap<>();
    Map<String, Integer> seriesVariant = new LinkedHashMap<>();
    List<String> variants = new ArrayList<>();
    for (SweepData.Row r : data.rows) {
      if (!r.job().equals(job) || !r.metric().equals(m.metric())) {
        continue;
      }
      String rest = String.join(", ", restOf(data, xk, r.values()));
      if (!variants.contains(rest)) {
        variants.add(rest);
      }
      String key = rest.isEmpty() ? r.design() : r.design() + " (" + rest + ")";
      YIntervalSeries s = series.computeIfAbsent(key, k -> new YIntervalSeries(k, false, true));
      seriesDesign.putIfAbsent(key, data.designs.indexOf(r.design()));
      seriesVariant.putIfAbsent(key, variants.indexOf(rest));
      double x = numeric ? Double.parseDouble(r.values().get(xk))
          : xs.indexOf(r.values().get(xk));
      double y = r.mean() / m.scale();
      // On the log scale, as the summary table's intervals: never below zero.
      double[] lh = ConfidenceInterval.positive(r.mean(), r.ci99());
      s.add(x, y, Double.isNaN(lh[0]) ? y : lh[0] / m.scale(),
          Double.isNaN(lh[1]) ? y : lh[1] / m.scale());
    }
    YIntervalSeriesCollection ds = new YIntervalSeriesCollection();
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDefaultLinesVisible(true);
    renderer.setDefaultShapesVisible(true);
    renderer.setCapLength(6);
    renderer.setErrorStroke(new BasicStroke(1.5f));
    int i = 0;
    for (Map.Entry<String, YIntervalSeries> e : series.entrySet()) {
      ds.addSeries(e.getValue());
      renderer.setSeriesPaint(i, ChartStyle.design(seriesDesign.get(e.getKey())));
      int v = seriesVariant.get(e.getKey());
      renderer.setSeriesStroke(i, v == 0 ? ChartStyle.LINE : new BasicStroke(2f,
          BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f * v, 4f}, 0f));
      i++;
    }
    ValueAxis x;
    if (numeric) {
      NumberAxis n = new NumberAxis(data.xName());
      n.setAutoRangeIncludesZero(false);
      if (data.integral(xk)) {
        // A count (threads, cores): no tick between two whole values.
        n.setStandardTickUnits(NumberAxis.createIntegerTickUnits(java.util.Locale.ROOT));
      }
      x = n;
    } else {
      x = new SymbolAxis(data.xName(), xs.toArray(new String[0]));
    }
    NumberAxis y = new NumberAxis(m.axis());
    XYPlot plot = new XYPlot(ds, x, y, renderer);
    JFreeChart chart = new JFreeChart(job + ": " + m.label().toLowerCase(java.util.Locale.ROOT)
        + " against " + data.xName(), null, plot, true);
    return ChartStyle.apply(chart);
  }

  /**
   * The other keys that vary, as {@code key=value}: they tell series apart. In a zipped sweep
   * they moved with the x axis's key, so there are none.
   */
  private static List<String> restOf(SweepData data, int xk, List<String> values) {
    List<String> out = new ArrayList<>();
    for (int k = 0; !data.zipped && k < data.keys.size(); k++) {
      if (k != xk && data.varies(k)) {
        out.add(data.keys.get(k) + "=" + values.get(k));
      }
    }
    return out;
  }

  static List<SweepPage.PointRow> pointRows(SweepData data) {
    Map<String, SweepPage.PointRow> rows = new LinkedHashMap<>();
    Map<String, List<String>> cells = new LinkedHashMap<>();
    for (SweepData.Row r : data.rows) {
      if (ResultsData.PSEUDO_JOBS.contains(r.job())) {
        continue;
      }
      String key = r.point() + "\u0000" + r.design() + "\u0000" + r.job();
      if (!cells.containsKey(key)) {
        List<String> c = new ArrayList<>(r.values());
        c.add(r.design());
        c.add(r.job());
        for (int i = 0; i < METRICS.size(); i++) {
          c.add("");
        }
        c.add(violations(data, r.point(), r.design()));
        cells.put(key, c);
        Path p = data.point(r.point());
        String href = p == null ? "" : "points/" + p.getFileName() + "/index.html";
        rows.put(key, new SweepPage.PointRow(href,
            ChartStyle.hex(ChartStyle.design(data.designs.indexOf(r.design()))), c));
      }
      for (int i = 0; i < METRICS.size(); i++) {
        SweptMetric m = METRICS.get(i);
        if (m.metric().equals(r.metric())) {
          double[] lh = ConfidenceInterval.positive(r.mean(), r.ci99());
          String v = Fmt.number(r.mean() / m.scale(), 4);
          if (r.ci99() == 0 && r.n() > 1) {
            v += " (no spread)";
          } else if (!Double.isNaN(lh[0])) {
            v += " (" + Fmt.number(lh[0] / m.scale(), 4) + " \u2013 "
                + Fmt.number(lh[1] / m.scale(), 4) + ")";
          }
          cells.get(key).set(data.keys.size() + 2 + i, v);
        }
      }
    }
    return List.copyOf(rows.values());
  }

  /** A design's violations at a point: each kind found with its count, or {@code none}. */
  static String violations(SweepData data, int point, String design) {
    List<String> kinds = new ArrayList<>();
    for (SweepData.Row r : data.rows) {
      if (r.point() == point && r.design().equals(design) && r.job().equals("all")
          && r.metric().startsWith("violations_")) {
        long count = Math.round(r.mean() * r.n());
        if (count > 0) {
          kinds.add(r.metric().substring("violations_".length()) + " \u00d7 " + count);
        }
      }
    }
    return kinds.isEmpty() ? "none" : "UNSAFE: " + String.join(", ", kinds);
  }
}
