package faultsim.report;

import java.util.List;

/**
 * What {@code index.jte} shows for one run: every field is text ready to print, computed from the
 * results directory.
 *
 * @param title the workload's name
 * @param question the workload file's header comment, by paragraph
 * @param workloadFile the path the workload was read from
 * @param workloadSource the workload file's text
 * @param machine the simulated machine
 * @param run seed, replications, simulated time, version
 * @param designs the designs compared, baseline first
 * @param verdict unsafe designs, then safe ones ranked by the main metric
 * @param summary designs × key metrics
 * @param charts chart sections, in page order
 * @param lockTables lock_stat tables, one per design
 * @param violations what the oracle found
 * @param flames each design's flame graph, when the results have stacks
 * @param up link to the page this one belongs to (a sweep's), or empty
 */
public record Page(String title, List<String> question, String workloadFile,
    String workloadSource, List<Fact> machine, List<Fact> run, List<DesignLink> designs,
    Verdict verdict, SummaryTable summary, List<ChartSection> charts, List<LockTable> lockTables,
    Violations violations, List<Flame> flames, String up) {

  /**
   * A design's flame graph ({@code charts/flame-<design>.svg}) and the folded stacks it is drawn
   * from.
   *
   * @param top the frames with the most time of their own, with their share of all time
   * @param trace the design's {@code trace/<design>.json} when the run was traced, or empty
   */
  public record Flame(String design, String colour, String svg, String folded, int width,
      int height, List<String> top, String trace) {}

  /** A labelled value. */
  public record Fact(String label, String value) {}

  /** A design: its source text's file and its colour in the charts. */
  public record DesignLink(String name, String href, String colour, boolean baseline) {}

  /** A heading and its charts. */
  public record ChartSection(String title, String id, List<Chart> charts) {}

  /** A chart's files ({@code charts/NAME.svg} and {@code .png}) and captions. */
  public record Chart(String title, String caption, String svg, String png, int width,
      int height) {}

  /**
   * A design's lock statistics in {@code /proc/lock_stat} columns, most contended class first.
   *
   * @param raw link to the design's {@code lock_stat/<design>.txt}
   * @param points the most frequent contention and contending points of each contended class
   * @param events the design's rwsem lock event counters, summed over replications
   */
  public record LockTable(String design, String colour, String raw, List<String> columns,
      List<LockLine> rows, List<Point> points, List<Fact> events) {}

  /**
   * A call site of a contended class: {@code contention} (where tasks waited) or
   * {@code contending} (where the owner had taken the lock when they began to).
   */
  public record Point(String lockClass, String point, String site, long count) {}

  /** One class side; {@code classStart} marks the first row of a class (a rule above it). */
  public record LockLine(String name, List<String> cells, boolean classStart) {}
}
