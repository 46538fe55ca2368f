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
}
