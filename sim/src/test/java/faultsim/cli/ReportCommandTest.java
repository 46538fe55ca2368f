package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code faultsim report DIR}, and the reports that {@code run} and {@code sweep} render. */
final class ReportCommandTest {
  static final Path CONVOY = RunCommandTest.WORKLOADS.resolve("mmap-lock-convoy.yaml");

  /** Every file of the report (index.html, charts/, designs/), by relative path. */
  static Map<String, byte[]> reportFiles(Path dir) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    out.put("index.html", Files.readAllBytes(dir.resolve("index.html")));
    for (String sub : new String[] {"charts", "designs"}) {
      try (Stream<Path> s = Files.walk(dir.resolve(sub))) {
        for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
          out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
        }
      }
    }
    return out;
  }

  @Test
  void report_ofAnEarlierRun_reproducesItsHtmlAndChartsByteForByte(@TempDir Path tmp)
      throws IOException {
    Path out = tmp.resolve("r");
    assertThat(RunCommandTest.run("run", CONVOY.toString(), "--out", out.toString(), "--set",
        "global.runtime=2ms", "--replications", "2")).isZero();
    Map<String, byte[]> fromRun = reportFiles(out);
    assertThat(fromRun.keySet()).contains("index.html", "charts/latency-fault.fault.svg",
        "charts/timeline-fault.png", "designs/synthetic.txt", "charts/flame-synthetic.svg",
        "charts/threads-fault.svg", "charts/threads-fault.png");
    // Fifteen fault tasks: a chart of their throughputs; one mmap task: none.
    assertThat(fromRun.keySet()).doesNotContain("charts/threads-mmap.svg");
    byte[] sums = Files.readAllBytes(out.resolve("SHA256SUMS"));
    assertThat(new String(sums, java.nio.charset.StandardCharsets.UTF_8)).contains(
        "  stacks/synthetic.folded\n", "  tasks.csv\n", "  charts/flame-synthetic.svg\n");
    Files.writeString(out.resolve("charts/stale.svg"), "left over");

    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int status = Main.execute(new String[] {"report", out.toString()}, new PrintWriter(stdout),
        new PrintWriter(stderr));

    assertThat(status).as(stderr.toString()).isZero();
    assertThat(stdout.toString()).contains("index.html");
    Map<String, byte[]> again = reportFiles(out);
    assertThat(again.keySet()).isEqualTo(fromRun.keySet());
    for (String f : fromRun.keySet()) {
      assertThat(again.get(f)).as(f).isEqualTo(fromRun.get(f));
    }
    assertThat(Files.readAllBytes(out.resolve("SHA256SUMS"))).isEqualTo(sums);
  }

  @Test
  void report_notAResultsDirectory_exitsTwoWithAMessage(@TempDir Path tmp) {
    for (Path dir : new Path[] {tmp, tmp.resolve("missing")}) {
      StringWriter stderr = new StringWriter();
      int status = Main.execute(new String[] {"report", dir.toString()},
          new PrintWriter(new StringWriter()), new PrintWriter(stderr));

      assertThat(status).isEqualTo(2);
      assertThat(stderr.toString()).contains(dir.toString(), "not a results directory")
          .doesNotContain("Exception");
    }
  }

  @Test
  void sweep_rendersItsReportAndOnePerPoint(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("s");
    StringWriter stderr = new StringWriter();
    int status = Main.execute(new String[] {"sweep", CONVOY.toString(), "--out", out.toString(),
        "--set", "jobs.fault.numjobs=3,7", "--set", "global.runtime=1ms", "--set",
        "replications=2"}, new PrintWriter(new StringWriter()), new PrintWriter(stderr));
    assertThat(status).as(stderr.toString()).isZero();

    String html = Files.readString(out.resolve("index.html"));
    assertThat(html).contains("charts/sweep-throughput-fault.svg",
        "points/p0000_jobs.fault.numjobs_3_global.runtime_1ms_replications_2/index.html");
    try (Stream<Path> points = Files.list(out.resolve("points"))) {
      for (Path p : points.toList()) {
        assertThat(p.resolve("index.html")).exists();
        assertThat(Files.readString(p.resolve("index.html"))).contains("../../index.html");
      }
    }
    byte[] first = Files.readAllBytes(out.resolve("index.html"));
    assertThat(Main.execute(new String[] {"report", out.toString()},
        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))).isZero();
    assertThat(Files.readAllBytes(out.resolve("index.html"))).isEqualTo(first);
  }
}
