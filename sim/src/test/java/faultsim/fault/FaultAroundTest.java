package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.kernel.Kernel;
import faultsim.kernel.MmStruct;
import faultsim.kernel.Vma;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fault-around arithmetic through {@code linux_6_6}: one task reads a cached file sequentially.
 *
 * <p>The region is 1000 pages mapped at a PMD-aligned address (mmap places VMAs on 2 MiB
 * boundaries), so page {@code i} sits at PTE slot {@code i mod 512}. {@code do_fault_around}
 * aligns its window of {@code n = fault_around_bytes / 4k} pages down to a multiple of {@code n}
 * and clamps it to the VMA and to the PTE page; since {@code n} divides 512, the windows of one
 * pass are [0, n), [n, 2n), ... and the last one is cut at page 1000. A fault therefore maps
 * {@code n} pages (fewer in the last window), the next touch that faults is the first page of the
 * next window, and one pass over 1000 pages takes {@code ceil(1000 / n)} faults:
 *
 * <ul>
 *   <li>4 KiB: n = 1, fault-around is off (should_fault_around needs more than a page): 1000;
 *   <li>16 KiB: n = 4: 250;
 *   <li>64 KiB: n = 16: 62.5, so 63 (the 63rd window is pages 992..999);
 *   <li>2 MiB: n = 512: windows [0, 512) and [512, 1000): 2.
 * </ul>
 *
 * Each fault takes exactly one PTL: fault-around takes it once for its batch, and with
 * fault-around off finish_fault takes it once. The region spans two PTE pages (slots 0..511 and
 * 512..999), and the fault that first touches each installs it under the PMD page's split lock
 * (pmd_install under pmd_lock), whose lockdep class is the PTL's, ptlock_ptr(ptdesc): two more
 * acquisitions of that class. With fault-around off, 6.6 runs ->fault only under mmap_lock, so
 * each fault first tries the VMA lock and retries once.
 */
class FaultAroundTest {
  static final int PAGES = 1000;

  static String workload(String fab, long loops) {
    return """
        machine:
          cores: 1
        kernel:
          fault_around_bytes: %s
        files:
          data:
            size: %dk
        global:
          runtime: 1s
        jobs:
          reader:
            rw: read
            file: data
            loops: %d
        """.formatted(fab, PAGES * 4, loops);
  }

  @ParameterizedTest
  @CsvSource({"4k, 1000, 1", "16k, 250, 0", "64k, 63, 0", "2M, 2, 0"})
  void oneSequentialPassTakesCeilPagesOverBatchFaults(String fab, long faults,
      long retriesPerFault) throws Exception {
    KernelRun run = KernelRuns.run(workload(fab, faults), "linux_6_6");
    Kernel k = run.kernel();
    MmStruct mm = k.mms().get(0);
    Vma vma = mm.vmas().get(0);
    for (int i = 0; i < PAGES; i++) {
      assertThat(mm.pte(vma.start() + i * Kernel.PAGE_SIZE)).as("page %d mapped", i).isNotNull();
    }
    assertThat(k.vmEvent("PGFAULT")).isEqualTo(faults);
    assertThat(run.recorders().get(0).operations()).isEqualTo(faults);
    assertThat(mm.pteTables()).isEqualTo(2);
    assertThat(KernelRuns.acquisitions(run, "ptlock_ptr(ptdesc)", true)).isEqualTo(faults + 2);
    assertThat(run.recorders().get(0).retries()).isEqualTo(faults * retriesPerFault);
    assertThat(k.vmEvent("PGMAJFAULT")).isZero();
  }

  @ParameterizedTest
  @CsvSource({"16k, 250", "64k, 63", "2M, 2"})
  void oneFaultFewerLeavesTheLastWindowUnmapped(String fab, long faults) throws Exception {
    KernelRun run = KernelRuns.run(workload(fab, faults - 1), "linux_6_6");
    MmStruct mm = run.kernel().mms().get(0);
    Vma vma = mm.vmas().get(0);
    assertThat(mm.pte(vma.start() + (PAGES - 1) * Kernel.PAGE_SIZE)).isNull();
    assertThat(mm.pte(vma.start())).isNotNull();
  }
}
