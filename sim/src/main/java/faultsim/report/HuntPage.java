package faultsim.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import faultsim.hunt.Point;
import faultsim.hunt.Schedule;
import faultsim.workload.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code hunt.jte} shows for a hunt's results directory, read from its files alone
 * ({@code manifest.json}, {@code hunt.csv}, {@code hunt/<design>-<kind>.schedule} and
 * {@code .violation.txt}): the verdict first, a line per design and a row per design × oracle
 * kind, then each finding's shrunk interleaving drawn as columns, one per task, as the run
 * report draws violations.
 *
 * @param title the workload's name
 * @param question the workload file's header comment, by paragraph
 * @param workloadFile the path the workload was read from
 * @param workloadSource the workload file's text
 * @param verdicts one line per design, in hunt order
 * @param rows one per design × oracle kind, as {@code hunt.csv} lists them
 * @param facts how the hunt searched
 * @param findings each kind found, in {@code hunt.csv} order
 */
public record HuntPage(String title, List<String> question, String workloadFile,
    String workloadSource, List<DesignLine> verdicts, List<Row> rows, List<Page.Fact> facts,
    List<Finding> findings) {

  /** A design's verdict: {@code text} after its name; {@code found} whether it is unsafe. */
  public record DesignLine(String design, String colour, String text, boolean found) {}

  /**
   * A design × oracle kind.
   *
   * @param needed the schedule that found it, of how many allowed; or how far the search went
   * @param href the finding on this page, or empty
   */
  public record Row(String design, String colour, String kind, boolean found, String needed,
      String strategy, String seed, String href) {}

  /**
   * A kind found, as its schedule file replays it.
   *
   * @param id the page anchor
   * @param facts where it was found, and its delays before and after shrinking
   * @param delays the shrunk schedule's delays, {@code task ordinal primitive delay_ns}
   * @param violation the violation the shrunk schedule gives, drawn as columns
   * @param replay the command line that runs the schedule again
   * @param schedule link to the schedule file
   * @param text link to the violation as text
   */
  public record Finding(String design, String colour, String kind, String id,
      List<Page.Fact> facts, List<String> delays, Violations.Violation violation, String replay,
      String schedule, String text) {}

  private static final String HUNT_CSV = "hunt.csv";

  /** Whether {@code dir} holds a hunt's results: a manifest of command {@code hunt}. */
  static boolean isHuntDir(Path dir) {
    Path m = dir.resolve("manifest.json");
    if (!Files.isRegularFile(m) || !Files.isRegularFile(dir.resolve(HUNT_CSV))) {
      return false;
    }
    try {
      return "hunt".equals(new ObjectMapper().readTree(m.toFile()).path("command").asText());
    } catch (IOException e) {
      return false;
    }
  }

  /** Renders {@code index.html} of a hunt's results directory. */
  static void render(Path dir) throws IOException {
    Report.writeAtomically(dir.resolve("index.html"), Report.render("hunt.jte", read(dir)));
  }

  /** The page of the hunt results in {@code dir}. */
  static HuntPage read(Path dir) throws IOException {
    JsonNode m = new ObjectMapper().readTree(
        Files.readString(dir.resolve("manifest.json"), StandardCharsets.UTF_8));
    JsonNode wl = m.path("workload");
    String strategy = m.path("strategy").asText();
    String seed = m.path("seed").asText();
    long allowed = m.path("schedules").asLong();
    String out = m.path("out").asText(dir.toString());

    Map<String, String> colours = new LinkedHashMap<>();
    for (JsonNode d : m.path("designs")) {
      colours.put(d.asText(), ChartStyle.hex(ChartStyle.design(colours.size())));
    }
    // hunt.csv: the schedules column is the finding's schedule for a kind found, else the
    // schedules the design's search ran.
    Map<String, List<CsvTable.Row>> byDesign = new LinkedHashMap<>();
    for (CsvTable.Row r : CsvTable.read(dir.resolve(HUNT_CSV)).rows()) {
      byDesign.computeIfAbsent(r.get("design"), k -> new ArrayList<>()).add(r);
      colours.computeIfAbsent(r.get("design"),
          k -> ChartStyle.hex(ChartStyle.design(colours.size())));
    }

    List<DesignLine> verdicts = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    for (Map.Entry<String, List<CsvTable.Row>> e : byDesign.entrySet()) {
      String design = e.getKey();
      String colour = colours.get(design);
      List<String> kinds = new ArrayList<>();
      long hitAt = -1;
      long ran = 0;
      for (CsvTable.Row r : e.getValue()) {
        if (Boolean.parseBoolean(r.get("found"))) {
          kinds.add(r.get("kind"));
          hitAt = r.integer("schedules");
        } else {
          ran = r.integer("schedules");
        }
      }
      verdicts.add(new DesignLine(design, colour, kinds.isEmpty()
          ? "no violation in " + schedules(ran)
          : String.join(", ", kinds) + (hitAt == 0 ? " in the run without delays (schedule 0)"
              : " after " + schedules(hitAt)), !kinds.isEmpty()));
      for (CsvTable.Row r : e.getValue()) {
        String kind = r.get("kind");
        boolean found = Boolean.parseBoolean(r.get("found"));
        long s = r.integer("schedules");
        String needed = found ? s + " of " + allowed
            : hitAt >= 0 ? "not searched past schedule " + hitAt
                : "none in " + s + " of " + allowed;
        String id = found ? "finding-" + Report.slug(design) + "-" + Report.slug(kind) : "";
        rows.add(new Row(design, colour, kind, found, needed, strategy, seed,
            found ? "#" + id : ""));
        if (found) {
          findings.add(finding(dir, out, design, colour, kind, id, r));
        }
      }
    }
    return new HuntPage(wl.path("name").asText(),
        Report.paragraphs(wl.path("description").asText("")), wl.path("file").asText(),
        wl.path("source").asText(), verdicts, rows, facts(m), findings);
  }

  private static Finding finding(Path dir, String out, String design, String colour,
      String kind, String id, CsvTable.Row r) throws IOException {
    String base = "hunt/" + design + "-" + kind;
    Schedule s;
    try {
      s = Schedule.read(dir.resolve(base + ".schedule"));
    } catch (InputException e) {
      throw new IOException(e.getMessage(), e);
    }
    String text = Files.readString(dir.resolve(base + ".violation.txt"), StandardCharsets.UTF_8);
    Violations.Violation v = Violations.ofHunt(design, s.replication(), text);
    long at = r.integer("schedules");
    List<Page.Fact> facts = new ArrayList<>();
    facts.add(new Page.Fact("found at", at == 0 ? "schedule 0, the run without delays"
        : String.format(Locale.ROOT, "schedule %d, on replication %d's arrivals", at,
            s.replication())));
    facts.add(new Page.Fact("delays", r.get("perturbations_found") + " found, "
        + r.get("perturbations_shrunk") + " left after shrinking"));
    List<String> delays = new ArrayList<>();
    for (Point p : s.points()) {
      delays.add(p.toString());
    }
    return new Finding(design, colour, kind, id, facts, delays, v,
        "./faultsim replay " + out + "/" + base + ".schedule", base + ".schedule",
        base + ".violation.txt");
  }

  private static List<Page.Fact> facts(JsonNode m) {
    List<Page.Fact> out = new ArrayList<>();
    String strategy = m.path("strategy").asText();
    out.add(new Page.Fact("strategy", switch (strategy) {
      case "pairs" -> "pairs: each schedule forces the order of two tasks' calls that touch the"
          + " same state, by one delay computed from a recorded run";
      case "pct" -> "pct, depth " + m.path("depth").asText() + ": "
          + (m.path("depth").asInt() - 1) + " delays per schedule at points drawn at random";
      case "random" -> "random: every interaction point delayed with a small probability";
      default -> strategy;
    }));
    out.add(new Page.Fact("schedules", "at most " + m.path("schedules").asText()
        + " per design, after schedule 0 (replication 0 without delays); a design's search"
        + " stops at the first schedule that shows a violation, and each kind it shows is"
        + " shrunk"));
    out.add(new Page.Fact("seed", m.path("seed").asText()));
    List<String> sets = new ArrayList<>();
    m.path("workload").path("sets").forEach(n -> sets.add(n.asText()));
    if (!sets.isEmpty()) {
      out.add(new Page.Fact("overrides", String.join(" ", sets)));
    }
    out.add(new Page.Fact("faultsim", m.path("faultsim_version").asText()));
    return out;
  }

  private static String schedules(long n) {
    return n + (n == 1 ? " schedule" : " schedules");
  }
}
