package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.synthetic.OpRecorder;
import faultsim.workload.InputException;
import org.junit.jupiter.api.Test;

/** What the benchmark-shaped examples' header comments say about their runs. */
final class BenchmarkExamplesTest {
  private static long faults(KernelRun r, String job) {
    return r.recorders().stream().filter(x -> x.job().equals(job)).findFirst()
        .map(OpRecorder::operations).orElseThrow();
  }

  /**
   * fault-around-sequential.yaml: 64 MiB of cached file is 16384 pages. At the default 64k
   * window (16 pages, aligned) the first read in each window faults and maps the other 15, in
   * order or in a permutation: 16384 / 16 = 1024 faults for 16384 pages in each job, and, every
   * touch costing the same, the same elapsed time. With the window at 4k (fault-around off)
   * every page faults, 16384 times, and the walk takes longer.
   */
  @Test
  void faultAroundSequential_oneFaultPerWindow_inAnyOrder() throws InputException {
    KernelRun r = Examples.run("fault-around-sequential.yaml", "linux_6_6");
    for (String job : new String[] {"in_order", "permuted"}) {
      assertThat(faults(r, job)).isEqualTo(1024);
      assertThat(r.jobMetrics(job).get("pages_touched")).isEqualTo(16384.0);
    }
    assertThat(r.jobMetrics("permuted").get("elapsed"))
        .isEqualTo(r.jobMetrics("in_order").get("elapsed"));
    KernelRun off = Examples.run("fault-around-sequential.yaml", "linux_6_6",
        "kernel.fault_around_bytes=4k");
    assertThat(faults(off, "in_order")).isEqualTo(16384);
    assertThat(faults(off, "permuted")).isEqualTo(16384);
    assertThat(off.jobMetrics("in_order").get("elapsed"))
        .isGreaterThan(r.jobMetrics("in_order").get("elapsed"));
  }

  /**
   * will-it-scale-page-fault1.yaml with one thread: a 4 MiB region is 1024 pages, every touch an
   * anonymous write fault, so faults and pages touched agree but for a touch whose fault is
   * still running when the run ends; each finished iteration adds one munmap and one mmap,
   * both under mmap_lock for write, so write acquisitions are twice the passes completed.
   */
  @Test
  void pageFault1_oneThread_unmapsAndMapsOncePerIteration() throws InputException {
    KernelRun r = Examples.run("will-it-scale-page-fault1.yaml", "linux_6_6",
        "jobs.page_fault1.numjobs=1", "global.runtime=2ms");
    long pages = r.jobMetrics("page_fault1").get("pages_touched").longValue();
    assertThat(pages - faults(r, "page_fault1")).isBetween(0L, 1L);
    long boundaries = (pages - 1) / 1024;
    assertThat(boundaries).isPositive();
    assertThat(KernelRuns.acquisitions(r, "&mm->mmap_lock", true)).isEqualTo(2 * boundaries);
  }
}
