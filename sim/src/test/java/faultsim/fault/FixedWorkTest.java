package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.synthetic.OpRecorder;
import faultsim.workload.InputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fault jobs with fixed work ({@code passes}, {@code pages}): how many touches and faults they
 * make, when the run ends, the page metrics and what happens between passes.
 */
final class FixedWorkTest {
  private static String anon(String extra) {
    return String.join("\n",
        "machine:",
        "  cores: 4",
        "jobs:",
        "  fault:",
        "    numjobs: 2",
        "    rw: write",
        "    mapping: anon",
        "    size: 2M",
        extra,
        "replications: 1",
        "");
  }

  private static OpRecorder recorder(KernelRun r, String job) {
    return r.recorders().stream().filter(x -> x.job().equals(job)).findFirst().orElseThrow();
  }

  /**
   * passes: 2 over a 2 MiB anonymous region (512 pages), two tasks: each task touches every page
   * twice, and every touch faults (a write to anonymous memory with no PTE; the pages are
   * discarded between passes and fault-around does not apply to anonymous memory), so
   * 2 × 2 × 512 = 2048 touches and 2048 faults; no runtime is given and the run ends when the
   * second task finishes.
   */
  @Test
  void passes_touchEveryPageOncePerPass_andEndTheRun() throws InputException {
    KernelRun r = KernelRuns.run(anon("    passes: 2"), "linux_6_6");
    Map<String, Double> m = r.jobMetrics("fault");
    assertThat(m.get("pages_touched")).isEqualTo(2048.0);
    assertThat(recorder(r, "fault").operations()).isEqualTo(2048);
    // Both tasks start at 0, so the job's elapsed time is the whole measured run, which ends at
    // the last task's last touch: the clock stopped there.
    assertThat(m.get("elapsed")).isEqualTo((double) r.measuredNs());
    assertThat(r.measuredNs()).isEqualTo(r.engine().now()).isPositive();
    // pages per second of the measured run: 2048 pages over measuredNs.
    assertThat(m.get("page_throughput")).isEqualTo(2048 * 1e9 / r.measuredNs());
  }

  /**
   * pages: 700 over 512-page regions: a pass and 188 pages of the next, every touch a fault:
   * 700 per task, 1400 in all.
   */
  @Test
  void pages_countTouchesAcrossPasses() throws InputException {
    KernelRun r = KernelRuns.run(anon("    pages: 700"), "linux_6_6");
    assertThat(r.jobMetrics("fault").get("pages_touched")).isEqualTo(1400.0);
    assertThat(recorder(r, "fault").operations()).isEqualTo(1400);
  }

  /**
   * A job without fixed work (an mmap writer, paced at one mmap per 10 µs, that would run for
   * the whole second of runtime) stops when the fault job's 512 touches are done: the run is
   * as long as the fault job's work, far below the runtime, and the mmap job's page metrics are
   * absent (not a fault job).
   */
  @Test
  void jobsWithoutFixedWork_stopWhenTheFixedWorkIsDone() throws InputException {
    String yaml = String.join("\n",
        "machine:",
        "  cores: 4",
        "files:",
        "  f:",
        "    size: 4M",
        "global:",
        "  runtime: 1s",
        "jobs:",
        "  fault:",
        "    rw: write",
        "    mapping: anon",
        "    size: 2M",
        "    passes: 1",
        "  writer:",
        "    op: mmap",
        "    file: f",
        "    size: 64k",
        "    rate: 100000/s",
        "replications: 1",
        "");
    KernelRun r = KernelRuns.run(yaml, "linux_6_6");
    assertThat(r.jobMetrics("fault").get("pages_touched")).isEqualTo(512.0);
    assertThat(r.measuredNs()).isEqualTo(r.jobMetrics("fault").get("elapsed").longValue())
        .isLessThan(1_000_000_000L);
    assertThat(r.jobMetrics("writer")).isEmpty();
    assertThat(recorder(r, "writer").operations()).isPositive();
  }

  /**
   * between_passes: munmap, one task, three passes: two pass boundaries, each an munmap and an
   * mmap under mmap_lock for write, so 4 write acquisitions; under linux_6_6 the faults
   * themselves take only the per-VMA lock. With dontneed the same run takes mmap_lock for write
   * never (madvise takes it for read).
   */
  @Test
  void munmapBetweenPasses_takesMmapLockForWriteTwicePerBoundary() throws InputException {
    String munmap = anon("    passes: 3\n    between_passes: munmap").replace("numjobs: 2",
        "numjobs: 1");
    KernelRun r = KernelRuns.run(munmap, "linux_6_6");
    assertThat(KernelRuns.acquisitions(r, "&mm->mmap_lock", true)).isEqualTo(4);
    assertThat(r.jobMetrics("fault").get("pages_touched")).isEqualTo(3 * 512.0);
    assertThat(recorder(r, "fault").operations()).isEqualTo(3 * 512);
    KernelRun d = KernelRuns.run(munmap.replace("munmap", "dontneed"), "linux_6_6");
    assertThat(KernelRuns.acquisitions(d, "&mm->mmap_lock", true)).isZero();
    assertThat(KernelRuns.acquisitions(d, "&mm->mmap_lock", false)).isGreaterThanOrEqualTo(2);
  }

  /**
   * A private file mapping stays private when it is mapped again between passes: write faults
   * on it copy (do_cow_fault) and never call ext4's page_mkwrite, which takes invalidate_lock
   * shared. Two passes of a 64 KiB (16-page) cached region: the shared mapping's 32 write faults
   * each take it once, the private mapping's none.
   */
  @Test
  void privateMapping_remappedBetweenPasses_staysPrivate() throws InputException {
    String yaml = String.join("\n",
        "files:",
        "  f:",
        "    size: 64k",
        "jobs:",
        "  fault:",
        "    rw: write",
        "    mapping: shared",
        "    file: f",
        "    passes: 2",
        "    between_passes: munmap",
        "replications: 1",
        "");
    KernelRun shared = KernelRuns.run(yaml, "linux_6_6");
    assertThat(KernelRuns.acquisitions(shared, "&mapping->invalidate_lock", false))
        .isEqualTo(32);
    KernelRun priv = KernelRuns.run(yaml.replace("mapping: shared", "mapping: private"),
        "linux_6_6");
    assertThat(KernelRuns.acquisitions(priv, "&mapping->invalidate_lock", false)).isZero();
    assertThat(recorder(priv, "fault").operations()).isEqualTo(32);
  }

  /**
   * start_delay delays the start of the work: a constant 1 ms puts the job's first start at 1 ms,
   * so its elapsed time is the measured run less exactly 1 ms. Drawn from uniform(1ms,2ms) once
   * per task, the first start is the smaller of two draws, in [1 ms, 2 ms], and the same seed
   * gives the same draws.
   */
  @Test
  void startDelay_shiftsTheStart_constantOrDrawn() throws InputException {
    KernelRun c = KernelRuns.run(anon("    passes: 1\n    start_delay: 1ms"), "linux_6_6");
    assertThat(c.measuredNs() - c.jobMetrics("fault").get("elapsed")).isEqualTo(1_000_000.0);
    String drawn = anon("    passes: 1\n    start_delay: uniform(1ms,2ms)");
    KernelRun u = KernelRuns.run(drawn, "linux_6_6");
    double firstStart = u.measuredNs() - u.jobMetrics("fault").get("elapsed");
    assertThat(firstStart).isBetween(1_000_000.0, 2_000_000.0).isNotEqualTo(1_000_000.0);
    KernelRun again = KernelRuns.run(drawn, "linux_6_6");
    assertThat(again.measuredNs()).isEqualTo(u.measuredNs());
    assertThat(again.jobMetrics("fault")).isEqualTo(u.jobMetrics("fault"));
  }

  /**
   * offset_increment: 64k gives task i the file range from i × 64 KiB: three tasks over a
   * 192 KiB file map page offsets 0, 16 and 32, and after two passes with munmap between them
   * (the regions mapped again from the same offsets) the file's mappings still start there.
   */
  @Test
  void offsetIncrement_givesEachTaskItsOwnRange() throws InputException {
    String yaml = String.join("\n",
        "files:",
        "  f:",
        "    size: 192k",
        "jobs:",
        "  fault:",
        "    numjobs: 3",
        "    rw: write",
        "    file: f",
        "    size: 64k",
        "    offset_increment: 64k",
        "    passes: 2",
        "    between_passes: munmap",
        "replications: 1",
        "");
    KernelRun r = KernelRuns.run(yaml, "linux_6_6");
    assertThat(r.kernel().file("f").iMmap().stream().map(v -> v.pgoff()).sorted().toList())
        .containsExactly(0L, 16L, 32L);
    assertThat(r.jobMetrics("fault").get("pages_touched")).isEqualTo(3 * 2 * 16.0);
  }

  /**
   * A fixed-work run's timeline, whose length is not known when it starts: 100 buckets of
   * 1 µs doubled until they cover the run, so it spans 100 µs × 2^k, at least the measured run
   * and less than twice it (the run is longer than 100 µs: 1024 faults of about half a µs
   * each), and its buckets hold every fault.
   */
  @Test
  void timeline_coversTheFixedWorkRun() throws InputException {
    KernelRun r = KernelRuns.run(anon("    passes: 1"), "linux_6_6");
    OpRecorder.Timeline t = recorder(r, "fault").timeline();
    long span = t.runtimeNs();
    assertThat(span % 100_000).isZero();
    assertThat(Long.bitCount(span / 100_000)).isEqualTo(1);
    assertThat(span).isGreaterThanOrEqualTo(r.measuredNs()).isLessThan(2 * r.measuredNs());
    assertThat(java.util.Arrays.stream(t.ops()).sum()).isEqualTo(1024);
  }
}
