package faultsim.report;

import org.jfree.chart.JFreeChart;

/**
 * A chart of the report and the files it is written to: {@code charts/<name>.png} and
 * {@code charts/<name>.svg}.
 *
 * @param name file name without extension
 * @param title heading shown above it in the page
 * @param caption what to read from it, one or two sentences
 * @param chart the chart
 * @param width pixels
 * @param height pixels
 */
record Figure(String name, String title, String caption, JFreeChart chart, int width,
    int height) {
  Figure(String name, String title, String caption, JFreeChart chart) {
    this(name, title, caption, chart, ChartStyle.WIDTH, ChartStyle.HEIGHT);
  }
}
