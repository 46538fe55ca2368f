package faultsim.calibrate;

import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import faultsim.workload.TextFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code /proc/lock_stat} capture (format version 0.4, as the kernel and faultsim's
 * {@code lock_stat/} files write it): for each class, and each side of a reader-writer class
 * ({@code &mm->mmap_lock-R}), its acquisitions and average hold time. Columns are found by the
 * header's names, times are in microseconds as the kernel prints them; contention point lines
 * and separators are skipped.
 */
public final class LockStatCapture {
  /** One class (or side) of the capture. */
  public record Row(String name, long acquisitions, long contentions, double holdAvgNs) {}

  private final Map<String, Row> rows;

  private LockStatCapture(Map<String, Row> rows) {
    this.rows = rows;
  }

  public Map<String, Row> rows() {
    return rows;
  }

  /** Reads {@code file}; a file that is not a lock_stat capture is an error naming the line. */
  public static LockStatCapture read(Path file) throws InputException {
    return parse(file.toString(), TextFiles.read(file, "lock_stat capture", 16 << 20));
  }

  /** Parses capture text; {@code name} is used in messages. */
  public static LockStatCapture parse(String name, String text) throws InputException {
    String[] lines = text.split("\n", -1);
    List<String> columns = null;
    Map<String, Row> out = new LinkedHashMap<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].stripTrailing();
      if (columns == null) {
        if (line.contains("class name") && line.contains("acquisitions")) {
          columns = new ArrayList<>(Arrays.asList(
              line.substring(line.indexOf("class name") + "class name".length()).trim()
                  .split("\\s+")));
        }
        continue;
      }
      int colon = line.lastIndexOf(':');
      if (colon <= 0 || line.isBlank()) {
        continue;
      }
      String[] values = line.substring(colon + 1).trim().split("\\s+");
      if (values.length != columns.size() || !values[0].matches("[0-9.]+")) {
        continue;
      }
      String cls = line.substring(0, colon).trim();
      try {
        long acquisitions = Long.parseLong(values[columns.indexOf("acquisitions")]);
        long contentions = Long.parseLong(values[columns.indexOf("contentions")]);
        int total = columns.indexOf("holdtime-total");
        double holdTotalUs = Double.parseDouble(values[total]);
        out.put(cls, new Row(cls, acquisitions, contentions,
            acquisitions == 0 ? 0 : holdTotalUs * 1000 / acquisitions));
      } catch (NumberFormatException | IndexOutOfBoundsException e) {
        throw new InputException(new Diagnostic(name, i + 1, colon + 2,
            "expected the numbers of a lock_stat class line under the header's columns"));
      }
    }
    if (columns == null || !columns.contains("holdtime-total")
        || !columns.contains("contentions")) {
      throw new InputException(new Diagnostic(name, 1, 1, "not a /proc/lock_stat capture:"
          + " expected a header line naming 'class name', 'contentions', 'acquisitions' and"
          + " 'holdtime-total' (lock_stat version 0.4)"));
    }
    return new LockStatCapture(out);
  }
}
