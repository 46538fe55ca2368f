package faultsim.stats;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Writes lock statistics in the layout of {@code /proc/lock_stat} (kernel/locking/lockdep_proc.c,
 * Documentation/locking/lockstat.rst): the {@code lock_stat version 0.4} header, the column
 * header line, then one line per class, or a {@code -W} and a {@code -R} line for reader-writer
 * classes, classes with the most contentions first. Times are microseconds with two decimals, as
 * the kernel's {@code snprint_time} prints them; waittime-avg is waittime-total / contentions and
 * holdtime-avg is holdtime-total / holds.
 */
public final class LockStatFormat {
  private static final String[] COLUMNS = {
    "con-bounces", "contentions", "waittime-min", "waittime-max", "waittime-total",
    "waittime-avg", "acq-bounces", "acquisitions", "holdtime-min", "holdtime-max",
    "holdtime-total", "holdtime-avg"
  };

  private LockStatFormat() {}

  /** Sorts rows as lock_stat does: contentions of both sides of a class, descending; then name. */
  public static List<List<LockStatRow>> byClass(List<LockStatRow> rows) {
    java.util.Map<String, List<LockStatRow>> groups = new java.util.LinkedHashMap<>();
    for (LockStatRow r : rows) {
      groups.computeIfAbsent(r.className(), k -> new ArrayList<>()).add(r);
    }
    List<List<LockStatRow>> out = new ArrayList<>(groups.values());
    out.sort(Comparator.comparingLong(
            (List<LockStatRow> g) -> -g.stream().mapToLong(LockStatRow::contentions).sum())
        .thenComparing(g -> g.get(0).className()));
    return out;
  }

  /** Writes the lock_stat text for {@code rows}. */
  public static void write(List<LockStatRow> rows, Writer out) throws IOException {
    out.write("lock_stat version 0.4\n");
    line(out, '-', 0, 40 + 1 + COLUMNS.length * 15);
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%40s", "class name"));
    for (String c : COLUMNS) {
      header.append(String.format(Locale.ROOT, " %14s", c));
    }
    out.write(header.append('\n').toString());
    line(out, '-', 0, 40 + 1 + COLUMNS.length * 15);
    out.write("\n");
    for (List<LockStatRow> group : byClass(rows)) {
      for (LockStatRow r : group) {
        String name = r.side().isEmpty()
            ? String.format(Locale.ROOT, "%40s:", r.className())
            : String.format(Locale.ROOT, "%38s-%s:", r.className(), r.side());
        StringBuilder sb = new StringBuilder(name);
        sb.append(String.format(Locale.ROOT, "%14d ", r.conBounces()));
        sb.append(String.format(Locale.ROOT, "%14d %14s %14s %14s %14s", r.contentions(),
            us(r.waitMinNs()), us(r.waitMaxNs()), us(r.waitTotalNs()), us(r.waitAvgNs())));
        sb.append(String.format(Locale.ROOT, " %14d ", r.acqBounces()));
        sb.append(String.format(Locale.ROOT, "%14d %14s %14s %14s %14s", r.acquisitions(),
            us(r.holdMinNs()), us(r.holdMaxNs()), us(r.holdTotalNs()), us(r.holdAvgNs())));
        out.write(sb.append('\n').toString());
      }
      points(out, group);
      line(out, '.', 0, 40 + 1 + COLUMNS.length * 15);
      out.write("\n");
    }
  }

  /** Contention and contending points lock_stat prints per class (LOCKSTAT_POINTS = 4). */
  public static final int POINTS = 4;

  /**
   * Under a class's lines, as lockdep_proc.c's {@code seq_stats()}: a rule under the name, the
   * class's most frequent contention points (where waiters were), another rule, its most
   * frequent contending points (where the owner had taken the lock), each line
   * {@code name count [<where>] function+offset} with the design file and line in place of the
   * kernel's address; then, beyond the kernel's layout, the tasks still waiting when the run
   * ended, which no contention count includes.
   */
  static void points(Writer out, List<LockStatRow> group) throws IOException {
    java.util.Map<String, Long> contention = new java.util.TreeMap<>();
    java.util.Map<String, Long> contending = new java.util.TreeMap<>();
    long waiting = 0;
    long waitingNs = 0;
    for (LockStatRow r : group) {
      r.contentionPoints().forEach((k, v) -> contention.merge(k, v, Long::sum));
      r.contendingPoints().forEach((k, v) -> contending.merge(k, v, Long::sum));
      waiting += r.waitingAtEnd();
      waitingNs += r.waitingAtEndNs();
    }
    String name = group.get(0).className();
    int nameLen = Math.min(40, name.length());
    for (java.util.Map<String, Long> points : List.of(contention, contending)) {
      List<java.util.Map.Entry<String, Long>> top = LockStatRow.top(points, POINTS);
      if (top.isEmpty()) {
        continue;
      }
      out.write("\n");
      line(out, '-', 40 - nameLen, nameLen);
      for (java.util.Map.Entry<String, Long> e : top) {
        String[] ws = whereAndSymbol(e.getKey());
        out.write(String.format(Locale.ROOT, "%40s %14d %29s %s%n", name, e.getValue(),
            ws[0], ws[1]).replace(System.lineSeparator(), "\n"));
      }
    }
    if (waiting > 0) {
      out.write(String.format(Locale.ROOT, "%n%40s %14d still waiting when the run ended,"
          + " %s us waited so far%n", name, waiting, us(waitingNs))
          .replace(System.lineSeparator(), "\n"));
    }
    if (!contention.isEmpty() || waiting > 0) {
      out.write("\n");
    }
  }

  /** {@code f+3 (d.design:12)} as {@code {"[<d.design:12>]", "f+3"}}. */
  static String[] whereAndSymbol(String site) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(.*) \\((.*)\\)$")
        .matcher(site);
    return m.matches() ? new String[] {"[<" + m.group(2) + ">]", m.group(1)}
        : new String[] {"", site.isEmpty() ? "(unknown)" : site};
  }

  /** The CSV header of {@code lock_sites.csv}. */
  public static final String SITES_CSV_HEADER = "design,class,side,point,site,count";

  /**
   * {@code lock_sites.csv} lines of one row: its {@code contention} points (where waiters were)
   * then its {@code contending} points (where the owner had taken the lock), most frequent first.
   */
  public static List<String> siteLines(String design, LockStatRow r) {
    List<String> out = new ArrayList<>();
    for (String point : List.of("contention", "contending")) {
      java.util.Map<String, Long> m = point.equals("contention") ? r.contentionPoints()
          : r.contendingPoints();
      for (java.util.Map.Entry<String, Long> e : LockStatRow.top(m, Integer.MAX_VALUE)) {
        out.add(String.join(",", Csv.field(design), Csv.field(r.className()), r.side(), point,
            Csv.field(e.getKey()), Long.toString(e.getValue())));
      }
    }
    return out;
  }

  /** Microseconds with two decimals, as snprint_time. */
  static String us(double ns) {
    long hundredths = Math.round(ns / 10.0);
    return String.format(Locale.ROOT, "%d.%02d", hundredths / 100, hundredths % 100);
  }

  private static void line(Writer out, char c, int offset, int length) throws IOException {
    out.write(" ".repeat(offset) + String.valueOf(c).repeat(length) + "\n");
  }

  /** The CSV header of {@code locks.csv}. */
  public static final String CSV_HEADER = "design,class,side,con-bounces,contentions,"
      + "waittime-min_ns,waittime-max_ns,waittime-total_ns,waittime-avg_ns,acq-bounces,"
      + "acquisitions,holdtime-min_ns,holdtime-max_ns,holdtime-total_ns,holdtime-avg_ns,holds,"
      + "waiting_at_end,waiting_at_end_ns";

  /** One {@code locks.csv} line. */
  public static String csvLine(String design, LockStatRow r) {
    return String.join(",", Csv.field(design), Csv.field(r.className()), r.side(),
        Long.toString(r.conBounces()), Long.toString(r.contentions()),
        Long.toString(r.waitMinNs()), Long.toString(r.waitMaxNs()),
        Long.toString(r.waitTotalNs()), Csv.number(r.waitAvgNs()),
        Long.toString(r.acqBounces()), Long.toString(r.acquisitions()),
        Long.toString(r.holdMinNs()), Long.toString(r.holdMaxNs()),
        Long.toString(r.holdTotalNs()), Csv.number(r.holdAvgNs()), Long.toString(r.holds()),
        Long.toString(r.waitingAtEnd()), Long.toString(r.waitingAtEndNs()));
  }
}
