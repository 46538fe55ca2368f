package faultsim.report;

import java.util.List;

/**
 * What {@code sweep.jte} shows for a sweep: its charts first, then a table of every point.
 *
 * @param title the workload's name
 * @param question the workload file's header comment, by paragraph
 * @param swept each swept key and its values
 * @param designs the designs, with their colours
 * @param charts chart sections
 * @param columns headings of the point table
 * @param points one row per point, design and job
 */
public record SweepPage(String title, List<String> question, List<Page.Fact> swept,
    List<Page.DesignLink> designs, List<Page.ChartSection> charts, List<String> columns,
    List<PointRow> points) {

  /**
   * A row of the point table.
   *
   * @param href the point's own report, or empty
   * @param cells swept values, design, job, then the metrics
   */
  public record PointRow(String href, String colour, List<String> cells) {}
}
