package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.fault.KernelSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A livelocked operation in a run of a few milliseconds is reported as no progress without any
 * {@code no_progress_time} in the workload: the default bound is a quarter of the runtime (from
 * 1 ms to 10 ms), and the summary says which job completed nothing.
 */
final class NoProgressRunTest {
  @TempDir Path dir;

  /**
   * Seed 001's tmpfs punch that rescans until the hole is empty, under two writers faulting
   * into it back to back (workloads/tmpfs-punch-vs-faults.yaml), in a 2 ms run with no kernel
   * section: the punch starts after its 100 us think time and never finishes.
   */
  private static final String LIVELOCK = """
      machine:
        cores: 4
      files:
        shm:
          size: 1M
          fs: tmpfs
      global:
        runtime: 2ms
        randseed: 1
      jobs:
        writer:
          numjobs: 2
          rw: randwrite
          file: shm
        punch:
          op: punch_hole
          file: shm
          offset: 256k
          size: 512k
          thinktime: 100us
      designs: [shmem_punch_rescan]
      """;

  private record Run(int status, String console, Path out) {}

  private Run run(String... sets) throws Exception {
    Path yaml = dir.resolve("livelock.yaml");
    Files.writeString(yaml, LIVELOCK);
    Path out = dir.resolve("out" + sets.length);
    List<String> args = new java.util.ArrayList<>(List.of("run", yaml.toString(), "--out",
        out.toString(), "--threads", "1", "--replications", "1"));
    for (String s : sets) {
      args.add("--set");
      args.add(s);
    }
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int status = Main.execute(args.toArray(String[]::new), new PrintWriter(o), new PrintWriter(e));
    assertThat(status).as(e.toString()).isZero();
    return new Run(status, o.toString(), out);
  }

  @Test
  void defaultBound_isAQuarterOfTheRuntime_from1msTo10ms() {
    assertThat(KernelSpec.defaultNoProgressNs(8_000_000)).isEqualTo(2_000_000);
    assertThat(KernelSpec.defaultNoProgressNs(2_000_000)).isEqualTo(1_000_000);
    assertThat(KernelSpec.defaultNoProgressNs(100_000)).isEqualTo(1_000_000);
    assertThat(KernelSpec.defaultNoProgressNs(40_000_000)).isEqualTo(10_000_000);
    assertThat(KernelSpec.defaultNoProgressNs(1_000_000_000)).isEqualTo(10_000_000);
  }

  @Test
  void livelockedPunch_inA2msRun_isNoProgress_andTheSummarySaysTheJobDidNothing()
      throws Exception {
    // Bound: 2 ms / 4 = 500 us, raised to the 1 ms floor. The punch is still running when the
    // run ends, about 1.9 ms after it started: one no_progress, and job punch completed no
    // operation.
    Run r = run();

    String violations = Files.readString(r.out().resolve("violations.txt"));
    assertThat(violations).contains("by kind: no_progress 1");
    assertThat(violations).containsPattern("no_progress r0 t=2000000ns task punch: punch_hole of"
        + " shm pages \\[64, 192\\) still running after 1[89]\\d\\d\\.\\d{3}us \\(bound"
        + " 1000\\.000us\\)");
    assertThat(r.console()).contains("shmem_punch_rescan       no progress: job punch completed"
        + " no operation in 1 of 1 replications (r0)");
    assertThat(Files.readAllLines(r.out().resolve("summary.csv")))
        .anyMatch(l -> l.startsWith("shmem_punch_rescan,vmstat,jobs_without_progress,1,"))
        .contains("shmem_punch_rescan,punch,operations,0,,ops,1");
  }

  @Test
  void explicitBound_wins() throws Exception {
    // The old fixed default, 10 ms, set explicitly: longer than the run, so the livelock goes
    // unreported as a violation; the summary still says the punch completed nothing.
    Run r = run("kernel.no_progress_time=10ms");

    assertThat(Files.readString(r.out().resolve("violations.txt")))
        .startsWith("design shmem_punch_rescan: 0 violations");
    assertThat(r.console()).contains("no progress: job punch completed no operation");
  }
}
