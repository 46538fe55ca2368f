package faultsim.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of the checked-in fixture results directory against golden files: the summary
 * table (as text) and the HTML's data sections (summary, lock statistics, violations). Also: the
 * same directory gives the same bytes, in any default locale.
 */
final class ReportGoldenTest {
  private static final Pattern DATA_SECTION =
      Pattern.compile("<section class=\"data\"[^>]*>.*?</section>", Pattern.DOTALL);

  /** The {@code <section class="data">} elements of a page, in order. */
  static String dataSections(String html) {
    StringBuilder sb = new StringBuilder();
    Matcher m = DATA_SECTION.matcher(html);
    while (m.find()) {
      sb.append(m.group()).append('\n');
    }
    return sb.toString();
  }

  @Test
  void summaryTable_fixture_matchesGolden() throws IOException {
    SummaryTable table = SummaryTable.of(ResultsData.read(ReportFixture.DIR));

    assertThat(table.groups()).extracting(SummaryTable.Group::job).containsExactly("fault",
        "mmap");
    assertThat(table.groups().get(0).rows()).extracting(SummaryTable.Row::design)
        .containsExactly(ReportFixture.BASELINE, ReportFixture.VARIANT);
    Golden.assertMatches("summary.txt", table.toText());
  }

  @Test
  void verdict_fixture_unsafeFirstThenSafeRanked() throws IOException {
    ResultsData data = ResultsData.read(ReportFixture.DIR);
    Verdict v = Verdict.of(data, SummaryTable.of(data), Violations.parse(data.violations));

    // The variant's mmap job calls a sleeping function under a spinlock in every replication:
    // unsafe, however fast, and not ranked; the baseline is the only safe design.
    assertThat(v.unsafe()).extracting(Verdict.Unsafe::design)
        .containsExactly(ReportFixture.VARIANT);
    assertThat(v.unsafe().get(0).found()).isEqualTo("found in 3 of 3 replications");
    assertThat(v.safe()).extracting(Verdict.Ranked::design)
        .containsExactly(ReportFixture.BASELINE);
    Golden.assertMatches("verdict.txt", v.toText());
  }

  @Test
  void indexHtml_fixture_dataSectionsMatchGolden(@TempDir Path tmp) throws IOException {
    Path dir = ReportFixture.copy(tmp);

    Report.render(dir);

    String html = Files.readString(dir.resolve("index.html"), StandardCharsets.UTF_8);
    String data = dataSections(html);
    assertThat(data).contains("id=\"summary\"", "id=\"lock-stat\"", "id=\"violations\"");
    Golden.assertMatches("data-sections.html", data);
  }

  @Test
  void render_sameDirectoryTwice_givesByteIdenticalFiles(@TempDir Path tmp) throws IOException {
    Path a = ReportFixture.copy(tmp.resolve("a"));
    Path b = ReportFixture.copy(tmp.resolve("b"));

    Report.render(a);
    Report.render(b);
    Report.render(b);

    List<String> files = files(a);
    assertThat(files).contains("index.html", "charts/latency-fault.fault.svg",
        "charts/latency-fault.fault.png", "designs/baseline.mmap-lock.txt",
        "charts/flame-baseline.mmap-lock.svg", "charts/flame-variant.long-write-hold.svg");
    assertThat(files(b)).isEqualTo(files);
    for (String f : files) {
      assertThat(Files.readAllBytes(b.resolve(f))).as(f).isEqualTo(Files.readAllBytes(a.resolve(f)));
    }
  }

  @Test
  void render_inGermanAndRussianLocales_givesTheSameHtmlAndSvg(@TempDir Path tmp)
      throws IOException {
    Path root = ReportFixture.copy(tmp.resolve("root"));
    Report.render(root);
    Locale saved = Locale.getDefault();
    try {
      for (Locale l : List.of(Locale.GERMANY, Locale.forLanguageTag("ru-RU"))) {
        Locale.setDefault(l);
        Path dir = ReportFixture.copy(tmp.resolve(l.toLanguageTag()));
        Report.render(dir);
        for (String f : files(root)) {
          if (f.equals("index.html") || f.endsWith(".svg")) {
            assertThat(Files.readString(dir.resolve(f))).as(l + " " + f)
                .isEqualTo(Files.readString(root.resolve(f)));
          }
        }
      }
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void indexHtml_fixture_isSelfContained(@TempDir Path tmp) throws IOException {
    Path dir = ReportFixture.copy(tmp);

    Report.render(dir);

    String html = Files.readString(dir.resolve("index.html"), StandardCharsets.UTF_8);
    assertThat(html).doesNotContain("<script", "http://", "https://", "2026-01-01");
    int n = ReportLinks.checkAll(html, dir);
    assertThat(n).isGreaterThan(10);
    assertThat(Files.readString(dir.resolve("designs/variant.long-write-hold.txt")))
        .contains("mutex_lock: i_mmap");
  }

  @Test
  void finisher_renderFails_warnsInsteadOfFailingTheRun(@TempDir Path tmp) throws IOException {
    java.io.StringWriter err = new java.io.StringWriter();

    Report.finisher(new java.io.PrintWriter(err, true)).finish(tmp);

    assertThat(err.toString()).contains("warning: the report was not rendered",
        "not a results directory", "faultsim report DIR");
  }

  static List<String> files(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(Files::isRegularFile).forEach(p -> out.add(dir.relativize(p).toString()
          .replace('\\', '/')));
    }
    out.sort(null);
    return out;
  }
}
