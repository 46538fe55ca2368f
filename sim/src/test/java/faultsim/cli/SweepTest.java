package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.run.Sweep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps: the cartesian product of values, and resuming an interrupted sweep. */
final class SweepTest {
  static final Path WORKLOAD = Path.of("..", "workloads", "one-lock-mva.yaml");
  static final List<String> SWEEP = List.of("machine.cores=1,2,4", "jobs.worker.numjobs=2,4",
      "global.runtime=2ms", "replications=2");

  @Test
  void points_areTheCartesianProduct_lastKeyFastest() throws Exception {
    // 3 core counts x 2 populations x 1 x 1 = 6 points; the last key varies fastest.
    List<Sweep.Point> points = Sweep.points(SWEEP);
    assertThat(points).hasSize(6);
    assertThat(points.get(0).values()).containsExactly("1", "2", "2ms", "2");
    assertThat(points.get(1).values()).containsExactly("1", "4", "2ms", "2");
    assertThat(points.get(2).values()).containsExactly("2", "2", "2ms", "2");
    assertThat(points.get(5).values()).containsExactly("4", "4", "2ms", "2");
  }

  @Test
  void points_distributionValues_areNotSplitInsideParentheses() throws Exception {
    List<Sweep.Point> points = Sweep.points(List.of("global.thinktime=uniform(1us,3us),2us"));
    assertThat(points).extracting(p -> p.values().get(0))
        .containsExactly("uniform(1us,3us)", "2us");
  }

  @Test
  void sweep_interruptedAfterTwoPoints_resumesToTheSameSweepCsv(@TempDir Path dir)
      throws Exception {
    Path whole = dir.resolve("whole");
    assertThat(Sweep.run(WORKLOAD, List.of(), SWEEP, whole, 2, -1, null)).isTrue();

    Path resumed = dir.resolve("resumed");
    assertThat(Sweep.run(WORKLOAD, List.of(), SWEEP, resumed, 2, 2, null)).isFalse();
    assertThat(resumed.resolve("sweep.csv")).doesNotExist();
    List<Boolean> skipped = new ArrayList<>();
    assertThat(Sweep.run(WORKLOAD, List.of(), SWEEP, resumed, 1, -1,
        (p, done, total) -> skipped.add(done))).isTrue();

    // The first two points were finished before the interruption and are not run again.
    assertThat(skipped).containsExactly(true, true, false, false, false, false);
    assertThat(Files.readString(resumed.resolve("sweep.csv")))
        .isEqualTo(Files.readString(whole.resolve("sweep.csv")));
    // 6 points x (9 metrics for the job + 13 run-wide rows: 9 violation kinds, 3 cpu
    // fractions, events) + header.
    assertThat(Files.readAllLines(whole.resolve("sweep.csv"))).hasSize(6 * 22 + 1);
  }

  @Test
  void sweep_badValueInAnyPoint_failsBeforeRunningAnything(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("s");
    java.io.StringWriter err = new java.io.StringWriter();
    int status = Main.execute(new String[] {"sweep", WORKLOAD.toString(), "--out", out.toString(),
        "--set", "machine.cores=2,0"}, new java.io.PrintWriter(new java.io.StringWriter()),
        new java.io.PrintWriter(err));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).startsWith("--set machine.cores=0: machine.cores must be >= 1");
    assertThat(out.resolve("points")).doesNotExist();
  }

  @Test
  void zip_movesTheKeysTogether_onePointPerValue() throws Exception {
    // Four values of each key moved together: 4 points, not 4 x 4 = 16; a key with one value
    // is fixed for every point.
    List<Sweep.Point> points = Sweep.points(List.of("machine.cores=1,2,4,8",
        "jobs.f.numjobs=1,2,4,8", "global.runtime=2ms"), true);
    assertThat(points).extracting(Sweep.Point::id).containsExactly(
        "p0000_machine.cores_1_jobs.f.numjobs_1_global.runtime_2ms",
        "p0001_machine.cores_2_jobs.f.numjobs_2_global.runtime_2ms",
        "p0002_machine.cores_4_jobs.f.numjobs_4_global.runtime_2ms",
        "p0003_machine.cores_8_jobs.f.numjobs_8_global.runtime_2ms");
    assertThat(points.get(2).values()).containsExactly("4", "4", "2ms");
  }

  @Test
  void zip_listsOfDifferentLengths_exitTwoNamingBothOptions(@TempDir Path dir) {
    Path out = dir.resolve("s");
    java.io.StringWriter err = new java.io.StringWriter();
    int status = Main.execute(new String[] {"sweep", WORKLOAD.toString(), "--out", out.toString(),
        "--set", "machine.cores=1,2,4,8", "--set", "jobs.worker.numjobs=1,2", "--zip"},
        new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("--zip: --set machine.cores=1,2,4,8 has 4 values but"
        + " --set jobs.worker.numjobs=1,2 has 2; --zip moves the keys together, so give each"
        + " swept key the same number of values (or one, to fix it)" + System.lineSeparator());
    assertThat(out).doesNotExist();
  }

  @Test
  void zip_sweep_chartsThroughputAgainstTheFirstKey_oneLinePerDesign(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("s");
    java.io.StringWriter err = new java.io.StringWriter();
    int status = Main.execute(new String[] {"sweep", WORKLOAD.toString(), "--out", out.toString(),
        "--set", "machine.cores=1,2,4", "--set", "jobs.worker.numjobs=2,4,8", "--set",
        "global.runtime=2ms", "--set", "replications=2", "--zip", "--threads", "2"},
        new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err));
    assertThat(status).as(err.toString()).isZero();
    assertThat(Files.list(out.resolve("points")).count()).isEqualTo(3);
    assertThat(Files.readString(out.resolve("sweep.json"))).contains("\"zip\" : true");
    String html = Files.readString(out.resolve("index.html"));
    assertThat(html).contains("Throughput against machine.cores (with jobs.worker.numjobs)");
    // One series for the one design: the zipped key does not split the points into series of
    // one point each (without --zip the legend would read "synthetic (jobs.worker.numjobs=2)").
    String svg = Files.readString(out.resolve("charts/sweep-throughput-worker.svg"));
    assertThat(svg).contains("synthetic").doesNotContain("jobs.worker.numjobs=");
  }
}
