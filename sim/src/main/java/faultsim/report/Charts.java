package faultsim.report;

import faultsim.results.ResultsWriter;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The charts of a run's report, each a pure function of the results directory's files. A design
 * keeps its colour ({@link ChartStyle#design}) in every chart.
 */
final class Charts {
  /** Lock classes shown by name in the lock-wait chart; the rest are summed as "other". */
  static final int MAX_LOCK_SERIES = 9;

  /** CPU states of {@code cpu.csv}, in stacking order, with their labels. */
  static final Map<String, String> CPU_STATES = Map.of(
      "busy", "busy", "spinning", "spinning", "io_wait", "I/O wait", "idle", "idle");
  static final List<String> CPU_ORDER = List.of("busy", "spinning", "io_wait", "idle");

  private Charts() {}

  /** Every chart of a run's report, by page section. */
  static Map<String, List<Figure>> forRun(ResultsData data) {
    Map<String, List<Figure>> sections = new LinkedHashMap<>();
    List<Figure> latency = new ArrayList<>();
    for (String key : data.latencyKeys()) {
      String slug = ResultsWriter.fileName(key);
      String what = title(key);
      latency.add(new Figure("latency-" + slug, "Latency percentiles: " + what,
          "Latency at each percentile (log scale); each step right is ten times rarer. One line"
              + " per design; n is the number of operations measured over all replications.",
          percentiles(data, key)));
      latency.add(new Figure("cdf-" + slug, "Latency distribution: " + what,
          "Share of operations completed within a latency (log scale).", cdf(data, key)));
    }
    sections.put("Latency", latency);
    List<Figure> time = new ArrayList<>();
    if (!data.locks.isEmpty()) {
      time.add(new Figure("lock-wait", "Lock wait time by class",
          "Time tasks spent waiting for each lock class, per replication, stacked per design;"
              + " -R and -W are the read and write sides of an rwsem.", lockWait(data)));
    }
    if (!data.cpu.isEmpty()) {
      time.add(new Figure("cpu", "CPU time by state",
          "Share of all cores' time spent running, spinning on locks, idle with I/O pending,"
              + " and idle.", cpu(data)));
    }
    sections.put("Where the time goes", time);
    List<Figure> threads = new ArrayList<>();
    if (!data.manifest.has("sweep_point")) {
      for (String job : threadedJobs(data)) {
        threads.add(new Figure("threads-" + ResultsWriter.fileName(job),
            "Throughput per task: " + job,
            "Each task's operations per second of simulated time, the mean over replications;"
                + " equal bars are a fair share. Slowest to fastest task: "
                + imbalance(data, job) + ".", threads(data, job)));
      }
    }
    sections.put("Fairness between tasks", threads);
    List<Figure> timeline = new ArrayList<>();
    // Jobs with few operations (those with spans) are drawn as bands on the others' timelines,
    // not as a throughput of their own, which would be mostly 0 and 1 per slice.
    Set<String> banded = new LinkedHashSet<>();
    data.timeline.stream().filter(t -> t.kind().equals("op")).forEach(t -> banded.add(t.job()));
    boolean anyUnbanded = data.jobs.stream().anyMatch(j -> !banded.contains(j));
    for (String job : data.jobs) {
      if (anyUnbanded && banded.contains(job)) {
        continue;
      }
      if (data.timeline.stream().anyMatch(t -> t.job().equals(job) && t.kind().equals("bucket"))) {
        timeline.add(new Figure("timeline-" + ResultsWriter.fileName(job),
            "Throughput over time: " + job,
            "Operations per second in each of 100 slices of replication 0's measured run.",
            timeline(data, job)));
      }
    }
    sections.put("Over time", timeline);
    return sections;
  }

  /** Jobs of {@code tasks.csv} with more than one task, in workload order. */
  static List<String> threadedJobs(ResultsData data) {
    List<String> out = new ArrayList<>();
    if (data.runtimeNs() <= 0) {
      return out;
    }
    for (String job : data.jobs) {
      long tasks = data.tasks.stream().filter(t -> t.job().equals(job))
          .map(ResultsData.TaskRow::task).distinct().count();
      if (tasks > 1) {
        out.add(job);
      }
    }
    return out;
  }

  /** design → task → mean operations per second over replications, tasks in file order. */
  static Map<String, Map<String, Double>> perTask(ResultsData data, String job) {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    double seconds = data.runtimeNs() / 1e9;
    for (String design : data.designs) {
      Map<String, List<Long>> ops = new LinkedHashMap<>();
      for (ResultsData.TaskRow t : data.tasks) {
        if (t.design().equals(design) && t.job().equals(job)) {
          ops.computeIfAbsent(t.task(), k -> new ArrayList<>()).add(t.operations());
        }
      }
      Map<String, Double> rates = new LinkedHashMap<>();
      ops.forEach((task, v) -> rates.put(task,
          v.stream().mapToLong(Long::longValue).average().orElse(0) / seconds));
      if (!rates.isEmpty()) {
        out.put(design, rates);
      }
    }
    return out;
  }

  /**
   * Per design, the slowest task's throughput as a share of the fastest's ({@code linux_6_6
   * 93 %}): 100 % is perfectly even.
   */
  static String imbalance(ResultsData data, String job) {
    List<String> out = new ArrayList<>();
    perTask(data, job).forEach((design, rates) -> {
      double min = rates.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
      double max = rates.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
      out.add(design + " " + (max == 0 ? "–" : Fmt.number(100 * min / max, 3) + " %"));
    });
    return String.join(", ", out);
  }

  /** Operations per second of each task of {@code job}, bars grouped by task, one per design. */
  static JFreeChart threads(ResultsData data, String job) {
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    org.jfree.chart.renderer.category.BarRenderer renderer =
        new org.jfree.chart.renderer.category.BarRenderer();
    int series = 0;
    for (Map.Entry<String, Map<String, Double>> e : perTask(data, job).entrySet()) {
      for (Map.Entry<String, Double> t : e.getValue().entrySet()) {
        ds.addValue(t.getValue(), e.getKey(), t.getKey());
      }
      renderer.setSeriesPaint(series++, ChartStyle.design(designIndex(data, e.getKey())));
    }
    renderer.setShadowVisible(false);
    renderer.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
    renderer.setItemMargin(0.05);
    CategoryAxis x = new CategoryAxis("task");
    x.setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_45);
    CategoryPlot plot = new CategoryPlot(ds, x, new NumberAxis("operations per second"),
        renderer);
    JFreeChart chart = new JFreeChart("Throughput per task: " + job, null, plot, true);
    return ChartStyle.apply(chart);
  }

  /** {@code job.op} as words: {@code job fault, operation fault}. */
  static String title(String key) {
    int dot = key.lastIndexOf('.');
    return dot < 0 ? key : "job " + key.substring(0, dot) + ", operation " + key.substring(dot + 1);
  }

  /** Index of a design for its colour. */
  private static int designIndex(ResultsData data, String design) {
    int i = data.designs.indexOf(design);
    return i < 0 ? data.designs.size() : i;
  }

  private static XYLineAndShapeRenderer lines(ResultsData data, List<String> seriesDesigns) {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < seriesDesigns.size(); i++) {
      r.setSeriesPaint(i, ChartStyle.design(designIndex(data, seriesDesigns.get(i))));
      r.setSeriesStroke(i, ChartStyle.LINE);
    }
    return r;
  }

  /** Latency against percentile, x = 1/(1-p) on a log axis, one series per design. */
  static JFreeChart percentiles(ResultsData data, String key) {
    XYSeriesCollection ds = new XYSeriesCollection();
    List<String> shown = new ArrayList<>();
    double maxX = 1;
    for (String design : data.designs) {
      Hgrm h = data.latency.getOrDefault(design, Map.of()).get(key);
      if (h == null || h.totalCount() == 0) {
        continue;
      }
      XYSeries s = new XYSeries(String.format(java.util.Locale.ROOT, "%s (n = %,d)", design,
          h.totalCount()), false, true);
      for (Hgrm.Point p : h.points()) {
        if (p.percentile() < 1 && p.value() > 0) {
          double x = 1 / (1 - p.percentile());
          s.add(x, p.value());
          maxX = Math.max(maxX, x);
        }
      }
      ds.addSeries(s);
      shown.add(design);
    }
    PercentileAxis x = new PercentileAxis("percentile", maxX);
    // Log scale: a 0.6 us median and a 33 us tail on one chart.
    LatencyAxis y = new LatencyAxis("latency (\u00b5s, log scale)");
    XYPlot plot = new XYPlot(ds, x, y, lines(data, shown));
    JFreeChart chart = new JFreeChart(title(key) + ": latency by percentile", null, plot, true);
    return ChartStyle.apply(chart);
  }

  /** Cumulative share of operations against latency (log axis), one series per design. */
  static JFreeChart cdf(ResultsData data, String key) {
    XYSeriesCollection ds = new XYSeriesCollection();
    List<String> shown = new ArrayList<>();
    for (String design : data.designs) {
      Hgrm h = data.latency.getOrDefault(design, Map.of()).get(key);
      if (h == null || h.totalCount() == 0) {
        continue;
      }
      XYSeries s = new XYSeries(design, false, true);
      for (Hgrm.Point p : h.points()) {
        if (p.value() > 0) {
          s.add(p.value(), p.percentile() * 100);
        }
      }
      ds.addSeries(s);
      shown.add(design);
    }
    LatencyAxis x = new LatencyAxis("latency (\u00b5s, log scale)");
    NumberAxis y = new NumberAxis("operations at or below (%)");
    y.setRange(0, 100);
    XYPlot plot = new XYPlot(ds, x, y, lines(data, shown));
    JFreeChart chart = new JFreeChart(title(key) + ": cumulative distribution", null, plot,
        true);
    return ChartStyle.apply(chart);
  }

  /** Per design, wait time per replication stacked by lock class and side. */
  static JFreeChart lockWait(ResultsData data) {
    int reps = data.replicationCount();
    Map<String, Long> totals = new LinkedHashMap<>();
    for (ResultsData.LockRow r : data.locks) {
      totals.merge(r.displayName(), r.waitTotalNs(), Long::sum);
    }
    List<String> classes = new ArrayList<>(totals.keySet());
    classes.sort(Comparator.comparingLong((String c) -> -totals.get(c))
        .thenComparing(Comparator.naturalOrder()));
    Set<String> named = new LinkedHashSet<>(classes.subList(0,
        Math.min(classes.size(), MAX_LOCK_SERIES)));
    boolean other = classes.size() > named.size();
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    List<String> series = new ArrayList<>(named);
    if (other) {
      series.add("other");
    }
    for (String s : series) {
      for (String design : data.designs) {
        ds.addValue(0.0, s, design);
      }
    }
    for (ResultsData.LockRow r : data.locks) {
      String s = named.contains(r.displayName()) ? r.displayName() : "other";
      Number old = ds.getValue(s, r.design());
      double ms = r.waitTotalNs() / 1e6 / reps;
      ds.setValue((old == null ? 0 : old.doubleValue()) + ms, s, r.design());
    }
    StackedBarRenderer renderer = new StackedBarRenderer();
    renderer.setMaximumBarWidth(0.12);
    for (int i = 0; i < series.size(); i++) {
      renderer.setSeriesPaint(i, series.get(i).equals("other") ? new Color(0xBBBBBB)
          : ChartStyle.category(i));
    }
    CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis("design"),
        new NumberAxis("wait time per replication (ms)"), renderer);
    plot.setOrientation(PlotOrientation.VERTICAL);
    JFreeChart chart = new JFreeChart("Lock wait time by class", null, plot, true);
    return ChartStyle.apply(chart);
  }

  /** Per design, the share of core time in each state. */
  static JFreeChart cpu(ResultsData data) {
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    List<String> states = new ArrayList<>();
    for (String s : CPU_ORDER) {
      if (data.cpu.values().stream().anyMatch(m -> m.containsKey(s))) {
        states.add(s);
      }
    }
    for (Map<String, Long> m : data.cpu.values()) {
      for (String s : m.keySet()) {
        if (!states.contains(s)) {
          states.add(s);
        }
      }
    }
    for (String s : states) {
      for (String design : data.designs) {
        Map<String, Long> m = data.cpu.getOrDefault(design, Map.of());
        long total = m.values().stream().mapToLong(Long::longValue).sum();
        double pct = total == 0 ? 0 : 100.0 * m.getOrDefault(s, 0L) / total;
        ds.addValue(pct, CPU_STATES.getOrDefault(s, s), design);
      }
    }
    StackedBarRenderer renderer = new StackedBarRenderer();
    renderer.setMaximumBarWidth(0.12);
    Color[] paints = {ChartStyle.category(0), ChartStyle.category(6), ChartStyle.category(5),
        new Color(0xDDDDDD)};
    for (int i = 0; i < states.size(); i++) {
      renderer.setSeriesPaint(i, i < paints.length ? paints[i] : ChartStyle.category(i));
    }
    NumberAxis y = new NumberAxis("share of core time (%)");
    y.setRange(0, 100);
    CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis("design"), y, renderer);
    JFreeChart chart = new JFreeChart("CPU time by state", null, plot, true);
    return ChartStyle.apply(chart);
  }

  /**
   * Operations per second over the measured run of replication 0, one series per design; every
   * operation of the jobs that recorded spans (truncates, punches, mmaps) is a band shaded in
   * its design's colour.
   */
  static JFreeChart timeline(ResultsData data, String job) {
    XYSeriesCollection ds = new XYSeriesCollection();
    List<String> shown = new ArrayList<>();
    for (String design : data.designs) {
      XYSeries s = new XYSeries(design, false, true);
      for (ResultsData.TimelineRow r : data.timeline) {
        if (r.design().equals(design) && r.job().equals(job) && r.kind().equals("bucket")
            && r.endNs() > r.startNs()) {
          double mid = (r.startNs() + r.endNs()) / 2e6;
          s.add(mid, r.ops() * 1e9 / (r.endNs() - r.startNs()));
        }
      }
      if (s.getItemCount() > 0) {
        ds.addSeries(s);
        shown.add(design);
      }
    }
    NumberAxis x = new NumberAxis("simulated time (ms)");
    x.setAutoRangeIncludesZero(false);
    NumberAxis y = new NumberAxis("operations per second");
    XYPlot plot = new XYPlot(ds, x, y, lines(data, shown));
    Set<String> bandJobs = new LinkedHashSet<>();
    for (ResultsData.TimelineRow r : data.timeline) {
      if (r.kind().equals("op") && !r.job().equals(job) && shown.contains(r.design())) {
        Color c = ChartStyle.design(designIndex(data, r.design()));
        IntervalMarker band = new IntervalMarker(r.startNs() / 1e6, r.endNs() / 1e6,
            ChartStyle.translucent(c, 48), new BasicStroke(0.5f), null, null, 1f);
        plot.addDomainMarker(band, Layer.BACKGROUND);
        bandJobs.add(r.job());
      }
    }
    JFreeChart chart = new JFreeChart(job + ": throughput over simulated time", null, plot,
        true);
    if (!bandJobs.isEmpty()) {
      chart.addSubtitle(new TextTitle("shaded: each " + String.join(", ", bandJobs)
          + " operation, in its design's colour"));
    }
    return ChartStyle.apply(chart);
  }

  /** The domain axis of an XY chart, for tests. */
  static ValueAxis domain(JFreeChart chart) {
    return chart.getXYPlot().getDomainAxis();
  }
}
