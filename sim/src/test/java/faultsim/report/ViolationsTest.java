package faultsim.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code violations.txt} into per-task columns. */
final class ViolationsTest {
  @Test
  void invalidContext_becomesTheCallBesideWhatWasHeld_identicalOnesMerged() {
    Violations v = Violations.parse("""
        design a: 0 violations
        design b: 3 violations
          invalid_context r0 t=1500ns task mmap: mutex_lock(&m) called in atomic context (&ptl)
          invalid_context r1 t=2000000ns task mmap: mutex_lock(&m) called in atomic context (&ptl)
          invalid_context r1 t=9ns task fault/2: folio_lock called in atomic context (rcu_read_lock)
          ... 4 more in replication 1
        """);

    assertThat(v.designs()).extracting(Violations.DesignViolations::design)
        .containsExactly("a", "b");
    assertThat(v.designs().get(0).violations()).isEmpty();
    Violations.DesignViolations b = v.designs().get(1);
    assertThat(b.headline()).isEqualTo("3 violations");
    assertThat(b.violations()).hasSize(2);
    Violations.Violation first = b.violations().get(0);
    assertThat(first.kind()).isEqualTo("invalid_context");
    assertThat(first.columns()).containsExactly("task mmap", "held at the time");
    assertThat(first.rows()).containsExactly(List.of("mutex_lock(&m)", "&ptl"));
    assertThat(first.listed()).isEqualTo(2);
    assertThat(first.where()).containsExactly("replication 0 at t = 1.5 \u00b5s",
        "replication 1 at t = 2 ms");
    assertThat(b.violations().get(1).columns()).containsExactly("task fault/2",
        "held at the time");
    assertThat(b.notes()).containsExactly("... 4 more in replication 1");
  }

  @Test
  void interleaving_oneColumnPerTask_oneRowPerStep() {
    Violations v = Violations.parse("""
        design ext4.punch: 1 violation
          stale_data r2 t=5000ns: a PTE maps folio 7 after the punch removed it
            [punch] truncate_pagecache_range()
            [fault] filemap_fault()
            [fault] set_pte_at()
            [punch] truncate_inode_pages_range()
        """);

    Violations.Violation s = v.designs().get(0).violations().get(0);
    assertThat(s.kind()).isEqualTo("stale_data");
    assertThat(s.summary()).isEqualTo("a PTE maps folio 7 after the punch removed it");
    assertThat(s.columns()).containsExactly("punch", "fault");
    assertThat(s.rows()).containsExactly(
        List.of("truncate_pagecache_range()", ""),
        List.of("", "filemap_fault()"),
        List.of("", "set_pte_at()"),
        List.of("truncate_inode_pages_range()", ""));
    assertThat(s.where()).containsExactly("replication 2 at t = 5 \u00b5s");
  }

  @Test
  void culpritInterleaving_culpritColumnFlagged_marksAndElisionsKept() throws Exception {
    // The oracle's golden stale-data interleaving (InterleavingTest) under a violation line.
    String timeline = java.nio.file.Files.readString(
        java.nio.file.Path.of("src/test/resources/faultsim/oracle/golden/stale-data.txt"));
    Violations v = Violations.parse("design linux_3_15: 1 violation\n"
        + "  stale_data r0 t=12000ns: data index 5: the page cache holds data read before the"
        + " blocks were freed by task punch's punch_hole\n" + timeline);

    Violations.Violation s = v.designs().get(0).violations().get(0);
    assertThat(v.designs().get(0).notes()).isEmpty();
    assertThat(s.culprit()).startsWith("task punch (job punch, in ext4_punch_hole) frees the"
        + " blocks of index 5 at 10.000us");
    assertThat(s.columns()).containsExactly("punch", "reader/0");
    assertThat(s.culpritColumn()).isZero();
    // Two "in" lines and 18 steps or elided runs: one row each, in the listing's order.
    assertThat(s.rows()).hasSize(20);
    assertThat(s.rows().get(17).get(0)).isEqualTo(
        "    10.000us      free_blocks(data, 4, 8)  << frees the blocks of index 5");
    assertThat(Violations.stepText(s.rows().get(17).get(0)))
        .isEqualTo("    10.000us      free_blocks(data, 4, 8)");
    assertThat(Violations.stepMark(s.rows().get(17).get(0)))
        .isEqualTo("frees the blocks of index 5");
    assertThat(s.rows()).contains(List.of("", "... 23 steps of task reader/0 elided"));
    Golden.assertMatches("violation-culprit.html", Report.render("violation.jte", s));
  }
}
