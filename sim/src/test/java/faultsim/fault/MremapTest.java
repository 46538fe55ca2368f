package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.kernel.Kernel;
import faultsim.kernel.MmStruct;
import faultsim.kernel.Vma;
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
 * op: mremap on a named mapping: the mapping cut short by size bytes from its end (the tail
 * unmapped), then grown back in place, in turns, under four threads write-faulting all of it.
 */
final class MremapTest {
  /**
   * Four writers on a 2 MiB anonymous mapping; an mremap job cutting off its upper 1 MiB.
   * RWSEM_WAIT_TIMEOUT is cut to 20 us: a faulting thread that takes mmap_lock for read again
   * as soon as it drops it steals the lock from the writer asleep on it (rwsem reader lock
   * stealing, kernel/locking/rwsem.c) until the writer sets the handoff bit, 4 ms by default,
   * longer than these runs; with 20 us the operation gets in within a few of its wake-ups.
   */
  static final String REMAP = String.join("\n",
      "machine:",
      "  cores: 8",
      "  costs:",
      "    rwsem_wait_timeout: 20us",
      "mappings:",
      "  heap:",
      "    size: 2M",
      "global:",
      "  runtime: 200us",
      "jobs:",
      "  fault:",
      "    numjobs: 4",
      "    rw: randwrite",
      "    vma: heap",
      "  remap:",
      "    op: mremap",
      "    vma: heap",
      "    size: 1M",
      "    thinktime: 10us",
      "");

  /**
   * One mremap task doing N operations and then exiting, the faults going on to the end of the
   * run. Operation 1 shrinks the VMA from 2 MiB to 1 MiB, operation 2 grows it back, and so on:
   * after an odd N the one VMA is [base, base + 1 MiB) and no PTE is left in the cut-off
   * [base + 1 MiB, base + 2 MiB), however often the faults (which touch all 2 MiB at random)
   * hit it after the shrink: with no VMA there they get SIGSEGV and map nothing. After an even
   * N the one VMA is [base, base + 2 MiB) again. No tail VMA is left behind in either case.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4})
  void mremapJob_nOperations_leavesTheVmaAtTheRightEnd(int loops) throws Exception {
    KernelRun r = KernelRuns.run(REMAP.replace("    thinktime: 10us", "    thinktime: 10us\n"
        + "    loops: " + loops), "linux_6_6");
    assertThat(Examples.job(r, "remap").operations()).isEqualTo(loops);
    MmStruct mm = r.kernel().mms().get(0);
    assertThat(mm.vmas()).hasSize(1);
    Vma v = mm.vmas().get(0);
    long mib = 1 << 20;
    assertThat(v.end() - v.start()).isEqualTo(loops % 2 == 1 ? mib : 2 * mib);
    if (loops % 2 == 1) {
      for (long a = v.start() + mib; a < v.start() + 2 * mib; a += Kernel.PAGE_SIZE) {
        assertThat(mm.pte(a)).as("PTE at %x past the VMA's end", a).isNull();
      }
    }
    assertThat(r.oracle().counts().values()).as("%s", r.oracle().shown()).containsOnly(0L);
  }

  /**
   * The shrink and growth every 10 us under the faults, ten seeds per design. 6.6 write-locks
   * the VMA for the split and the tail for its unmap (a fault that found the VMA before the
   * change, and locks it after, sees vm_end moved and retries under mmap_lock, where it finds
   * no VMA: SIGSEGV); mmap_lock_only and 3.15 fault under mmap_lock, which the mremap holds for
   * write; spf_2019 brackets each change with vm_sequence. None leaves a violation, while
   * mremaps did run under the faults.
   */
  @ParameterizedTest
  @ValueSource(strings = {"linux_6_6", "mmap_lock_only", "spf_2019", "linux_3_15"})
  void mremapUnderFaults_overTenSeeds_isClean(String design) throws Exception {
    for (int seed = 1; seed <= 10; seed++) {
      KernelRun r = KernelRuns.run(REMAP.replace("  runtime: 200us",
          "  runtime: 200us\n  randseed: " + seed), design);
      Map<String, Long> nonZero = new LinkedHashMap<>();
      r.oracle().counts().forEach((k, n) -> {
        if (n != 0) {
          nonZero.put(k, n);
        }
      });
      assertThat(nonZero).as("%s seed %d: %s", design, seed, r.oracle().shown()).isEmpty();
      assertThat(Examples.job(r, "remap").operations()).as("mremaps, seed %d", seed)
          .isGreaterThanOrEqualTo(2);
      assertThat(Examples.job(r, "fault").operations()).isPositive();
    }
  }

  /**
   * spf_novalidate never re-checks vm_sequence: a speculative fault that looked the VMA up
   * before the shrink (or found the tail before it was unmapped) spends about a microsecond
   * allocating its page, and then sets its PTE in the range the mremap removed. In 200 us
   * (about 18 shrinks with four writers) that happens: pte_after_munmap, laid to the mremap
   * task.
   */
  @Test
  void mremapUnderFaults_spfNovalidate_leavesPtesInTheRemovedTail() throws Exception {
    KernelRun r = KernelRuns.run(REMAP, "spf_novalidate");
    assertThat(Examples.count(r, Violation.PTE_AFTER_MUNMAP)).isPositive();
    Violation v = Examples.shown(r, Violation.PTE_AFTER_MUNMAP).get(0);
    assertThat(v.summary()).contains("remap");
    assertThat(v.timeline()).contains("do_mremap").contains("set_pte_at");
  }

  /**
   * 6.6's lock_vma_under_rcu() with a 20 us stall between the RCU lookup and the VMA lock, so
   * that a whole shrink (split, tail unmapped, mmap_write_unlock) fits inside it; the mremap
   * job waits 50 us between operations, so that the VMA stays short for longer than the stall.
   * The stalled fault then locks the VMA it found, now ending 1 MiB lower, for an address in
   * the removed tail. Without the re-check of the address against vm_start/vm_end it sets its
   * PTE there, beyond the VMA's end: pte_after_munmap. With the re-check (as 6.6 has) it
   * retries under mmap_lock, finds no VMA and gets SIGSEGV: nothing is left.
   */
  @Test
  void lockVmaWithoutAddressRecheck_setsPtesBeyondTheShrunkVma(@TempDir Path dir)
      throws Exception {
    String head = "struct vm_area_struct *lock_vma_under_rcu(struct mm_struct *mm,"
        + " unsigned long address) {\n"
        + "    rcu_read_lock();\n"
        + "    struct vm_area_struct *vma = find_vma(mm, address);\n"
        + "    if (vma == NULL) {\n"
        + "        rcu_read_unlock();\n"
        + "        return NULL;\n"
        + "    }\n"
        + "    cpu(20us);\n"
        + "    if (!down_read_trylock(&vma->vm_lock)) {\n"
        + "        rcu_read_unlock();\n"
        + "        return NULL;\n"
        + "    }\n"
        + "    if (vma->vm_lock_seq == mm->mm_lock_seq || vma->detached";
    String tail = ") {\n"
        + "        up_read(&vma->vm_lock);\n"
        + "        rcu_read_unlock();\n"
        + "        return NULL;\n"
        + "    }\n"
        + "    rcu_read_unlock();\n"
        + "    return vma;\n"
        + "}\n";
    Files.writeString(dir.resolve("nocheck.design"),
        "design nocheck extends linux_6_6;\n" + head + tail);
    Files.writeString(dir.resolve("recheck.design"), "design recheck extends linux_6_6;\n"
        + head + "\n        || address < vma->vm_start || address >= vma->vm_end" + tail);
    Path yaml = dir.resolve("w.yaml");
    Files.writeString(yaml, REMAP.replace("  runtime: 200us", "  runtime: 1ms")
        .replace("    thinktime: 10us", "    thinktime: 50us")
        + "designs: [nocheck.design, recheck.design]\n");
    var w = new faultsim.workload.WorkloadLoader().load(yaml);
    KernelRun bad = KernelRuns.run(w, "nocheck.design");
    assertThat(Examples.count(bad, Violation.PTE_AFTER_MUNMAP)).isPositive();
    assertThat(Examples.shown(bad, Violation.PTE_AFTER_MUNMAP).get(0).summary())
        .contains("cut short");
    KernelRun good = KernelRuns.run(w, "recheck.design");
    assertThat(good.oracle().counts().values()).as("%s", good.oracle().shown())
        .containsOnly(0L);
    assertThat(Examples.job(good, "remap").operations()).isGreaterThanOrEqualTo(2);
  }
}
