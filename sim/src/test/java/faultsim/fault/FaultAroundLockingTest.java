package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What each fault-around design of seed 000 locks, in what order, for one read fault on a cached
 * 16-page file (one 64 KiB window, pages 0..15): the sequence of its folio-lock, PTL and PTE
 * events, times left out. The fault is the first in its 2 MiB, so 3.15's __handle_mm_fault
 * first installs the PTE page (pmd_install under pmd_lock, the PMD page's split lock, whose
 * lockdep class is the PTL's): one spin_lock/spin_unlock pair of that class before anything
 * else ({@link #PTE_PAGE_INSTALL}).
 */
final class FaultAroundLockingTest {
  static final String ONE_FAULT = """
      machine:
        cores: 1
      files:
        data:
          size: 64k
      global:
        runtime: 100us
      jobs:
        reader:
          rw: read
          file: data
          loops: 1
      """;

  static List<String> lockEvents(String design) throws Exception {
    List<String> out = new ArrayList<>();
    for (String l : TracedRuns.run(ONE_FAULT, design).events(e -> e.startsWith("folio_lock(")
        || e.startsWith("folio_trylock(") || e.startsWith("folio_unlock(")
        || e.startsWith("spin_lock(") || e.startsWith("spin_unlock(")
        || e.startsWith("set_pte_at("))) {
      String e = l.split(" ", 3)[2];
      out.add(e.startsWith("set_pte_at(") ? "set_pte_at(" + e.replaceAll(".*folio\\((.*?)\\).*",
          "$1") + ")" : e.replace("ptlock_ptr(ptdesc)", "ptl"));
    }
    return out;
  }

  /** The PTE page's installation under the PMD lock, which every expected sequence starts with. */
  static final List<String> PTE_PAGE_INSTALL = List.of("spin_lock(ptl)", "spin_unlock(ptl)");

  /** {@code format} for pages 0 to 15. */
  static List<String> pages(String format) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      out.add(format.formatted(i));
    }
    return out;
  }

  @Test
  void faLockAll_sleepsOnEveryPageInOrder_thenThePtlOnce_thenMapsAndUnlocksTopDown() {
    // lock_batch_from() locks page 0, recurses for 1..15; the deepest call takes the PTL; on
    // the way back each level maps and unlocks its page: 15 first, 0 last.
    List<String> expected = new ArrayList<>(PTE_PAGE_INSTALL);
    expected.addAll(pages("folio_lock(folio(data:%d))"));
    expected.add("spin_lock(ptl)");
    for (int i = 15; i >= 0; i--) {
      expected.add("set_pte_at(data:" + i + ")");
      expected.add("folio_unlock(folio(data:" + i + "))");
    }
    expected.add("spin_unlock(ptl)");

    assertThat(run("fa_lock_all")).containsExactlyElementsOf(expected);
  }

  @Test
  void faLockHighest_locksOnlyPage15_mapsAllSixteenUnderThePtl() {
    List<String> expected = new ArrayList<>(PTE_PAGE_INSTALL);
    expected.add("folio_lock(folio(data:15))");
    expected.add("spin_lock(ptl)");
    expected.addAll(pages("set_pte_at(data:%d)"));
    expected.add("spin_unlock(ptl)");
    expected.add("folio_unlock(folio(data:15))");

    assertThat(run("fa_lock_highest")).containsExactlyElementsOf(expected);
  }

  @Test
  void linux315_takesThePtlFirst_trylocksEachPageUnderIt() {
    List<String> expected = new ArrayList<>(PTE_PAGE_INSTALL);
    expected.add("spin_lock(ptl)");
    for (int i = 0; i < 16; i++) {
      expected.add("folio_trylock(folio(data:" + i + "))");
      expected.add("set_pte_at(data:" + i + ")");
      expected.add("folio_unlock(folio(data:" + i + "))");
    }
    expected.add("spin_unlock(ptl)");

    assertThat(run("linux_3_15")).containsExactlyElementsOf(expected);
  }

  private static List<String> run(String design) {
    try {
      return lockEvents(design);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
