package faultsim.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which design the verdict and the summary table measure changes from, when the first design is
 * unsafe. The fixture has a safe design ({@link ReportFixture#BASELINE}) and an unsafe one
 * ({@link ReportFixture#VARIANT}, 93 invalid-context violations); these tests reorder or edit a
 * copy of it.
 */
final class VerdictBaselineTest {

  /** The fixture with its two designs listed in the manifest in the other order. */
  private static Path unsafeFirst(Path tmp) throws IOException {
    Path dir = ReportFixture.copy(tmp);
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode manifest = (ObjectNode) mapper.readTree(dir.resolve("manifest.json").toFile());
    ArrayNode designs = manifest.withArray("designs");
    ObjectNode first = (ObjectNode) designs.remove(0);
    designs.add(first);
    mapper.writeValue(dir.resolve("manifest.json").toFile(), manifest);
    return dir;
  }

  @Test
  void verdict_firstDesignUnsafe_ranksAgainstFirstSafeDesignAndSaysSo(@TempDir Path tmp)
      throws IOException {
    ResultsData data = ResultsData.read(unsafeFirst(tmp));
    assertThat(data.designs).containsExactly(ReportFixture.VARIANT, ReportFixture.BASELINE);

    SummaryTable table = SummaryTable.of(data);
    Verdict v = Verdict.of(data, table, Violations.parse(data.violations));

    // The unsafe variant comes first, but an unsafe design is no reference for speed: the
    // baseline is the first design without violations, and the sentence names the one skipped.
    assertThat(v.baseline()).isEqualTo("baseline: " + ReportFixture.BASELINE
        + " (the first design without violations; " + ReportFixture.VARIANT + " is unsafe)");
    assertThat(v.safe()).extracting(Verdict.Ranked::design, Verdict.Ranked::baseline)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ReportFixture.BASELINE, true));
    // In the summary table the variant's row is now the compared one: its throughput cell has a
    // change from the baseline (3 replications: shown, not tested), the baseline's has none.
    SummaryTable.Group fault = table.groups().get(0);
    assertThat(fault.rows()).extracting(SummaryTable.Row::design, SummaryTable.Row::baseline)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ReportFixture.VARIANT, false),
            org.assertj.core.groups.Tuple.tuple(ReportFixture.BASELINE, true));
    assertThat(fault.rows().get(0).cells().get(0).change()).isNotEmpty();
    assertThat(fault.rows().get(1).cells().get(0).verdict()).isEqualTo("baseline");
  }

  @Test
  void render_firstDesignUnsafe_pageNamesTheBaseline(@TempDir Path tmp) throws IOException {
    Path dir = unsafeFirst(tmp);

    Report.render(dir);

    String html = Files.readString(dir.resolve("index.html"), StandardCharsets.UTF_8);
    assertThat(html).contains("best first; baseline: " + ReportFixture.BASELINE
        + " (the first design without violations; " + ReportFixture.VARIANT + " is unsafe):");
    assertThat(html).contains(ReportFixture.BASELINE + "</a> <span class=\"muted\">(baseline");
    assertThat(html).doesNotContain(ReportFixture.VARIANT + "</a> <span class=\"muted\">(baseline");
  }

  @Test
  void verdict_everyDesignUnsafe_saysThereIsNoSafeBaseline(@TempDir Path tmp) throws IOException {
    Path dir = ReportFixture.copy(tmp);
    // Give the baseline design two stale_data violations, in replication 0.
    replaceLine(dir.resolve("summary.csv"),
        ReportFixture.BASELINE + ",all,violations_stale_data,0,0,count,3",
        ReportFixture.BASELINE + ",all,violations_stale_data,0.666666667,1.9,count,3");
    replaceLine(dir.resolve("replications.csv"),
        ReportFixture.BASELINE + ",all,violations_stale_data,0,0",
        ReportFixture.BASELINE + ",all,violations_stale_data,0,2");
    ResultsData data = ResultsData.read(dir);

    Verdict v = Verdict.of(data, SummaryTable.of(data), Violations.parse(data.violations));

    assertThat(v.unsafe()).extracting(Verdict.Unsafe::design)
        .containsExactly(ReportFixture.BASELINE, ReportFixture.VARIANT);
    assertThat(v.unsafe().get(0).kinds()).containsExactly("stale_data \u00d7 2");
    assertThat(v.safe()).isEmpty();
    assertThat(v.baseline()).isEqualTo("no safe baseline: every design has violations (the"
        + " summary table compares with " + ReportFixture.BASELINE + ", the first design)");
    assertThat(v.toText()).contains("\nno safe baseline: every design has violations");
  }

  private static void replaceLine(Path file, String line, String with) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(text).contains(line + "\n");
    Files.writeString(file, text.replace(line + "\n", with + "\n"), StandardCharsets.UTF_8);
  }
}
