package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.oracle.Violation;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The interleaving of each seed race names its culprit -- the task whose step changed the state
 * the violation is about -- and fits on one screen (at most 30 lines: where each task was, the
 * culprit line, the steps that touched the state and the locks around them, the runs of steps
 * elided). Which task that is follows from the scenario, as each test says.
 */
final class CulpritTest {
  /** The culprit line: {@code culprit: task T (job J, in F) did X at T1[, after task V ...]}. */
  private static final Pattern CULPRIT =
      Pattern.compile("(?m)^    culprit: task (\\S+) \\(job \\S+(?:, in (\\S+))?\\) (.*)$");

  private static Matcher culprit(Violation v) {
    Matcher m = CULPRIT.matcher(v.timeline());
    assertThat(m.find()).as("culprit line in%n%s", v.timeline()).isTrue();
    return m;
  }

  private static void fitsOnOneScreen(Violation v) {
    assertThat(v.timeline().lines().count()).as(v.timeline()).isBetween(3L, 30L);
  }

  /** The index a page-cache or PTE summary names: {@code "data index 92: ..."}. */
  private static long index(Violation v) {
    Matcher m = Pattern.compile(" index (\\d+)").matcher(v.summary());
    assertThat(m.find()).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static String testDesign(String file) {
    return Path.of("src/test/resources/faultsim/fault", file).toAbsolutePath().toString();
  }

  @Test
  void ext4Punch315_staleData_culpritIsThePunchFreeingTheBlocksTheReaderReadFrom()
      throws Exception {
    // Seed 000: the punch truncates the page cache, a reader faults a page of the hole back in
    // and reads it from its blocks, then the punch frees those blocks (free_blocks). The state
    // is index N's data; the step that changed it under the reader is the punch's free_blocks,
    // so the culprit is task punch, and the reader whose read it made stale is named after it,
    // its read marked in its column before the free.
    KernelRun r = Examples.run("ext4-punch-vs-faults.yaml", "linux_3_15");

    List<Violation> shown = Examples.shown(r, Violation.STALE_DATA).stream()
        .filter(v -> v.summary().contains("the page cache holds data read before")).toList();
    assertThat(shown).isNotEmpty();
    for (Violation v : shown) {
      fitsOnOneScreen(v);
      long n = index(v);
      Matcher c = culprit(v);
      assertThat(c.group(1)).isEqualTo("punch");
      assertThat(c.group(2)).isEqualTo("ext4_remove_blocks");
      assertThat(c.group(3)).matches("frees the blocks of index " + n + " at [\\d.]+us, after"
          + " task reader/\\d (reads index " + n + " from its blocks|adds index " + n
          + " to the page cache) at [\\d.]+us");
      String t = v.timeline();
      int read = t.indexOf("<< reads index " + n + " from its blocks");
      assertThat(read).as(t).isPositive().isLessThan(t.indexOf("<< frees the blocks of index "
          + n));
    }
  }

  @Test
  void daxGetBlockUnderIMmap_lockOrderCycle_culpritIsThePunchClosingIt() throws Exception {
    // Seed 003: the writers fault from the start, each taking jbd2_handle inside i_mmap_mutex
    // (in dax_get_block, at about 2 us); the punch, which begins after its 50 us think time,
    // takes i_mmap_mutex with the handle held and closes the cycle: it is the culprit, its
    // acquisition and the writer's earlier one in the other order both marked.
    KernelRun r = Examples.run("dax-fault-vs-punch.yaml", "dax_get_block_under_i_mmap");

    Violation v = Examples.shown(r, Violation.LOCK_ORDER).get(0);
    fitsOnOneScreen(v);
    Matcher c = culprit(v);
    assertThat(c.group(1)).isEqualTo("punch");
    assertThat(c.group(2)).isEqualTo("unmap_mapping_pages");
    assertThat(c.group(3)).matches("takes &mapping->i_mmap_mutex while holding jbd2_handle at"
        + " [\\d.]+us, after task writer/\\d takes jbd2_handle while holding"
        + " &mapping->i_mmap_mutex at [\\d.]+us");
    assertThat(v.timeline()).contains("mutex_lock(&mapping->i_mmap_mutex)  << takes"
        + " &mapping->i_mmap_mutex while holding jbd2_handle");
    assertThat(v.timeline()).contains("down_read(jbd2_handle)  << takes jbd2_handle while"
        + " holding &mapping->i_mmap_mutex");
  }

  @Test
  void tmpfsPunchRescan_noProgress_culpritIsTheWriterRefillingTheHole() throws Exception {
    // Seed 001: the rescanning punch never finishes because the writers keep re-creating pages
    // in the hole [64, 192). What keeps it from progress is the last use of a page there (added,
    // zero-filled, mapped): the culprit is a writer, using an index of the hole; the punch is
    // named after it.
    KernelRun r = Examples.run("tmpfs-punch-vs-faults.yaml", "shmem_punch_rescan");

    Violation v = Examples.shown(r, Violation.NO_PROGRESS).get(0);
    fitsOnOneScreen(v);
    Matcher c = culprit(v);
    assertThat(c.group(1)).matches("writer/[01]");
    Matcher added = Pattern.compile("^(?:adds|zero-fills|maps) index (\\d+) .*at [\\d.]+us,"
        + " after task punch ").matcher(c.group(3));
    assertThat(added.find()).as(c.group(3)).isTrue();
    assertThat(Long.parseLong(added.group(1))).isBetween(64L, 191L);
  }

  @Test
  void xfsMapPagesMmaplock_invalidContext_culpritIsTheFaultSleepingUnderRcu()
      throws Exception {
    // Seed 002: the fault-around of the reader named in the summary calls down_read under
    // rcu_read_lock(): that step is the violation and the reader the culprit; the RCU section
    // around it is shown.
    KernelRun r = Examples.run("xfs-map-pages-mmaplock.yaml", "xfs_map_pages_mmaplock");

    Violation v = Examples.shown(r, Violation.INVALID_CONTEXT).get(0);
    fitsOnOneScreen(v);
    String task = v.summary().substring("task ".length(), v.summary().indexOf(':'));
    Matcher c = culprit(v);
    assertThat(c.group(1)).isEqualTo(task);
    assertThat(c.group(2)).isEqualTo("xfs_filemap_map_pages");
    assertThat(c.group(3)).startsWith("may sleep in atomic context (rcu_read_lock)");
    assertThat(v.timeline()).contains("rcu_read_lock()")
        .contains("down_read(&mapping->invalidate_lock)  << may sleep in atomic context");
  }

  @Test
  void truncateVsNopage_withoutTheRecheck_culpritIsTheTruncateRemovingTheMappedPage()
      throws Exception {
    // Seed 004 without the sequence re-check (and a 5 us ->nopage): a reader looks a page past
    // the new EOF up, the truncate removes it from the page cache, then the reader maps it. The
    // page the PTE maps was removed by the truncate: every report names task truncate, and in
    // those whose reader's steps are still recorded, the removal comes before the PTE is set.
    KernelRun r = Examples.run("truncate-vs-nopage.yaml", testDesign("nopage_no_recheck.design"));

    List<Violation> shown = Examples.shown(r, Violation.BEYOND_EOF);
    assertThat(shown).isNotEmpty();
    for (Violation v : shown) {
      fitsOnOneScreen(v);
      assertThat(culprit(v).group(1)).isEqualTo("truncate");
    }
    assertThat(shown).anySatisfy(v -> assertThat(culprit(v).group(3)).matches("removes index "
        + index(v) + " from the page cache at [\\d.]+us, before task reader/\\d sets the PTE"
        + " at 0x[0-9a-f]+ at [\\d.]+us"));
  }

  @Test
  void faultAroundVsTruncate_withoutTheRecheck_culpritIsTheTruncate() throws Exception {
    // Seed 000's fault-around without its checks under the page lock, against a truncate that
    // unmaps once: a page the truncate removed after the fault-around looked it up is mapped
    // after the unmap. The truncate removed the page (and freed its blocks): the culprit.
    KernelRun r = Examples.run("fault-around-vs-truncate.yaml", testDesign("fa_no_recheck.design"));

    List<Violation> shown = Examples.shown(r, Violation.BEYOND_EOF);
    assertThat(shown).isNotEmpty();
    for (Violation v : shown) {
      fitsOnOneScreen(v);
      Matcher c = culprit(v);
      assertThat(c.group(1)).isEqualTo("truncate");
      assertThat(c.group(3)).matches("(removes index|frees the blocks of index|unmaps index|sets"
          + " i_size to) .*");
    }
  }
}
