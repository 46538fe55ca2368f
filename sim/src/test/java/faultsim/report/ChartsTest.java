package faultsim.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every chart of the fixture's report, and the sweep charts of a small sweep, rendered to PNG and
 * SVG; each chart's series and axes are checked on the JFreeChart object.
 */
final class ChartsTest {
  static ResultsData data;
  static Map<String, List<Figure>> figures;

  @BeforeAll
  static void read() throws IOException {
    data = ResultsData.read(ReportFixture.DIR);
    figures = Charts.forRun(data);
  }

  static Figure figure(String name) {
    return figures.values().stream().flatMap(List::stream).filter(f -> f.name().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no figure " + name));
  }

  static void assertRenders(Figure f, Path dir) throws IOException {
    ChartFiles.write(f, dir);
    Path png = dir.resolve(f.name() + ".png");
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img).as(f.name() + ".png").isNotNull();
    assertThat(img.getWidth()).isEqualTo(f.width());
    assertThat(img.getHeight()).isEqualTo(f.height());
    assertThat(Files.size(png)).as(f.name() + ".png size").isGreaterThan(5_000);
    String svg = Files.readString(dir.resolve(f.name() + ".svg"), StandardCharsets.UTF_8);
    assertThat(svg).startsWith("<?xml").contains("<svg", "</svg>", f.chart().getTitle().getText()
        .replace("&", "&amp;").replace(">", "&gt;"));
    assertThat(svg.length()).as(f.name() + ".svg size").isGreaterThan(5_000);
    // Definition ids named after the chart, not JFreeSVG's default taken from the clock.
    assertThat(svg).as("stable SVG ids").contains("id='" + f.name() + "-clip-0'")
        .doesNotContainPattern("id=['\"]_\\d{6,}");
  }

  @Test
  void forRun_fixture_givesEveryChartInItsSection() {
    assertThat(figures.keySet()).containsExactly("Latency", "Where the time goes",
        "Fairness between tasks", "Over time");
    // Three fault tasks get a chart of their throughputs; the one mmap task does not.
    assertThat(figures.get("Fairness between tasks")).extracting(Figure::name)
        .containsExactly("threads-fault");
    assertThat(figures.get("Latency")).extracting(Figure::name).containsExactly(
        "latency-fault.fault", "cdf-fault.fault", "latency-mmap.mmap", "cdf-mmap.mmap");
    assertThat(figures.get("Where the time goes")).extracting(Figure::name)
        .containsExactly("lock-wait", "cpu");
    // The mmap job's few operations are bands on the faults' timeline, not a timeline.
    assertThat(figures.get("Over time")).extracting(Figure::name)
        .containsExactly("timeline-fault");
  }

  /**
   * From the fixture's tasks.csv, operations per task in replications 0, 1, 2 over 3 ms: baseline
   * fault/0 405, 399, 432 (mean 412), fault/1 408, 401, 456 (421.67), fault/2 399, 429, 413
   * (413.67): 137,333, 140,556 and 137,889 ops/s, the slowest 412 / 421.67 = 97.7 % of the
   * fastest; variant 405.67, 414.67, 403.67: 403.67 / 414.67 = 97.3 %.
   */
  @Test
  void threadsChart_perTaskThroughputAndImbalance_fromTasksCsv() {
    Map<String, Map<String, Double>> rates = Charts.perTask(data, "fault");

    assertThat(rates.get(ReportFixture.BASELINE).keySet()).containsExactly("fault/0", "fault/1",
        "fault/2");
    assertThat(rates.get(ReportFixture.BASELINE).get("fault/0"))
        .isCloseTo(412 / 0.003, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(rates.get(ReportFixture.BASELINE).get("fault/1"))
        .isCloseTo((408 + 401 + 456) / 3.0 / 0.003, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(Charts.imbalance(data, "fault")).isEqualTo(ReportFixture.BASELINE + " 97.7 %, "
        + ReportFixture.VARIANT + " 97.3 %");
    CategoryPlot plot = figure("threads-fault").chart().getCategoryPlot();
    assertThat(plot.getDataset().getRowKeys()).containsExactly(ReportFixture.BASELINE,
        ReportFixture.VARIANT);
    assertThat(plot.getDataset().getColumnKeys()).containsExactly("fault/0", "fault/1",
        "fault/2");
  }

  @Test
  void everyRunChart_rendersToNonEmptyPngAndSvg(@TempDir Path dir) throws IOException {
    for (List<Figure> section : figures.values()) {
      for (Figure f : section) {
        assertRenders(f, dir);
      }
    }
  }

  @Test
  void percentileChart_hasOneSeriesPerDesign_andPercentileTicksOnALogAxis() {
    JFreeChart chart = figure("latency-fault.fault").chart();
    XYPlot plot = chart.getXYPlot();

    assertThat(plot.getDataset().getSeriesCount()).isEqualTo(2);
    // Each series names its design and how many operations its distribution holds.
    assertThat((String) plot.getDataset().getSeriesKey(0))
        .matches(java.util.regex.Pattern.quote(ReportFixture.BASELINE) + " \\(n = [0-9,]+\\)");
    assertThat((String) plot.getDataset().getSeriesKey(1))
        .startsWith(ReportFixture.VARIANT + " (n = ");
    assertThat(plot.getDomainAxis()).isInstanceOf(PercentileAxis.class)
        .isInstanceOf(LogAxis.class);
    assertThat(plot.getDomainAxis().getLabel()).isEqualTo("percentile");
    assertThat(((PercentileAxis) plot.getDomainAxis()).tickLabels())
        .startsWith("50%", "90%", "99%", "99.9%", "99.99%");
    // Log scale, so that a sub-microsecond median and a tail of tens of microseconds both show.
    assertThat(plot.getRangeAxis()).isInstanceOf(LogAxis.class);
    assertThat(plot.getRangeAxis().getLabel()).isEqualTo("latency (\u00b5s, log scale)");
    // A design has the same colour in every chart.
    assertThat(plot.getRenderer().getSeriesPaint(1)).isEqualTo(ChartStyle.design(1));
    assertThat(figure("timeline-fault").chart().getXYPlot().getRenderer().getSeriesPaint(1))
        .isEqualTo(ChartStyle.design(1));
  }

  @Test
  void cdfChart_hasOneSeriesPerDesign_latencyOnLogAxis_percentUpTo100() {
    XYPlot plot = figure("cdf-mmap.mmap").chart().getXYPlot();

    assertThat(plot.getDataset().getSeriesCount()).isEqualTo(2);
    assertThat(plot.getDomainAxis()).isInstanceOf(LogAxis.class);
    assertThat(plot.getDomainAxis().getLabel()).isEqualTo("latency (\u00b5s, log scale)");
    assertThat(plot.getRangeAxis().getLabel()).isEqualTo("operations at or below (%)");
    assertThat(plot.getRangeAxis().getUpperBound()).isEqualTo(100);
    int last = plot.getDataset().getItemCount(0) - 1;
    assertThat(plot.getDataset().getYValue(0, last)).isEqualTo(100);
  }

  @Test
  void lockWaitChart_stacksEveryClassSide_perDesign() {
    CategoryPlot plot = figure("lock-wait").chart().getCategoryPlot();

    assertThat(plot.getRenderer()).isInstanceOf(StackedBarRenderer.class);
    assertThat(plot.getDataset().getColumnKeys()).containsExactly(ReportFixture.BASELINE,
        ReportFixture.VARIANT);
    // &mm->mmap_lock -R and -W, the mutex and the spinlock: the most waited-for first.
    assertThat(plot.getDataset().getRowKeys()).hasSize(4).startsWith("&mm->mmap_lock-R",
        "&mm->mmap_lock-W");
    assertThat(plot.getRangeAxis().getLabel()).isEqualTo("wait time per replication (ms)");
    assertThat(plot.getDomainAxis().getLabel()).isEqualTo("design");
    // 991.24 us of -R wait over 3 replications of the baseline (locks.csv), in ms.
    assertThat(plot.getDataset().getValue("&mm->mmap_lock-R", ReportFixture.BASELINE)
        .doubleValue()).isCloseTo(0.99124 / 3, org.assertj.core.data.Offset.offset(1e-5));
  }

  @Test
  void cpuChart_stacksFourStatesToOneHundredPercent() {
    CategoryPlot plot = figure("cpu").chart().getCategoryPlot();

    assertThat(plot.getDataset().getRowKeys()).containsExactly("busy", "spinning", "I/O wait",
        "idle");
    assertThat(plot.getRangeAxis().getLabel()).isEqualTo("share of core time (%)");
    for (Object design : plot.getDataset().getColumnKeys()) {
      double sum = 0;
      for (Object state : plot.getDataset().getRowKeys()) {
        sum += plot.getDataset().getValue((Comparable<?>) state, (Comparable<?>) design)
            .doubleValue();
      }
      assertThat(sum).isCloseTo(100, org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  @Test
  void timelineChart_onePointPerBucket_andABandPerOtherJobsOperation() {
    JFreeChart chart = figure("timeline-fault").chart();
    XYPlot plot = chart.getXYPlot();

    assertThat(plot.getDataset().getSeriesCount()).isEqualTo(2);
    assertThat(plot.getDataset().getItemCount(0)).isEqualTo(100);
    assertThat(plot.getDomainAxis().getLabel()).isEqualTo("simulated time (ms)");
    assertThat(plot.getRangeAxis().getLabel()).isEqualTo("operations per second");
    long mmapOps = data.timeline.stream()
        .filter(r -> r.job().equals("mmap") && r.kind().equals("op")).count();
    assertThat(mmapOps).isGreaterThan(20);
    assertThat(plot.getDomainMarkers(Layer.BACKGROUND)).hasSize((int) mmapOps);
    assertThat(chart.getSubtitle(1)).isInstanceOf(org.jfree.chart.title.TextTitle.class);
    assertThat(((org.jfree.chart.title.TextTitle) chart.getSubtitle(1)).getText())
        .contains("mmap");
  }

  @Test
  void sweepCharts_errorBarsOfAPositiveQuantity_neverGoBelowZero(@TempDir Path tmp)
      throws IOException {
    // One point's throughput 1000 +- 1500 (two replications far apart): a symmetric bar would
    // reach -500; on the log scale it runs from 1000 * exp(-1.5) = 223.1 to 1000 * exp(1.5).
    Path dir = tmp.resolve("wide");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("sweep.csv"), "point,machine.cores,design,job,metric,mean,ci99,"
        + "unit,n\n0,1,a.base,fault,throughput,1000,1500,ops/s,2\n"
        + "1,2,a.base,fault,throughput,2000,10,ops/s,2\n");
    XYPlot plot = SweepReport.figures(SweepData.read(dir))
        .get("Throughput against machine.cores").get(0).chart().getXYPlot();
    YIntervalSeriesCollection ds = (YIntervalSeriesCollection) plot.getDataset();
    assertThat(ds.getStartYValue(0, 0)).isCloseTo(223.13,
        org.assertj.core.api.Assertions.within(0.01));
    assertThat(ds.getEndYValue(0, 0)).isCloseTo(4481.69,
        org.assertj.core.api.Assertions.within(0.01));
    // Whole-number keys get whole-number ticks only.
    assertThat(((NumberAxis) plot.getDomainAxis()).getStandardTickUnits().getCeilingTickUnit(0.2)
        .getSize()).isEqualTo(1.0);
  }

  /** A sweep of machine.cores over two designs, its summaries written by hand. */
  static Path sweep(Path dir, String values) throws IOException {
    StringBuilder sb = new StringBuilder("point,machine.cores,design,job,metric,mean,ci99,unit,n\n");
    String[] xs = values.split(",");
    for (int i = 0; i < xs.length; i++) {
      for (String design : List.of("a.base", "b.variant")) {
        double tput = 1000 * (i + 1) * (design.equals("a.base") ? 1 : 0.9);
        sb.append(i).append(',').append(xs[i]).append(',').append(design)
            .append(",fault,throughput,").append(tput).append(",50,ops/s,3\n");
        sb.append(i).append(',').append(xs[i]).append(',').append(design)
            .append(",fault,latency_p99,").append(2000 + 100 * i).append(",80,ns,3\n");
        sb.append(i).append(',').append(xs[i]).append(',').append(design)
            .append(",all,events,10,1,count,3\n");
      }
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("sweep.csv"), sb.toString());
    return dir;
  }

  @Test
  void sweepCharts_numericKey_oneLinePerDesignWithErrorBars(@TempDir Path tmp)
      throws IOException {
    SweepData sweep = SweepData.read(sweep(tmp, "1,2,4,8"));
    Map<String, List<Figure>> figs = SweepReport.figures(sweep);

    assertThat(figs.keySet()).containsExactly("Throughput against machine.cores",
        "p99 latency against machine.cores");
    Figure f = figs.get("Throughput against machine.cores").get(0);
    XYPlot plot = f.chart().getXYPlot();
    assertThat(plot.getDataset()).isInstanceOf(YIntervalSeriesCollection.class);
    assertThat(plot.getRenderer()).isInstanceOf(XYErrorRenderer.class);
    YIntervalSeriesCollection ds = (YIntervalSeriesCollection) plot.getDataset();
    assertThat(ds.getSeriesCount()).isEqualTo(2);
    assertThat(ds.getItemCount(0)).isEqualTo(4);
    assertThat(ds.getXValue(0, 3)).isEqualTo(8);
    // Mean 4000 +- 50 on the log scale: 4000 * (exp(50/4000) - exp(-50/4000)) = 100.0026.
    assertThat(ds.getEndYValue(0, 3) - ds.getStartYValue(0, 3))
        .isCloseTo(100.0026, org.assertj.core.api.Assertions.within(1e-4));
    assertThat(plot.getDomainAxis()).isInstanceOf(NumberAxis.class)
        .isNotInstanceOf(SymbolAxis.class);
    assertThat(plot.getDomainAxis().getLabel()).isEqualTo("machine.cores");
    assertThat(plot.getRangeAxis().getLabel()).isEqualTo("throughput (ops/s)");
    assertThat(figs.get("p99 latency against machine.cores").get(0).chart().getXYPlot()
        .getRangeAxis().getLabel()).isEqualTo("p99 latency (\u00b5s)");
    for (List<Figure> section : figs.values()) {
      for (Figure g : section) {
        assertRenders(g, tmp.resolve("charts"));
      }
    }
  }

  @Test
  void sweepChart_nonNumericKey_usesTheValuesAsLabels(@TempDir Path tmp) throws IOException {
    SweepData sweep = SweepData.read(sweep(tmp, "ticket,queued"));

    XYPlot plot = SweepReport.figures(sweep).values().iterator().next().get(0).chart()
        .getXYPlot();

    assertThat(plot.getDomainAxis()).isInstanceOf(SymbolAxis.class);
    assertThat(((SymbolAxis) plot.getDomainAxis()).getSymbols()).containsExactly("ticket",
        "queued");
  }

  @Test
  void sweepReport_rendersIndexWithChartsFirst(@TempDir Path tmp) throws IOException {
    Path dir = sweep(tmp, "1,2,4");

    Report.render(dir);

    String html = Files.readString(dir.resolve("index.html"));
    assertThat(html.indexOf("charts/sweep-throughput-fault.svg"))
        .isPositive().isLessThan(html.indexOf("id=\"points\""));
    assertThat(dir.resolve("charts/sweep-throughput-fault.png")).exists();
  }
}
