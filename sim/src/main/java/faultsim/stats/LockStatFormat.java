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
      line(out, '.', 0, 40 + 1 + COLUMNS.length * 15);
      out.write("\n");
    }
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
      + "acquisitions,holdtime-min_ns,holdtime-max_ns,holdtime-total_ns,holdtime-avg_ns,holds";

  /** One {@code locks.csv} line. */
  public static String csvLine(String design, LockStatRow r) {
    return String.join(",", Csv.field(design), Csv.field(r.className()), r.side(),
        Long.toString(r.conBounces()), Long.toString(r.contentions()),
        Long.toString(r.waitMinNs()), Long.toString(r.waitMaxNs()),
        Long.toString(r.waitTotalNs()), Csv.number(r.waitAvgNs()),
        Long.toString(r.acqBounces()), Long.toString(r.acquisitions()),
        Long.toString(r.holdMinNs()), Long.toString(r.holdMaxNs()),
        Long.toString(r.holdTotalNs()), Csv.number(r.holdAvgNs()), Long.toString(r.holds()));
  }
}
