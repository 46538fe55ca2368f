package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.machine.Task;
import faultsim.oracle.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed threads' questions, asked through the example workloads of {@code workloads/} (one
 * replication, the file's own seed): what the correctness oracle must find in each design, and
 * where. Every violation asserted on comes with its interleaving, whose first lines name the
 * design functions each task was in, outermost first ({@code [punch] in vfs_fallocate >
 * ext4_punch_hole}); {@link Examples#where} joins them as {@code "punch: ... | reader/0: ..."}.
 */
final class SeedWorkloadsTest {

  // ---- seed 001: tmpfs hole punch under sustained write faults -------------------------------

  @Test
  void tmpfsPunch_rescan_underSustainedFaults_neverFinishes() throws Exception {
    // Two writers fault back to back at random over 256 pages, half of them in the hole, each
    // fault re-creating a page there in about a microsecond; a pass of the punch over the hole
    // takes about a microsecond per page it finds (lock, unmap, remove). shmem_punch_rescan's
    // second pass ends only when a lookup from the start of the hole finds it empty, which the
    // writers never allow: the first punch starts at 0 and is still running when the 3 ms run
    // ends, past the 1 ms bound -- one no_progress, no punch completed.
    KernelRun r = Examples.run("tmpfs-punch-vs-faults.yaml", "shmem_punch_rescan");

    assertThat(Examples.count(r, Violation.NO_PROGRESS)).isEqualTo(1);
    assertThat(Examples.job(r, "punch").operations()).isZero();
    assertThat(Examples.job(r, "writer").operations()).isGreaterThan(1000);
    Violation v = Examples.shown(r, Violation.NO_PROGRESS).get(0);
    assertThat(v.summary()).startsWith("task punch: punch_hole of shm pages [64, 192) still"
        + " running after");
    // The interleaving shows the punch and the writers whose recorded steps touched the hole;
    // its first lines say where each was at its last step. The punch is somewhere in
    // shmem_undo_range's rescan, the loop that never ends. Each writer shown (one or both) is
    // in a write fault on the shared tmpfs mapping, but how deep the end of the run caught it
    // (just entered, in shmem_fault, mapping the page in finish_fault, ...) is an accident of
    // timing, so any point of that path is taken -- and only that path.
    assertThat(Examples.firstLine(v))
        .startsWith("[punch] in vfs_fallocate > shmem_fallocate > shmem_undo_range");
    assertThat(Examples.where(v))
        .matches("punch: vfs_fallocate > shmem_fallocate > shmem_undo_range( > \\w+)*"
            + "( \\| writer/[01]: " + SHMEM_SHARED_WRITE_FAULT + "){1,2}");
  }

  /**
   * Where a writer can be in shmem_punch_rescan's write fault on a shared tmpfs mapping, as
   * {@link Examples#where} prints it: a prefix of do_user_addr_fault > handle_mm_fault >
   * handle_pte_fault > do_fault > do_shared_fault, then into one of do_shared_fault's three
   * calls: ->fault (vm_ops_fault > shmem_fault > the seed's shmem_get_folio, over 6.6's or a
   * swap-in), do_page_mkwrite > filemap_page_mkwrite, or finish_fault.
   */
  private static final String SHMEM_SHARED_WRITE_FAULT = "do_user_addr_fault( > handle_mm_fault"
      + "( > handle_pte_fault( > do_fault( > do_shared_fault( > (vm_ops_fault( > shmem_fault"
      + "( > shmem_get_folio( > (shmem_get_folio|shmem_swapin_folio))?)?)?"
      + "|do_page_mkwrite( > filemap_page_mkwrite)?|finish_fault))?)?)?)?)?";

  @ParameterizedTest
  @ValueSource(strings = {"shmem_punch_single_pass", "linux_6_6"})
  void tmpfsPunch_singlePassOr66_completesEveryPunch_withNothingLeftInTheHole(String design)
      throws Exception {
    // One pass over the hole (and in 6.6 faults into the hole wait for the punch): each punch
    // ends well inside the 1 ms bound, so no no_progress, one punch about every 100 us think
    // time plus its own length (~17 in 3 ms for the single pass, ~24 for 6.6), and every page
    // in the hole when a punch started is gone when it ends (the page lock holds off the fault
    // that would re-create it until it is removed).
    KernelRun r = Examples.run("tmpfs-punch-vs-faults.yaml", design);

    assertThat(Examples.count(r, Violation.NO_PROGRESS)).isZero();
    assertThat(Examples.count(r, Violation.PUNCH_GUARANTEE)).isZero();
    assertThat(Examples.count(r, Violation.STALE_DATA)).isZero();
    assertThat(Examples.job(r, "punch").operations()).isGreaterThanOrEqualTo(15);
  }

  // ---- seed 003: DAX fault and the journal handle --------------------------------------------

  @Test
  void daxGetBlockUnderIMmap_withPunch_reportsIMmapJournalHandleCycle() throws Exception {
    // A write fault into a hole allocates a block under a journal handle while holding
    // i_mmap_mutex (i_mmap_mutex -> jbd2_handle); the punch's unmap takes i_mmap_mutex with the
    // handle held (jbd2_handle -> i_mmap_mutex, seed 003 path 1). The first cycle lockdep would
    // print is the two-lock one, both chains in the summary.
    KernelRun r = Examples.run("dax-fault-vs-punch.yaml", "dax_get_block_under_i_mmap");

    assertThat(Examples.count(r, Violation.LOCK_ORDER)).isGreaterThanOrEqualTo(1);
    Violation v = Examples.shown(r, Violation.LOCK_ORDER).get(0);
    assertThat(v.summary()).startsWith("possible circular locking dependency: jbd2_handle ->"
        + " &mapping->i_mmap_mutex -> jbd2_handle");
    assertThat(Examples.firstLine(v)).isEqualTo("[punch (jbd2_handle -> &mapping->i_mmap_mutex)]"
        + " in vfs_fallocate > ext4_punch_hole > truncate_pagecache_range > unmap_mapping_pages");
    assertThat(Examples.where(v))
        .startsWith("punch (jbd2_handle -> &mapping->i_mmap_mutex): vfs_fallocate"
            + " > ext4_punch_hole > truncate_pagecache_range > unmap_mapping_pages | writer/")
        .endsWith("(&mapping->i_mmap_mutex -> jbd2_handle): do_user_addr_fault"
            + " > handle_mm_fault > handle_pte_fault > do_fault > do_shared_fault"
            + " > vm_ops_fault > dax_fault > dax_get_block");
  }

  @Test
  void daxIsizeRecheck_withPunch_takesTheHandleOutsideIMmap_noCycle() throws Exception {
    // The same punch (jbd2_handle -> i_mmap_mutex); the fault releases the handle before it
    // takes i_mmap_mutex, so the graph has one direction only. Neither design covers a punch:
    // both map blocks the punch then frees (stale_data), as Wilcox told Morton.
    KernelRun r = Examples.run("dax-fault-vs-punch.yaml", "dax_isize_recheck");

    assertThat(Examples.count(r, Violation.LOCK_ORDER)).isZero();
    assertThat(Examples.count(r, Violation.STALE_DATA)).isPositive();
  }

  // ---- seed 002: XFS ->map_pages and the MMAPLOCK ---------------------------------------------

  @Test
  void xfsMapPagesMmaplock_on66_sleepsUnderRcu_reportsInvalidContext() throws Exception {
    // 6.6's do_fault_around holds rcu_read_lock() over ->map_pages; down_read() is a
    // might_sleep() there whether or not it waits: every fault-around of the XFS file is one.
    KernelRun r = Examples.run("xfs-map-pages-mmaplock.yaml", "xfs_map_pages_mmaplock");

    assertThat(Examples.count(r, Violation.INVALID_CONTEXT)).isGreaterThan(10);
    Violation v = Examples.shown(r, Violation.INVALID_CONTEXT).get(0);
    assertThat(v.summary()).endsWith(
        "down_read(&mapping->invalidate_lock) called in atomic context (rcu_read_lock)");
    assertThat(Examples.firstLine(v)).matches("\\[reader/\\d\\] in do_user_addr_fault"
        + " > handle_mm_fault"
        + " > handle_pte_fault > do_fault > do_read_fault > do_fault_around"
        + " > vm_ops_map_pages > xfs_filemap_map_pages");
  }

  @ParameterizedTest
  @ValueSource(strings = {"linux_6_6", "xfs_map_pages_trylock"})
  void xfsMapPages_lockless66OrTrylock_validUnderRcu_noViolation(String design)
      throws Exception {
    KernelRun r = Examples.run("xfs-map-pages-mmaplock.yaml", design);

    assertThat(r.oracle().counts().values()).containsOnly(0L);
  }

  // ---- seed 000 and CVE-2015-8839: ext4 hole punch against read faults ----------------------

  @ParameterizedTest
  @ValueSource(strings = {"linux_3_15", "punch_two_unmaps"})
  void ext4Punch_3_15_readFaultRefillsTheHoleBeforeBlocksAreFreed_reportsStaleData(
      String design) throws Exception {
    // ext4_punch_hole (3.15) truncates the page cache, then spends 5 us removing extents under
    // the journal handle and i_data_sem before it frees the blocks; a read fault into the hole
    // meanwhile finds no page, adds it (and the missing pages around it, by mmap read-around)
    // and reads them from blocks about to be freed. At the end of the punch those pages are
    // older than the blocks: stale data. A second unmap right after the truncation
    // (punch_two_unmaps) comes before this window and changes nothing.
    KernelRun r = Examples.run("ext4-punch-vs-faults.yaml", design);

    assertThat(Examples.count(r, Violation.STALE_DATA)).isGreaterThan(5);
    Violation v = Examples.shown(r, Violation.STALE_DATA).get(0);
    assertThat(v.summary()).contains("the page cache holds data read before the blocks were"
        + " freed by task punch's punch_hole");
    assertThat(Examples.firstLine(v)).isEqualTo("[punch] in vfs_fallocate > ext4_punch_hole");
    // The other task shown is a reader somewhere in its read fault: in 3.15's do_read_fault
    // itself (the PTL it takes before fault-around, or the fault-around under it), or in
    // filemap_fault and its read-around.
    assertThat(Examples.where(v)).matches("punch: vfs_fallocate > ext4_punch_hole"
        + " \\| reader/\\d: do_user_addr_fault > handle_mm_fault > handle_pte_fault > do_fault"
        + " > do_read_fault( > vm_ops_fault > filemap_fault( > do_sync_mmap_readahead"
        + "( > ra_add_missing)?)?)?");
    // The fault's read (of the one page, or of the read-around batch) is issued before the
    // punch frees the blocks. A violation's interleaving shows the punch and the task that ran
    // last before it was found, which need not be the reader of the stale folio (it may be a
    // fault reading another page after the punch): among the violations shown, at least one
    // shows its reader issuing the read before free_blocks.
    assertThat(Examples.shown(r, Violation.STALE_DATA)).anySatisfy(shown -> {
      String t = shown.timeline();
      int read = Math.max(t.indexOf("filemap_read_folio("), t.indexOf("read_pages("));
      assertThat(read).isPositive().isLessThan(t.indexOf("free_blocks("));
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"ext4_punch_i_mmap_sem", "linux_6_6"})
  void ext4Punch_lockHeldAcrossThePunch_readFaultsWait_noStaleData(String design)
      throws Exception {
    // The punch holds i_mmap_sem (4.5) or invalidate_lock (6.6) exclusive from before the
    // page-cache truncation to after the blocks are freed; a fault that must add a page takes
    // it shared and waits.
    KernelRun r = Examples.run("ext4-punch-vs-faults.yaml", design);

    assertThat(r.oracle().counts().values()).containsOnly(0L);
    assertThat(Examples.job(r, "punch").operations()).isGreaterThan(20);
  }

  // ---- seed 004: truncate against ->nopage, 2003 and 2.6 --------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"frlock_truncate_seq", "truncate_count_retry"})
  void truncateVsNopage_sequenceRecheck_retriesAndMapsNothingStale(String design)
      throws Exception {
    // Faults whose sequence snapshot a truncate overtakes are retried (the reader's retries),
    // so no PTE maps a page the truncate removed, or one past the new EOF.
    KernelRun r = Examples.run("truncate-vs-nopage.yaml", design);

    assertThat(Examples.job(r, "reader").retries()).isPositive();
    assertThat(Examples.count(r, Violation.STALE_DATA)).isZero();
    assertThat(Examples.count(r, Violation.BEYOND_EOF)).isZero();
  }

  /**
   * Readers over the first 768 KiB only: their pages are never truncated and stay cached, so a
   * reader does no I/O and waits for nothing but what its design makes it wait for.
   */
  private static KernelRun belowTheCut(String design) throws Exception {
    return Examples.run("truncate-vs-nopage.yaml", design, "jobs.reader.size=768k");
  }

  private record RetryCost(long retries, double cpuPerAttemptNs, double waitPerRetryNs) {}

  private static RetryCost retryCost(KernelRun r) {
    long retries = Examples.job(r, "reader").retries();
    long faults = Examples.job(r, "reader").operations();
    long busy = Examples.timeIn(r, "reader", Task.State.BUSY);
    long wait = Examples.timeIn(r, "reader", Task.State.SPINNING, Task.State.SLEEPING,
        Task.State.WAKING);
    return new RetryCost(retries, (double) busy / (faults + retries),
        retries == 0 ? 0 : (double) wait / retries);
  }

  @Test
  void truncateCountRetry_retriesAtOnce_spendsMoreCpuPerRetryThanItWaits() throws Exception {
    // A 2.6 retry redoes the ->nopage lookup and the PTL round trip at once: CPU, about what a
    // whole attempt costs (~0.55 us here: 9 ms of reader CPU over ~16,300 attempts, ~90 of them
    // retries). Nothing in it sleeps or spins on the truncater: the readers are blocked for 0 ns.
    RetryCost c = retryCost(belowTheCut("truncate_count_retry"));

    assertThat(c.retries()).isPositive();
    assertThat(c.waitPerRetryNs()).isLessThan(c.cpuPerAttemptNs());
  }

  @Test
  void frlockTruncateSeq_waitsForTheTruncate_waitsLongerPerRetryThanItComputes()
      throws Exception {
    // A 2003 retry first waits on i_sem for the rest of the truncate (unmap, page-cache
    // truncation, 5 us of extent removal), spinning while the owner runs: ~0.47 ms of spinning
    // over ~90 retries, ~5 us a retry, against ~0.55 us of CPU an attempt.
    RetryCost c = retryCost(belowTheCut("frlock_truncate_seq"));

    assertThat(c.retries()).isPositive();
    assertThat(c.waitPerRetryNs()).isGreaterThan(5 * c.cpuPerAttemptNs());
  }
}
