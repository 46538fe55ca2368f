package faultsim.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** A sweep directory read from its files: {@code sweep.csv} and the points' directories. */
final class SweepData {
  /** A {@code sweep.csv} row: a point's summary row and the point's swept values. */
  record Row(int point, List<String> values, String design, String job, String metric,
      double mean, double ci99, String unit, int n) {}

  final Path dir;
  /** Swept keys, slowest-varying first. */
  final List<String> keys;
  final List<Row> rows;
  final List<String> designs;
  final List<String> jobs;
  /** Point directories under {@code points/}, by name. */
  final List<Path> points;
  /** The first point's manifest (workload name and question), or a missing node. */
  final JsonNode manifest;
  /** Whether the swept keys moved together ({@code --zip}) rather than in every combination. */
  final boolean zipped;

  private SweepData(Path dir, List<String> keys, List<Row> rows, List<String> designs,
      List<String> jobs, List<Path> points, JsonNode manifest, boolean zipped) {
    this.zipped = zipped;
    this.dir = dir;
    this.keys = keys;
    this.rows = rows;
    this.designs = designs;
    this.jobs = jobs;
    this.points = points;
    this.manifest = manifest;
  }

  static boolean isSweepDir(Path dir) {
    return Files.isRegularFile(dir.resolve("sweep.csv"));
  }

  static SweepData read(Path dir) throws IOException {
    CsvTable t = CsvTable.read(dir.resolve("sweep.csv"));
    List<String> header = t.header();
    int designCol = header.indexOf("design");
    if (designCol < 1 || !header.get(0).equals("point")) {
      throw new IOException(dir.resolve("sweep.csv") + ": expected the header point,<keys>,"
          + "design,job,metric,mean,ci99,unit,n");
    }
    List<String> keys = List.copyOf(header.subList(1, designCol));
    List<Row> rows = new ArrayList<>();
    Set<String> designs = new LinkedHashSet<>();
    Set<String> jobs = new LinkedHashSet<>();
    for (CsvTable.Row r : t.rows()) {
      List<String> values = new ArrayList<>();
      for (int i = 1; i < designCol; i++) {
        values.add(r.get(i));
      }
      Row row = new Row(Integer.parseInt(r.get("point")), List.copyOf(values), r.get("design"),
          r.get("job"), r.get("metric"), r.number("mean"), r.number("ci99"), r.get("unit"),
          (int) r.integer("n"));
      rows.add(row);
      designs.add(row.design());
      if (!ResultsData.PSEUDO_JOBS.contains(row.job())) {
        jobs.add(row.job());
      }
    }
    List<Path> points = new ArrayList<>();
    Path pd = dir.resolve("points");
    if (Files.isDirectory(pd)) {
      try (Stream<Path> s = Files.list(pd)) {
        points.addAll(s.filter(ResultsData::isResultsDir).sorted().toList());
      }
    }
    JsonNode manifest = new ObjectMapper().missingNode();
    if (!points.isEmpty()) {
      manifest = new ObjectMapper().readTree(Files.readString(
          points.get(0).resolve("manifest.json"), StandardCharsets.UTF_8));
    }
    Path marker = dir.resolve(faultsim.results.OutputTarget.SWEEP_MARKER);
    boolean zipped = Files.isRegularFile(marker) && new ObjectMapper().readTree(
        Files.readString(marker, StandardCharsets.UTF_8)).path(faultsim.run.Sweep.ZIP_FIELD)
        .asBoolean(false);
    return new SweepData(dir, keys, rows, List.copyOf(designs), List.copyOf(jobs),
        List.copyOf(points), manifest, zipped);
  }

  /** The directory of point {@code index}, or null. */
  Path point(int index) {
    String prefix = String.format(Locale.ROOT, "p%04d", index);
    for (Path p : points) {
      String name = p.getFileName().toString();
      if (name.equals(prefix) || name.startsWith(prefix + "_")) {
        return p;
      }
    }
    return null;
  }

  /** Distinct values of key {@code k}, in order of appearance. */
  List<String> values(int k) {
    Set<String> out = new LinkedHashSet<>();
    for (Row r : rows) {
      out.add(r.values().get(k));
    }
    return List.copyOf(out);
  }

  /**
   * The key charts put on the x axis: the first that takes more than one value (the others
   * with several values tell series apart; those with one value were fixed for every point).
   */
  int xKey() {
    for (int k = 0; k < keys.size(); k++) {
      if (values(k).size() > 1) {
        return k;
      }
    }
    return 0;
  }

  /**
   * The x axis's name: the key, and in a zipped sweep the other keys that moved with it,
   * e.g. {@code machine.cores (with jobs.f.numjobs)}.
   */
  String xName() {
    int xk = xKey();
    List<String> with = new ArrayList<>();
    for (int k = 0; zipped && k < keys.size(); k++) {
      if (k != xk && varies(k)) {
        with.add(keys.get(k));
      }
    }
    return keys.get(xk) + (with.isEmpty() ? "" : " (with " + String.join(", ", with) + ")");
  }

  /** Whether key {@code k} takes more than one value. */
  boolean varies(int k) {
    return values(k).size() > 1;
  }

  /** Whether every value of key {@code k} is a whole number. */
  boolean integral(int k) {
    for (String v : values(k)) {
      if (!v.matches("-?\\d+")) {
        return false;
      }
    }
    return true;
  }

  /** Whether every value of key {@code k} is a number. */
  boolean numeric(int k) {
    for (String v : values(k)) {
      try {
        Double.parseDouble(v);
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return true;
  }

  String text(String... path) {
    JsonNode n = manifest;
    for (String p : path) {
      n = n.path(p);
    }
    return n.isMissingNode() || n.isNull() ? "" : n.asText();
  }
}
