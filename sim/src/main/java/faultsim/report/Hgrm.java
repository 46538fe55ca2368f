package faultsim.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A percentile distribution in HdrHistogram's {@code .hgrm} layout: {@code Value Percentile
 * TotalCount 1/(1-Percentile)} rows, values in the unit the file was written in (µs in faultsim's
 * results directories).
 *
 * @param points rows in file order (percentile ascending), the last one at percentile 1
 */
record Hgrm(List<Point> points) {
  /** One row: {@code value} is at or above a fraction {@code percentile} of all values. */
  record Point(double value, double percentile, long totalCount) {}

  static Hgrm read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  static Hgrm parse(String text) {
    List<Point> points = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      String s = line.strip();
      if (s.isEmpty() || s.startsWith("#") || !Character.isDigit(s.charAt(0))) {
        continue;
      }
      String[] f = s.split("\\s+");
      if (f.length < 3) {
        continue;
      }
      points.add(new Point(Double.parseDouble(f[0]), Double.parseDouble(f[1]),
          Long.parseLong(f[2])));
    }
    return new Hgrm(List.copyOf(points));
  }

  long totalCount() {
    return points.isEmpty() ? 0 : points.get(points.size() - 1).totalCount();
  }
}
