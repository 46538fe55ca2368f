package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep killed with SIGKILL part-way, whose workload is then edited, resumes to exactly the
 * results of a clean sweep of the edited workload: points made from the old text run again (the
 * console says why), and what the killed process left half-written is removed.
 */
final class SweepResumeTest {
  /** Four tasks on one spinlock; the sweep varies the tasks' count over four points. */
  static final String WORKLOAD = String.join("\n",
      "# One spinlock, a varying number of tasks.",
      "machine: {cores: 4}",
      "locks: {L: {kind: spinlock}}",
      "global: {runtime: 40ms}",
      "jobs:",
      "  w:",
      "    numjobs: 1",
      "    steps:",
      "      - spin_lock: L",
      "      - cpu: 1us",
      "      - spin_unlock: L",
      "replications: 2",
      "");

  static final String[] SWEEP = {"--set", "jobs.w.numjobs=1,2,3,4", "--threads", "1"};

  @Test
  void sweep_killedThenWorkloadEdited_resumesToTheCleanSweepOfTheEdit(@TempDir Path dir)
      throws Exception {
    Path w = dir.resolve("w.yaml");
    Files.writeString(w, WORKLOAD, StandardCharsets.UTF_8);
    Path killed = dir.resolve("killed");

    // A separate JVM, killed with SIGKILL once its first point is complete.
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "faultsim.cli.Main",
        "sweep", w.toString(), "--out", killed.toString()));
    cmd.addAll(List.of(SWEEP));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("killed.log").toFile()).start();
    Path first = killed.resolve("points/p0000_jobs.w.numjobs_1/SHA256SUMS");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!Files.exists(first) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    p.destroyForcibly();  // SIGKILL on Linux
    p.waitFor();
    assertThat(first).as(Files.readString(dir.resolve("killed.log"))).exists();
    assertThat(killed.resolve("sweep.csv")).doesNotExist();

    // The edit: a longer critical section.
    Files.writeString(w, WORKLOAD.replace("cpu: 1us", "cpu: 2us"), StandardCharsets.UTF_8);
    UserFilesTest.Outcome resumed = UserFilesTest.faultsim(concat("sweep", w.toString(),
        "--out", killed.toString()));
    assertThat(resumed.status()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("point 1/4 jobs.w.numjobs=1: runs again (the workload"
        + " changed since it ran)");
    assertThat(resumed.out()).doesNotContain("already done");

    Path clean = dir.resolve("clean");
    assertThat(UserFilesTest.faultsim(concat("sweep", w.toString(), "--out", clean.toString()))
        .status()).isZero();

    assertThat(Files.readString(killed.resolve("sweep.csv")))
        .isEqualTo(Files.readString(clean.resolve("sweep.csv")));
    List<String> files = files(clean);
    assertThat(files(killed)).isEqualTo(files);
    for (String f : files) {
      // Manifests record wall-clock times, and SHA256SUMS their hashes.
      if (!f.endsWith("manifest.json") && !f.endsWith("SHA256SUMS")) {
        assertThat(Files.readAllBytes(killed.resolve(f))).as(f)
            .isEqualTo(Files.readAllBytes(clean.resolve(f)));
      }
    }

    // Resumed again with nothing changed, every point is already done.
    UserFilesTest.Outcome again = UserFilesTest.faultsim(concat("sweep", w.toString(),
        "--out", killed.toString()));
    assertThat(again.status()).isZero();
    assertThat(again.out().lines().filter(l -> l.endsWith("(already done)")).count())
        .isEqualTo(4);
  }

  private static String[] concat(String... head) {
    List<String> out = new ArrayList<>(List.of(head));
    out.addAll(List.of(SWEEP));
    return out.toArray(String[]::new);
  }

  /** Every file below {@code dir}, relative, sorted: temporary directories would show here. */
  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted()
          .toList();
    }
  }
}
