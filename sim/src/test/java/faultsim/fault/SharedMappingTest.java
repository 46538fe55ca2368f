package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.kernel.Kernel;
import faultsim.kernel.MmStruct;
import faultsim.kernel.Vma;
import org.junit.jupiter.api.Test;

/**
 * Named mappings: every task of workloads/pft.yaml faults the one VMA of mapping 'region',
 * each in its own part of it (split).
 */
final class SharedMappingTest {
  /**
   * Four tasks on a 16 MiB mapping: one VMA in the process, and the faults of all four go
   * through its one per-VMA lock. With split each task owns 1024 of the 4096 pages and faults
   * each page once per pass, so the PTEs present never exceed the mapping's 4096 pages, and
   * each task's first pass (1024 write faults, none shared) ends before any task discards: no
   * fault finds its page already mapped by another task.
   */
  @Test
  void pft_fourTasks_shareOneVmaAndItsLock() throws Exception {
    KernelRun r = Examples.run("pft.yaml", "linux_6_6", "global.runtime=200us");
    MmStruct mm = r.kernel().mms().get(0);
    assertThat(r.kernel().mms()).hasSize(1);
    assertThat(mm.vmas()).hasSize(1);
    Vma v = mm.vmas().get(0);
    assertThat(v.end() - v.start()).isEqualTo(16L << 20);
    long faults = Examples.job(r, "fault").operations();
    assertThat(faults).isPositive();
    // Faults under the VMA lock, all on the one lock of the one VMA: at most one acquisition
    // per fault finished, plus one per task for a fault still in flight when the run ends (the
    // first faults retry under mmap_lock until the VMA has an anon_vma).
    long vmaLock = KernelRuns.acquisitions(r, "&vma->vm_lock", false);
    assertThat(vmaLock).isPositive().isLessThanOrEqualTo(faults + 4);
    long present = 0;
    for (long a = v.start(); a < v.end(); a += Kernel.PAGE_SIZE) {
      if (mm.pte(a) != null) {
        present++;
      }
    }
    assertThat(present).isLessThanOrEqualTo(4096);
  }

  /** Without split every task touches the whole region; split gives each a quarter. */
  @Test
  void split_givesEachTaskItsOwnQuarter() throws Exception {
    // One pass each of sequential writes: with split, a task's 1024 pages; the four tasks
    // together map all 4096 pages exactly once (loops = 1024 faults per task).
    KernelRun r = Examples.run("pft.yaml", "linux_6_6", "global.runtime=10ms",
        "global.loops=1024");
    MmStruct mm = r.kernel().mms().get(0);
    Vma v = mm.vmas().get(0);
    long present = 0;
    for (long a = v.start(); a < v.end(); a += Kernel.PAGE_SIZE) {
      if (mm.pte(a) != null) {
        present++;
      }
    }
    assertThat(Examples.job(r, "fault").operations()).isEqualTo(4 * 1024);
    assertThat(present).isEqualTo(4096);
  }

  /**
   * A shared file mapping faulted by three readers while one task munmaps and maps it back and
   * another discards a quarter of it (madvise), under every design that has a VMA lock or none:
   * the operations run (the munmap's VMA leaves and rejoins the file's i_mmap) and the oracle
   * finds nothing, neither the file checks (no stale or past-EOF PTE) nor the VMA ones.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"linux_6_6", "mmap_lock_only",
      "spf_2019", "linux_3_15"})
  void fileMapping_munmapAndMadviseUnderReaders_isClean(String design) throws Exception {
    String yaml = String.join("\n",
        "machine:",
        "  cores: 6",
        "files:",
        "  data:",
        "    size: 4M",
        "mappings:",
        "  shared:",
        "    file: data",
        "global:",
        "  runtime: 300us",
        "jobs:",
        "  reader:",
        "    numjobs: 3",
        "    rw: randread",
        "    vma: shared",
        "  unmap:",
        "    op: munmap",
        "    vma: shared",
        "    thinktime: 30us",
        "  discard:",
        "    op: madvise",
        "    vma: shared",
        "    offset: 1M",
        "    size: 1M",
        "    thinktime: 10us",
        "");
    KernelRun r = KernelRuns.run(yaml, design);
    assertThat(r.oracle().counts().values()).as("%s", r.oracle().shown()).containsOnly(0L);
    assertThat(Examples.job(r, "unmap").operations()).isPositive();
    assertThat(Examples.job(r, "discard").operations()).isPositive();
    assertThat(Examples.job(r, "reader").operations()).isPositive();
    // The file is mapped once, by the VMA at the mapping's address (the munmapped ones left).
    var file = r.kernel().file("data");
    assertThat(file.iMmap()).hasSizeLessThanOrEqualTo(1);
  }

  /**
   * Four writers on a 2 MiB anonymous mapping; an mprotect of its middle 512 KiB.
   * RWSEM_WAIT_TIMEOUT is cut to 20 us: a faulting thread that takes mmap_lock for read again
   * as soon as it drops it steals the lock from the writer asleep on it (rwsem reader lock
   * stealing, kernel/locking/rwsem.c) until the writer sets the handoff bit, 4 ms by default,
   * longer than these runs; with 20 us the operation gets in within a few of its wake-ups.
   */
  static final String SPLIT = String.join("\n",
      "machine:",
      "  cores: 8",
      "  costs:",
      "    rwsem_wait_timeout: 20us",
      "mappings:",
      "  heap:",
      "    size: 2M",
      "global:",
      "  runtime: 300us",
      "jobs:",
      "  fault:",
      "    numjobs: 4",
      "    rw: randwrite",
      "    vma: heap",
      "  protect:",
      "    op: mprotect",
      "    vma: heap",
      "    offset: 512k",
      "    size: 512k",
      "    thinktime: 10us",
      "");

  /**
   * mprotect of the middle of a VMA splits it in three (__split_vma at 512k, then at 1M); the
   * next mprotect gives write back and the three merge into one again (vma_merge). After an
   * odd number of mprotects: three VMAs, the middle one [512k, 1M) without VM_WRITE and no
   * writable PTE in it; after an even number: one VMA over the whole 2 MiB, writable.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3})
  void mprotectOfMiddle_splitsThenMergesBack(int loops) throws Exception {
    KernelRun r = KernelRuns.run(SPLIT.replace("    thinktime: 10us", "    thinktime: 10us\n"
        + "    loops: " + loops), "linux_6_6");
    assertThat(Examples.job(r, "protect").operations()).isEqualTo(loops);
    MmStruct mm = r.kernel().mms().get(0);
    java.util.List<Vma> vmas = new java.util.ArrayList<>(mm.vmas());
    vmas.sort(java.util.Comparator.comparingLong(Vma::start));
    long base = vmas.get(0).start();
    if (loops % 2 == 1) {
      assertThat(vmas).hasSize(3);
      assertThat(vmas.get(1).start() - base).isEqualTo(512 << 10);
      assertThat(vmas.get(1).end() - base).isEqualTo(1 << 20);
      assertThat(vmas.get(1).writable()).isFalse();
      assertThat(vmas.get(0).writable()).isTrue();
      assertThat(vmas.get(2).writable()).isTrue();
      for (long a = vmas.get(1).start(); a < vmas.get(1).end(); a += Kernel.PAGE_SIZE) {
        assertThat(mm.pteWritable(a)).as("PTE at %x", a).isFalse();
      }
    } else {
      assertThat(vmas).hasSize(1);
      assertThat(vmas.get(0).end() - base).isEqualTo(2 << 20);
      assertThat(vmas.get(0).writable()).isTrue();
    }
    assertThat(r.oracle().counts().values()).as("%s", r.oracle().shown()).containsOnly(0L);
  }

  /**
   * The same split and merge every 10 us under the faults, five seeds per design: the designs
   * that write-lock the VMA (6.6) or bracket the change with vm_sequence (spf_2019), or have
   * faults take mmap_lock (mmap_lock_only, 3.15), leave nothing behind; spf_novalidate sets
   * PTEs through the VMA the split shrank (detached_vma) on the first seed.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"linux_6_6", "spf_2019",
      "mmap_lock_only", "linux_3_15"})
  void splitAndMergeUnderFaults_isCleanInValidatingDesigns(String design) throws Exception {
    for (int seed = 1; seed <= 5; seed++) {
      KernelRun r = KernelRuns.run(SPLIT.replace("  runtime: 300us",
          "  runtime: 300us\n  randseed: " + seed), design);
      assertThat(r.oracle().counts().values()).as("%s seed %d: %s", design, seed,
          r.oracle().shown()).containsOnly(0L);
      assertThat(Examples.job(r, "protect").operations()).isPositive();
    }
  }

  @Test
  void splitAndMergeUnderFaults_spfNovalidateIsCaught() throws Exception {
    KernelRun r = KernelRuns.run(SPLIT, "spf_novalidate");
    assertThat(Examples.count(r, faultsim.oracle.Violation.DETACHED_VMA)).isPositive();
  }
}
