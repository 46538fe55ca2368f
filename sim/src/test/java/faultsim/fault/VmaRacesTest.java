package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.oracle.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * workloads/vma-races.yaml: four threads fault one shared anonymous VMA while one task munmaps
 * and maps it back and another mprotects it read-only and back. A design that re-validates the
 * VMA (6.6's VMA write lock, spf_2019's vm_sequence) leaves nothing behind; spf_novalidate
 * (spf_2019 without the checks) leaves PTEs in unmapped VMAs and writable PTEs in read-only
 * ones.
 */
final class VmaRacesTest {
  static final String FILE = "vma-races.yaml";

  /**
   * spf_novalidate in 300 us: about 15 munmaps and 20 mprotects, each with faults in flight
   * that took the VMA before it changed. A speculative fault spends about a microsecond between
   * its lookup and its PTE (allocating and clearing the page), during which the munmap's zap or
   * the mprotect's PTE pass goes by; with no re-check the PTE then lands in a detached VMA or
   * as writable in a VMA without VM_WRITE. Both kinds must show, with the tasks involved.
   */
  @Test
  void spfNovalidate_racingMunmapAndMprotect_leavesPtesBehind() throws Exception {
    KernelRun r = Examples.run(FILE, "spf_novalidate", "global.runtime=300us");
    assertThat(Examples.count(r, Violation.PTE_AFTER_MUNMAP)).isPositive();
    assertThat(Examples.count(r, Violation.PTE_PROTECTION)).isPositive();
    Violation v = Examples.shown(r, Violation.PTE_AFTER_MUNMAP).get(0);
    assertThat(v.summary()).contains("took the VMA away");
    assertThat(v.timeline()).contains("vm_munmap").contains("set_pte_at");
    Violation p = Examples.shown(r, Violation.PTE_PROTECTION).get(0);
    assertThat(p.summary()).contains("has no VM_WRITE");
    assertThat(p.timeline()).contains("vm_flags_reset");
  }

  /**
   * The two correct designs over 20 seeds of a 200 us run: no violation of any kind, while the
   * operations did race the faults (munmaps and mprotects done, faults done on the VMA). The
   * same seeds under spf_novalidate find violations (checked on the first seed above), so a
   * zero here is the checks working, not the race missing.
   */
  @ParameterizedTest
  @ValueSource(strings = {"linux_6_6", "spf_2019"})
  void validatingDesigns_overTwentySeeds_leaveNothingBehind(String design) throws Exception {
    for (int seed = 1; seed <= 20; seed++) {
      KernelRun r = Examples.run(FILE, design, "global.runtime=200us",
          "global.randseed=" + seed);
      Map<String, Long> nonZero = new LinkedHashMap<>();
      r.oracle().counts().forEach((k, n) -> {
        if (n != 0) {
          nonZero.put(k, n);
        }
      });
      assertThat(nonZero).as("%s seed %d: %s", design, seed, r.oracle().shown()).isEmpty();
      // Every seed raced: at least one munmap and one mprotect returned under the faults.
      assertThat(Examples.job(r, "unmap").operations()).as("munmaps, seed %d", seed)
          .isPositive();
      assertThat(Examples.job(r, "protect").operations()).as("mprotects, seed %d", seed)
          .isPositive();
      assertThat(Examples.job(r, "fault").operations()).as("faults, seed %d", seed)
          .isPositive();
    }
  }

  /**
   * A fault that takes the VMA lock of a VMA munmap detached after the lookup, and does not
   * check vma->detached after taking it: 6.6's lock_vma_under_rcu() without that check, with a
   * 30 us stall between the lookup and the lock so that a munmap finishes inside it. The munmap
   * comes every 100 us and the mprotect job is left out, so that the VMA lives long enough for
   * a fault under mmap_lock to give it an anon_vma (without one the stalled fault would retry
   * under mmap_lock rather than complete). The fault then sets up its vm_fault on the detached
   * VMA and completes there: detached_vma, and its PTE is left in the unmapped range:
   * pte_after_munmap.
   */
  @Test
  void lockVmaWithoutDetachedCheck_isReportedAsDetachedVma(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("nocheck.design"), String.join("\n",
        "design nocheck extends linux_6_6;",
        "struct vm_area_struct *lock_vma_under_rcu(struct mm_struct *mm,"
            + " unsigned long address) {",
        "    rcu_read_lock();",
        "    struct vm_area_struct *vma = find_vma(mm, address);",
        "    rcu_read_unlock();",
        "    if (vma == NULL) {",
        "        return NULL;",
        "    }",
        "    cpu(30us);",
        "    if (!down_read_trylock(&vma->vm_lock)) {",
        "        return NULL;",
        "    }",
        "    if (vma->vm_lock_seq == mm->mm_lock_seq) {",
        "        up_read(&vma->vm_lock);",
        "        return NULL;",
        "    }",
        "    return vma;",
        "}",
        ""));
    Path yaml = dir.resolve("w.yaml");
    Files.writeString(yaml, Files.readString(Examples.DIR.resolve(FILE))
        .replace("designs: [linux_6_6, spf_2019, spf_novalidate]", "designs: [nocheck.design]")
        .replace("runtime: 2ms", "runtime: 300us")
        .replace("    thinktime: 20us\n", "    thinktime: 100us\n")
        .replace("  protect:\n    op: mprotect\n    vma: heap\n    thinktime: 15us\n", ""));
    var w = new faultsim.workload.WorkloadLoader().load(yaml);
    KernelRun r = KernelRuns.run(w, "nocheck.design");
    assertThat(Examples.count(r, Violation.DETACHED_VMA)).isPositive();
    assertThat(Examples.count(r, Violation.PTE_AFTER_MUNMAP)).isPositive();
    assertThat(Examples.shown(r, Violation.DETACHED_VMA).get(0).summary())
        .contains("never re-validated");
  }
}
