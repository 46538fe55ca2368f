package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.kernel.Kernel;
import faultsim.kernel.MmStruct;
import faultsim.kernel.Vma;
import faultsim.lang.CompiledDesign;
import org.junit.jupiter.api.Test;

/**
 * A ten-line design ({@code fa_window_4.design}) extends {@code linux_6_6} and overrides one
 * function, {@code do_fault_around}, to map a fixed window of four pages. Everything else it
 * runs is 6.6's, so a kernel run differs from 6.6's exactly by what that window changes.
 *
 * <p>The workload is {@link FaultAroundTest}'s: one task reads a cached 1000-page file
 * sequentially, once, with {@code fault_around_bytes} = 64 KiB. Under 6.6 the window is 16
 * pages: ceil(1000 / 16) = 63 faults. With four-page windows [4k, 4k + 3] (the VMA maps the file
 * from page 0 and 1000 is a multiple of 4, so no window is clamped): 1000 / 4 = 250 faults, each
 * mapping its own page by fault-around under the VMA lock, so no retries, one PTL acquisition
 * each (and two more of that lockdep class: the PMD lock, taken to install each of the two PTE
 * pages the 1000 pages span), no major faults, and every page mapped at the end.
 */
final class DesignOverrideTest {
  static final String DESIGN = "src/test/resources/faultsim/fault/fa_window_4.design";

  @Test
  void overridingDoFaultAround_onlyThatFunctionComesFromTheNewDesign() throws Exception {
    CompiledDesign d = Designs.load(DESIGN, null);

    assertThat(d.name()).isEqualTo("fa_window_4");
    assertThat(d.function("do_fault_around").design()).isEqualTo("fa_window_4");
    for (String f : d.functionNames()) {
      if (!f.equals("do_fault_around")) {
        assertThat(d.function(f).design()).as(f).isEqualTo("linux_6_6");
      }
    }
  }

  @Test
  void overridingDoFaultAround_changesTheBatchAndNothingElse() throws Exception {
    String yaml = FaultAroundTest.workload("64k", 250);
    KernelRun base = KernelRuns.run(FaultAroundTest.workload("64k", 63), "linux_6_6");
    KernelRun four = KernelRuns.run(yaml, DESIGN);

    for (KernelRun r : new KernelRun[] {base, four}) {
      MmStruct mm = r.kernel().mms().get(0);
      Vma vma = mm.vmas().get(0);
      for (int i = 0; i < FaultAroundTest.PAGES; i++) {
        assertThat(mm.pte(vma.start() + i * Kernel.PAGE_SIZE)).as("page %d", i).isNotNull();
      }
      assertThat(r.recorders().get(0).retries()).isZero();
      assertThat(r.kernel().vmEvent("PGMAJFAULT")).isZero();
      assertThat(r.oracle().counts().values()).containsOnly(0L);
    }
    assertThat(base.kernel().vmEvent("PGFAULT")).isEqualTo(63);
    assertThat(four.kernel().vmEvent("PGFAULT")).isEqualTo(250);
    assertThat(KernelRuns.acquisitions(four, "ptlock_ptr(ptdesc)", true)).isEqualTo(252);
    assertThat(four.kernel().vmEvent("VMA_LOCK_SUCCESS")).isEqualTo(250);
  }

  @Test
  void overridingDoFaultAround_theBaseWindowArithmeticNeverRuns() throws Exception {
    // 6.6's do_fault_around clamps its window with min() and max(); the override does not, and
    // filemap_map_pages below it is 6.6's, called once per fault with a four-page window. One
    // core, so every atomic on a line it has written is local (5), and a line no core has
    // touched comes from memory (82). The first walk starts at 782 ns in both: fault entry 150,
    // PGFAULT's per-CPU count 1, find_vma 40, mm_lock_seq's line read 82, the VMA lock's atomic
    // 82 (the re-check of mm_lock_seq then hits), the PTE page: pte_alloc_one 150 + 150 + 30,
    // the PMD lock 82, pmd_populate 10, its unlock 5. A page of a walk: the xarray step 20,
    // folio_try_get 82 (the folio's struct page line, never touched), folio_trylock 5 (PG_locked
    // is on that same line), set_pte_at 40 + 5 for its refcount, folio_unlock 5, folio_put 5:
    // 162 ns. The walk's first page also pays the walk start 30 and the read of the xarray
    // node's line (82 on the first walk, held after), filemap_map_pmd 25, pte_offset_map 15
    // and the PTL (82 on the first fault's new PTE page, 5 after): 234 on the first walk, 75
    // after. Between walks: PTL and VMA lock released (5 + 5), VMA_LOCK_SUCCESS counted (1),
    // the walk's other pages touched (5 each), and the next fault's entry 150, PGFAULT 1,
    // find_vma 40 and VMA lock 5 (mm_lock_seq's line is held): 196.
    //   16 pages: 782 + 16 x 162 + 234 = 3608, + 11 + 15 x 5 + 196 -> 3890;
    //             3890 + 16 x 162 + 75 = 6557, + 11 + 75 + 196 -> 6839.
    //   4 pages:  782 + 4 x 162 + 234 = 1664, + 11 + 3 x 5 + 196 -> 1886;
    //             1886 + 4 x 162 + 75 = 2609, + 11 + 15 + 196 -> 2831.
    // A fault every ~3 us with 16 pages a batch and every ~0.95 us with four: 162 ns a mapped
    // page whose struct page is cold, within the 120-190 ns of kernel-paths.md C.5.
    TracedRuns.Traced base = TracedRuns.run(FaultAroundTest.workload("64k", 3), "linux_6_6");
    TracedRuns.Traced four = TracedRuns.run(FaultAroundTest.workload("64k", 3),
        java.nio.file.Files.readString(java.nio.file.Path.of(DESIGN)));

    assertThat(base.events(e -> e.startsWith("min("))).isNotEmpty();
    assertThat(four.events(e -> e.startsWith("min(") || e.startsWith("max("))).isEmpty();
    assertThat(base.events(e -> e.startsWith("pagecache_range(")))
        .containsExactly("782 reader pagecache_range(data, 0, 16)",
            "3890 reader pagecache_range(data, 16, 32)",
            "6839 reader pagecache_range(data, 32, 48)");
    assertThat(four.events(e -> e.startsWith("pagecache_range(")))
        .containsExactly("782 reader pagecache_range(data, 0, 4)",
            "1886 reader pagecache_range(data, 4, 8)",
            "2831 reader pagecache_range(data, 8, 12)");
  }
}
