package faultsim.calibrate;

import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import faultsim.workload.TextFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What was measured, a CSV file: a header naming workload keys (as {@code --set} takes them), a
 * {@code throughput} column (operations per second of the calibrated job, all its tasks
 * together) and optionally a {@code lock_stat} column naming a {@code /proc/lock_stat} capture
 * taken during that measurement (relative to the CSV file); then one line per measured point.
 * Lines starting with {@code #} and blank lines are skipped. For example:
 *
 * <pre>
 * jobs.fault.numjobs,machine.cores,throughput,lock_stat
 * 1,1,1250000,
 * 4,4,2100000,lock_stat-4.txt
 * </pre>
 */
public final class Measurements {
  /** One measured point: its overrides, throughput and optional capture; its CSV line. */
  public record Point(List<String> sets, double throughput, LockStatCapture lockStat,
      int line) {
    /** The overrides as one label, {@code a=1,b=2}. */
    public String label() {
      return sets.isEmpty() ? "(workload as written)" : String.join(",", sets);
    }
  }

  private Measurements() {}

  /** Reads {@code file}: every point, in file order. */
  public static List<Point> read(Path file) throws InputException {
    String name = file.toString();
    String text = TextFiles.read(file, "measurements file", 1 << 20);
    List<Point> out = new ArrayList<>();
    String[] header = null;
    int throughputCol = -1;
    int lockStatCol = -1;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] cells = line.split(",", -1);
      if (header == null) {
        header = cells;
        for (int c = 0; c < cells.length; c++) {
          String h = cells[c].strip();
          if (h.equals("throughput")) {
            throughputCol = c;
          } else if (h.equals("lock_stat")) {
            lockStatCol = c;
          } else if (!h.matches("[a-z_][a-z0-9_]*(\\.[a-z0-9_]+)+")) {
            throw new InputException(new Diagnostic(name, i + 1, column(lines[i], c),
                "column '" + h + "': expected a workload key such as jobs.fault.numjobs,"
                    + " throughput or lock_stat"));
          }
        }
        if (throughputCol < 0) {
          throw new InputException(new Diagnostic(name, i + 1, 1,
              "the header has no 'throughput' column (operations per second measured)"));
        }
        continue;
      }
      if (cells.length != header.length) {
        throw new InputException(new Diagnostic(name, i + 1, 1, "expected " + header.length
            + " comma-separated values as the header has, found " + cells.length));
      }
      double throughput;
      try {
        throughput = Double.parseDouble(cells[throughputCol].strip());
      } catch (NumberFormatException e) {
        throughput = Double.NaN;
      }
      if (!(throughput > 0) || Double.isInfinite(throughput)) {
        throw new InputException(new Diagnostic(name, i + 1, column(lines[i], throughputCol),
            "throughput: expected a positive number of operations per second, got '"
                + cells[throughputCol].strip() + "'"));
      }
      List<String> sets = new ArrayList<>();
      for (int c = 0; c < cells.length; c++) {
        if (c != throughputCol && c != lockStatCol) {
          sets.add(header[c].strip() + "=" + cells[c].strip());
        }
      }
      LockStatCapture capture = null;
      if (lockStatCol >= 0 && !cells[lockStatCol].isBlank()) {
        Path p = file.toAbsolutePath().getParent().resolve(cells[lockStatCol].strip());
        capture = LockStatCapture.read(p);
      }
      out.add(new Point(List.copyOf(sets), throughput, capture, i + 1));
    }
    if (out.isEmpty()) {
      throw new InputException(new Diagnostic(name, 1, 1,
          "no measured points: expected a header line and at least one line of values"));
    }
    return out;
  }

  /** The 1-based column of cell {@code c} in {@code line}. */
  private static int column(String line, int c) {
    int at = 0;
    for (int k = 0; k < c; k++) {
      at = line.indexOf(',', at) + 1;
    }
    return at + 1;
  }
}
