package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.fault.KernelSpec;
import faultsim.run.Sweep;
import faultsim.workload.DesignEntry;
import faultsim.workload.InputException;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What users write as shorthands: job defaults in {@code global:}, {@code numjobs: 0} to leave a
 * job out, and {@code designs} given as one name or a comma list on the command line.
 */
final class WorkloadShorthandsTest {
  /** Two fault jobs whose rw and mapping come from global. */
  static final String WORKLOAD = String.join("\n",
      "files: {lib: {size: 1M}}",                     // 1
      "global:",                                      // 2
      "  runtime: 200us",                             // 3
      "  rw: randread",                               // 4
      "  mapping: private",                           // 5
      "jobs:",                                        // 6
      "  a: {file: lib}",                             // 7
      "  b: {file: lib, rw: write, numjobs: 2}",      // 8
      "replications: 1",                              // 9
      "");

  private static Workload load(String text, String... sets) throws InputException {
    return new WorkloadLoader().parse("w.yaml", text, List.of(sets));
  }

  @Test
  void rwAndMappingInGlobal_areJobDefaults_aJobsOwnKeyWins() throws Exception {
    List<KernelSpec.FaultJob> jobs = load(WORKLOAD).kernel().faultJobs();
    assertThat(jobs).extracting(KernelSpec.FaultJob::name).containsExactly("a", "b");
    assertThat(jobs.get(0).rw()).isEqualTo(KernelSpec.Rw.RANDREAD);
    assertThat(jobs.get(0).mapping()).isEqualTo(KernelSpec.MappingKind.PRIVATE);
    assertThat(jobs.get(1).rw()).isEqualTo(KernelSpec.Rw.WRITE);
    assertThat(jobs.get(1).mapping()).isEqualTo(KernelSpec.MappingKind.PRIVATE);
  }

  @Test
  void badRwInGlobal_isReportedAtGlobalRw() {
    assertThatThrownBy(() -> load(WORKLOAD.replace("rw: randread", "rw: randreed")))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("w.yaml:4:3: global.rw: expected one of read, write");
    assertThatThrownBy(() -> load(WORKLOAD.replace("mapping: private", "mapping: privte")))
        .hasMessageStartingWith("w.yaml:5:3: global.mapping: expected shared, private or anon");
  }

  @Test
  void numjobsZero_leavesTheJobOut_allZeroIsAnError() throws Exception {
    assertThat(load(WORKLOAD, "jobs.a.numjobs=0").kernel().faultJobs())
        .extracting(KernelSpec.FaultJob::name).containsExactly("b");
    assertThatThrownBy(() -> load(WORKLOAD, "jobs.a.numjobs=0", "jobs.b.numjobs=0"))
        .hasMessage("--set jobs.a.numjobs=0: every job has numjobs 0: at least one job must run");
    assertThatThrownBy(() -> load(WORKLOAD, "jobs.a.numjobs=-1"))
        .hasMessage("--set jobs.a.numjobs=-1: numjobs must be >= 0 (0 leaves the job out), got"
            + " -1");
  }

  @Test
  void sweepOfNumjobsFromZero_thePointWithoutTheJobHasNoRowsForIt(@TempDir Path dir)
      throws Exception {
    Path w = dir.resolve("w.yaml");
    Files.writeString(w, WORKLOAD);
    Path out = dir.resolve("s");
    assertThat(Sweep.run(w, List.of(), List.of("jobs.a.numjobs=0,1,2"), out, 2, -1, null))
        .isTrue();
    List<String> rows = Files.readAllLines(out.resolve("sweep.csv"));
    // Job a's throughput: no row at point 0 (left out), a row at points 1 and 2.
    assertThat(rows.stream().filter(r -> r.contains(",a,throughput,")))
        .extracting(r -> r.substring(0, r.indexOf(','))).containsExactly("1", "2");
    assertThat(rows.stream().filter(r -> r.contains(",b,throughput,"))).hasSize(3);
  }

  @Test
  void designs_oneNameOrACommaList_onTheCommandLine() throws Exception {
    assertThat(load(WORKLOAD, "designs=mmap_lock_only").designs())
        .extracting(DesignEntry::design).containsExactly("mmap_lock_only");
    // In run, a comma list is a list of designs, as --design a --design b.
    assertThat(load(WORKLOAD, "designs=mmap_lock_only,linux_6_6").designs())
        .extracting(DesignEntry::design).containsExactly("mmap_lock_only", "linux_6_6");
    // In sweep, commas separate points; brackets keep a list as one value.
    assertThat(Sweep.points(List.of("designs=mmap_lock_only,linux_6_6"))).hasSize(2);
    List<Sweep.Point> one = Sweep.points(List.of("designs=[mmap_lock_only,linux_6_6]"));
    assertThat(one).hasSize(1);
    assertThat(load(WORKLOAD, one.get(0).keys().get(0) + "=" + one.get(0).values().get(0))
        .designs()).extracting(DesignEntry::design)
        .containsExactly("mmap_lock_only", "linux_6_6");
  }
}
