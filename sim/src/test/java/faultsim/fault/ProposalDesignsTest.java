package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.oracle.Violation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The two proposals written from the design-language docs alone, on their workloads
 * (workloads/spf-vs-mmap-writer.yaml, workloads/range-lock-punch.yaml), and the lock-order
 * oracle on locks a design declares.
 */
final class ProposalDesignsTest {
  /** Two declared mutexes taken in opposite orders by a truncate and a punch, and a workload. */
  static final Path INVERTED_WORKLOAD =
      Path.of("src/test/resources/faultsim/fault/inverted-locks.yaml");


  @Test
  void spf_everyFaultButEachVmasFirstIsSpeculative() throws Exception {
    // Six fault tasks, each on its own anonymous VMA (each may be inside a fault when the run
    // ends: counted in PGFAULT, in neither outcome yet); the mmap job only maps its own file VMA,
    // so no speculative fault ever sees its VMA change. The first fault of each VMA finds no
    // anon_vma and aborts (spf_vma_noanon) to the classic path, which prepares it: 6 aborts;
    // every other fault is speculative. Every fault looks its VMA
    // up under mm_rb_lock for read once; every mmap and munmap changes the tree under it for
    // write once.
    var r = Examples.run("spf-vs-mmap-writer.yaml", "spf_2019");
    long faults = r.kernel().vmEvent("PGFAULT");
    assertThat(r.kernel().vmEvent("SPF_ABORT")).isEqualTo(6);
    assertThat(r.kernel().vmEvent("SPECULATIVE_PGFAULT")).isBetween(faults - 12, faults - 6);
    assertThat(KernelRuns.acquisitions(r, "&mm->mm_rb_lock", false))
        .isBetween(faults - 6, faults);
    long mapOps = Examples.job(r, "mmap").operations();
    assertThat(KernelRuns.acquisitions(r, "&mm->mm_rb_lock", true))
        .isBetween(2 * mapOps - 1, 2 * mapOps + 1);
    assertThat(r.oracle().counts().values()).allMatch(n -> n == 0);
  }

  @Test
  void rangeLock_faultsOutsideThePunchNeverWaitForIt_underInvalidateLockTheyDo()
      throws Exception {
    // The readers fault over [0, 1M) and [3M, 4M); the punch removes [1M, 3M). Read ranges
    // never conflict with each other and never overlap the punch's, so no fault waits on the
    // range lock. Under 6.6 a fault that must read a page takes invalidate_lock shared and
    // waits whenever a punch holds it for write.
    var ranged = Examples.run("range-lock-punch.yaml", "mapping_range_lock");
    var inval = Examples.run("range-lock-punch.yaml", "linux_6_6");
    assertThat(contentions(ranged, "&mapping->range_lock", false)).isZero();
    assertThat(KernelRuns.acquisitions(ranged, "&mapping->range_lock", true)).isPositive();
    assertThat(contentions(inval, "&mapping->invalidate_lock", false)).isPositive();
    assertThat(Examples.count(ranged, Violation.STALE_DATA)).isZero();
    assertThat(Examples.count(inval, Violation.STALE_DATA)).isZero();
  }

  @Test
  void rangeLock_faultsInsideThePunchStillExcluded() throws Exception {
    // ext4-punch-vs-faults: readers fault all over the file, into the punched middle too.
    // linux_3_15 reads freed blocks back in there (stale_data > 0, SeedWorkloadsTest); the
    // range lock, taken by the fault over its page and by the punch over the hole, keeps them
    // out as invalidate_lock does.
    var r = Examples.run("ext4-punch-vs-faults.yaml", "mapping_range_lock");
    assertThat(Examples.count(r, Violation.STALE_DATA)).isZero();
    assertThat(contentions(r, "&mapping->range_lock", false)).isPositive();
  }

  private static long contentions(faultsim.fault.KernelRun r, String name, boolean write) {
    for (var c : r.locks().classes()) {
      if (c.name().equals(name)) {
        return c.stats(write).contentions();
      }
    }
    return 0;
  }

  @Test
  void declaredLocksTakenInBothOrders_areReportedWithBothChains() throws Exception {
    // The truncate takes alpha_lock then beta_lock, the punch beta_lock then alpha_lock: a
    // lock-order inversion between two locks the design declares, reported as lockdep would,
    // with the path of each task.
    // src/test/resources/faultsim/fault/inverted.design and inverted-locks.yaml.
    var w = new faultsim.workload.WorkloadLoader().load(INVERTED_WORKLOAD, java.util.List.of());
    var r = KernelRuns.run(w, "inverted.design");
    // Both jobs start at 0 on two cores: each takes its first lock and waits for the other's,
    // so the inversion is also a real deadlock, which the oracle reports and which ends the run.
    var shown = Examples.shown(r, Violation.LOCK_ORDER);
    assertThat(shown).hasSize(2);
    assertThat(shown.get(0).summary()).isEqualTo("possible circular locking dependency:"
        + " beta_lock -> alpha_lock -> beta_lock; task punch took beta_lock-W -> alpha_lock-W,"
        + " task trunc took alpha_lock-W -> beta_lock-W");
    assertThat(Examples.where(shown.get(0))).contains("vfs_fallocate").contains("do_truncate");
    assertThat(shown.get(1).summary()).isEqualTo("deadlock: task punch holds beta_lock-W and"
        + " waits for alpha_lock; task trunc holds alpha_lock-W and waits for beta_lock");
  }
}
