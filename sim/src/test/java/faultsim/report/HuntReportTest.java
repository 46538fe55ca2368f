package faultsim.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import faultsim.cli.Main;
import faultsim.results.ResultsDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a hunt's results directory, {@code index.html}, against the checked-in results
 * of a small hunt ({@link #DIR}): the DAX fault-versus-punch workload at 100 us, designs
 * {@code dax_isize_recheck} (whose stale data the pairs strategy finds at schedule 1) and
 * {@code linux_6_6} (nothing in 4 schedules). Regenerate only on purpose, then review the diff
 * and the golden: {@code mvn -pl sim test -Dtest=HuntReportTest -Dfaultsim.updateFixture=true}.
 */
final class HuntReportTest {
  static final Path DIR = ReportFixture.RESOURCES.resolve("hunt");
  private static final Pattern SECTIONS = Pattern.compile(
      "<section (?:class=\"data\" )?id=\"(?:verdict|hunt|findings)\"[^>]*>.*?</section>",
      Pattern.DOTALL);

  @Test
  @EnabledIfSystemProperty(named = "faultsim.updateFixture", matches = "true")
  void regenerate(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("h");
    StringWriter err = new StringWriter();
    int status = Main.execute(new String[] {"hunt", "../workloads/dax-fault-vs-punch.yaml",
        "--set", "global.runtime=100us", "--design", "dax_isize_recheck", "--design",
        "linux_6_6", "--schedules", "4", "--threads", "1", "--out", out.toString()},
        new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertThat(status).as(err.toString()).isZero();
    // The directory as a hunt without --out names it, and no wall-clock time.
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode m = (ObjectNode) mapper.readTree(out.resolve("manifest.json").toFile());
    m.put("out", "reports/dax-fault-vs-punch-hunt");
    m.put("wall_seconds", 0.5);
    Files.writeString(out.resolve("manifest.json"), mapper.writeValueAsString(m) + "\n",
        StandardCharsets.UTF_8);
    Report.render(out);
    ResultsDirectory.seal(out);
    faultsim.results.ResultsWriter.deleteTree(DIR);
    copyTree(out, DIR);
  }

  @Test
  void indexHtml_huntFixture_matchesGolden(@TempDir Path tmp) throws IOException {
    Path dir = copy(tmp);

    Report.render(dir);

    String html = Files.readString(dir.resolve("index.html"), StandardCharsets.UTF_8);
    Golden.assertMatches("hunt-sections.html", sections(html));
    // Rendering again from the files gives what the hunt wrote.
    assertThat(html).isEqualTo(Files.readString(DIR.resolve("index.html")));
  }

  @Test
  void page_namesEveryDesignAndKindOfHuntCsv_verdictFirst(@TempDir Path tmp)
      throws IOException {
    Path dir = copy(tmp);
    Report.render(dir);
    String html = Files.readString(dir.resolve("index.html"), StandardCharsets.UTF_8);

    List<String> rows = Files.readAllLines(dir.resolve("hunt.csv")).subList(1, 19);
    // Two designs x the nine oracle kinds.
    assertThat(rows).hasSize(18);
    for (String row : rows) {
      String[] f = row.split(",");
      assertThat(html).as(row).containsPattern("<td class=\"design\"><span class=\"swatch\""
          + "[^>]*></span>" + Pattern.quote(f[0]) + "</td><td>" + Pattern.quote(f[1])
          + "</td><td>" + (f[2].equals("true") ? "found" : "not found") + "</td>");
    }
    // The verdict comes first, a line per design, worded from hunt.csv: the finding's
    // schedule, else the schedules run.
    int verdict = html.indexOf("<section id=\"verdict\">");
    assertThat(verdict).isPositive().isLessThan(html.indexOf("id=\"hunt\""));
    assertThat(html).contains("<strong>dax_isize_recheck</strong>: stale_data after 1 schedule"
        + "</li>", "<strong>linux_6_6</strong>: no violation in 4 schedules</li>");
    // The kind found: 1 of the 4 allowed; the design's other kinds were not searched past it.
    assertThat(html).contains("<td>stale_data</td><td>found</td><td class=\"num\">1 of 4</td>",
        "<td>beyond_eof</td><td>not found</td><td class=\"num\">not searched past schedule 1"
            + "</td>", "<td>beyond_eof</td><td>not found</td><td class=\"num\">none in 4 of 4"
            + "</td>");
    // The finding: its interleaving as columns with the culprit's flagged, the steps that
    // conflict marked, and the replay command naming the schedule the page links to.
    String finding = html.substring(html.indexOf("id=\"finding-dax-isize-recheck-stale-data\""));
    assertThat(finding).contains("<table class=\"interleaving\">", "(culprit)</th>",
        "<mark>&lt;&lt; ", "<p class=\"culprit\">culprit: task ",
        "./faultsim replay reports/dax-fault-vs-punch-hunt/hunt/dax_isize_recheck-stale_data"
            + ".schedule", "<a href=\"hunt/dax_isize_recheck-stale_data.schedule\">");
    int n = ReportLinks.checkAll(html, dir);
    assertThat(n).isEqualTo(3);
  }

  @Test
  void reportCommand_onAHuntDirectory_rebuildsItsIndexHtml(@TempDir Path tmp)
      throws IOException {
    Path dir = copy(tmp);
    Files.delete(dir.resolve("index.html"));
    ResultsDirectory.seal(dir);

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.execute(new String[] {"report", dir.toString()}, new PrintWriter(out),
        new PrintWriter(err));

    assertThat(status).as(err.toString()).isZero();
    assertThat(out.toString()).contains("report: " + dir.resolve("index.html"));
    assertThat(Files.readString(dir.resolve("index.html")))
        .isEqualTo(Files.readString(DIR.resolve("index.html")));
    // Still sealed: SHA256SUMS now lists the page too, so a later hunt may replace it.
    assertThat(ResultsDirectory.isSealed(dir)).isTrue();
    assertThat(Files.readString(dir.resolve("SHA256SUMS"))).contains("  index.html\n");
  }

  static String sections(String html) {
    StringBuilder sb = new StringBuilder();
    Matcher m = SECTIONS.matcher(html);
    while (m.find()) {
      sb.append(m.group()).append('\n');
    }
    return sb.toString();
  }

  private static Path copy(Path into) throws IOException {
    Path dst = into.resolve("hunt");
    copyTree(DIR, dst);
    return dst;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
  }
}
