package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.kernel.MmStruct;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two tasks on a 2-core machine, one kernel primitive family each, hand-worked: the exact order
 * and times of what the design does, with the default costs (kernel-paths.md section C, as
 * {@link KernelCosts} and the machine's profile give them): an atomic on a line this core owns
 * 5 ns, a line last written by the other core 47 ns, a line no core has touched 82 ns (from
 * memory), a wake-up 2 us; a fault's entry 150 ns, a vmstat count 1 ns, find_vma 40 ns, a
 * page-cache lookup 50 ns, an xarray step 20 ns and a walk's start 30 ns, filemap_map_pmd 25
 * ns, pte_offset_map 15 ns, a PTE store 40 ns, a PTE page 330 ns (a page, zeroed, constructed)
 * and its pmd_install 10 ns under the PMD lock, a folio 150 ns and 150 ns more to zero it,
 * anon_vma_prepare 200 ns. The xarray's leaf nodes and struct pages are cache lines too.
 * Every primitive call and design function entry and exit is logged as {@code "<ns> <task>
 * <event>"}; a primitive is logged when it is called, and its cost runs after that.
 */
final class SeedScenariosTest {

  // ---- a lock wait: two faults on one page-table lock ----------------------------------------

  private static final String TWO_ANON_FAULTS = """
      machine:
        cores: 2
      global:
        runtime: 100us
      jobs:
        a:
          rw: write
          mapping: anon
          size: 4k
          loops: 1
        b:
          rw: write
          mapping: anon
          size: 4k
          loops: 1
      """;

  private static List<String> ptlEvents(TracedRuns.Traced r) {
    return r.events(e -> e.startsWith("spin_lock(") || e.startsWith("spin_unlock(")
        || e.startsWith("set_pte_at(")).stream()
        .map(l -> l.replaceAll("set_pte_at\\(.*", "set_pte_at"))
        .toList();
  }

  @Test
  void ptlPerMm_twoThreadsFaultAtOnce_secondSpinsThroughTheFirstsHold() throws Exception {
    // Two threads of one process write-fault one page each of their own anonymous VMA, at the
    // same instant on two cores. Both run the same path: entry 150, PGFAULT 1, find_vma 40;
    // lock_vma_under_rcu reads mm_lock_seq's line: a fetches it from memory (82 -> 273), b's
    // read waits for that and copies it from a (47 -> 320), so b runs 47 ns behind a from
    // here; each VMA lock's line is its own, from memory (82); anon_vma is not set yet:
    // VM_FAULT_RETRY, mmap_lock read (a from memory, 82; b takes the count's line from a, 47),
    // find_vma, anon_vma_prepare 200, a zeroed folio 300 -> 983 (a), 1030 (b). Before split
    // PTLs the PTE page is installed under &mm->page_table_lock too: pte_alloc_one (330) ->
    //   1313 a spin_lock(&mm->page_table_lock): never touched -> 82, a holds it at 1395,
    //        pmd_install (10) and spin_unlock at 1405
    //   1360 b spin_lock: waits behind a's hold and gets the lock after a's unlock: its
    //        pmd_install at 1583, spin_unlock at 1593
    //   1425 a spin_lock again, for its PTE (pte_offset_map 15 after the unlock): b holds the
    //        lock, a spins until b's unlock and takes it: set_pte_at at 1771 (40 + 82 for the
    //        new folio's refcount line) -> spin_unlock at 1893
    //   1613 b spin_lock for its PTE: spins behind a's hold -> set_pte_at at 2034, unlock 2156
    // Four acquisitions, three of them waited for; with split locks none of these would meet.
    TracedRuns.Traced r = TracedRuns.run(TWO_ANON_FAULTS, "ptl_per_mm");

    assertThat(ptlEvents(r)).containsExactly(
        "1313 a spin_lock(&mm->page_table_lock)",
        "1360 b spin_lock(&mm->page_table_lock)",
        "1405 a spin_unlock(&mm->page_table_lock)",
        "1425 a spin_lock(&mm->page_table_lock)",
        "1593 b spin_unlock(&mm->page_table_lock)",
        "1613 b spin_lock(&mm->page_table_lock)",
        "1771 a set_pte_at",
        "1893 a spin_unlock(&mm->page_table_lock)",
        "2034 b set_pte_at",
        "2156 b spin_unlock(&mm->page_table_lock)");
    assertThat(KernelRuns.acquisitions(r.run(), "&mm->page_table_lock", true)).isEqualTo(4);
    assertThat(contentions(r.run(), "&mm->page_table_lock")).isEqualTo(3);
  }

  @Test
  void splitPtl_twoThreadsFaultAtOnce_neitherWaitsForAPtl_theyMeetOnThePmdLock()
      throws Exception {
    // The same two faults under 6.6: each VMA starts on its own 2 MiB boundary, so each page
    // is in its own PTE page with its own lock; but both PTE pages are installed in one PMD
    // page (1 GiB), under its split lock, whose lockdep class is the PTL's. 6.6's
    // do_anonymous_page allocates the PTE page first, under the VMA lock: pte_alloc_one (330)
    // from 355 (a) and 402 (b, 47 behind since mm_lock_seq's line, above):
    //   685 a spin_lock(PMD lock): never touched, 82 -> held at 767; pmd_install (10), unlock
    //       at 777 (5)
    //   732 b spin_lock: behind a's hold; gets it after a's unlock, pmd_install at 955, unlock
    //       at 965
    // Then both retry under mmap_lock for anon_vma_prepare (a: 82 for the count's line, find_vma
    // 40, 200, a zeroed folio 300 -> 1410; b takes the count's line from a, 47 -> 1563), and
    // take their own PTLs, never touched (pte_offset_map 15, then 82): a stores its PTE at 1507
    // (40 + 82 for the new folio's refcount line -> unlock at 1629), b at 1660 (-> 1782);
    // neither waits for a PTL.
    TracedRuns.Traced r = TracedRuns.run(TWO_ANON_FAULTS, "linux_6_6");

    assertThat(ptlEvents(r)).containsExactly(
        "685 a spin_lock(ptlock_ptr(ptdesc))",
        "732 b spin_lock(ptlock_ptr(ptdesc))",
        "777 a spin_unlock(ptlock_ptr(ptdesc))",
        "965 b spin_unlock(ptlock_ptr(ptdesc))",
        "1425 a spin_lock(ptlock_ptr(ptdesc))",
        "1507 a set_pte_at",
        "1578 b spin_lock(ptlock_ptr(ptdesc))",
        "1629 a spin_unlock(ptlock_ptr(ptdesc))",
        "1660 b set_pte_at",
        "1782 b spin_unlock(ptlock_ptr(ptdesc))");
    // The one contention is b's on the PMD lock.
    assertThat(contentions(r.run(), "ptlock_ptr(ptdesc)")).isEqualTo(1);
  }

  private static long contentions(KernelRun r, String lockClass) {
    return r.locks().classes().stream().filter(c -> c.name().equals(lockClass))
        .mapToLong(c -> c.stats(true).contentions()).sum();
  }

  // ---- a folio trylock failure in fault-around -----------------------------------------------

  /** 3.15's filemap_map_pages, exactly: no PG_locked test before trylock_page. */
  static final String FA_TRYLOCK_3_15 = """
      design fa_trylock_3_15 extends linux_3_15;
      // 3.15 filemap_map_pages: page_cache_get_speculative, uptodate, then trylock_page.
      bool next_uptodate_folio(struct folio *folio, struct address_space *mapping) {
          if (!folio_try_get(folio)) {
              return false;
          }
          if (!folio->uptodate || folio->readahead) {
              folio_put(folio);
              return false;
          }
          if (!folio_trylock(folio)) {
              folio_put(folio);
              return false;
          }
          if (folio->mapping != mapping || folio->index >= i_size_pages(mapping)) {
              folio_unlock(folio);
              folio_put(folio);
              return false;
          }
          return true;
      }
      """;

  @Test
  void faultAround_pageLockedByAnotherBatch_trylockFails_faultFallsBackToFilemapFault()
      throws Exception {
    // Two processes map the same cached 16-page file and read-fault its first page, b 50 ns
    // after a, each on its own core; fault-around (3.15: under each one's own PTL) walks pages
    // 0..15 of the page cache. PG_locked and the refcount are on one line, folio 0's struct
    // page: folio_try_get, folio_trylock, folio_unlock, folio_put and set_pte_at's folio_get
    // all pay 5 when this core holds the line, 47 to take it from the other core and 82 to
    // fetch it from memory when nobody has touched it; the line serves one of them at a time,
    // in the order they are issued.
    // a: entry 150, PGFAULT 1, mmap_sem 82, find_vma 40 -> 273; its PTE page (pte_alloc_one
    // 330, then pmd_install under its mm's PMD lock: 82 + 10 + 5) -> 700; pte_offset_map 15 and
    // its PTL (82) held at 797; the walk's first step (20 + 30 + 82 for the xarray node, never
    // touched) -> folio_try_get at 929, from memory: 82 -> 1011.
    // b, 50 ns behind, reads the node from a (47, after a's fetch: 79) and issues its
    // folio_try_get at 976: it waits for a's fetch (1011) and takes the line, 47 -> 1058.
    // a's folio_trylock at 1011 waits for b's try_get and takes the line back (1105): locked,
    // checks pass at 1105. b's folio_trylock at 1058 waits for it (1105), takes the line
    // (1152) and finds PG_locked set by a: fails. a's set_pte_at at 1105: its folio_get waits
    // for b's trylock (1152) and takes the line (1199), 40 + 94 -> folio_unlock at 1239. b's
    // folio_put at 1152 waits for a's folio_get (1199) and takes the line (1246);
    // next_uptodate_folio returns false at 1246 and b skips page 0 -- its faulting page. a's
    // folio_unlock waits for b's put and takes the line back (1293). Its batch maps other
    // pages (the two walks now win alternate pages), and since the faulting PTE is still none,
    // b takes the ->fault path (filemap_fault), which locks folio 0 with a sleeping lock and
    // maps it.
    String yaml = """
        machine:
          cores: 2
        files:
          data:
            size: 64k
        global:
          runtime: 100us
        jobs:
          a:
            rw: read
            file: data
            loops: 1
            process: pa
          b:
            rw: read
            file: data
            loops: 1
            process: pb
            start_delay: 50ns
        """;
    TracedRuns.Traced r = TracedRuns.run(yaml, FA_TRYLOCK_3_15);

    assertThat(r.log()).containsSubsequence(
        "1011 a folio_trylock(folio(data:0))",
        "1058 b folio_trylock(folio(data:0))",
        "1105 a exit next_uptodate_folio = true",
        "1152 b folio_put(folio(data:0))",
        "1239 a folio_unlock(folio(data:0))",
        "1246 b exit next_uptodate_folio = false");
    assertThat(r.events(e -> e.equals("enter filemap_fault")))
        .as("only b falls back to ->fault").hasSize(1).allMatch(l -> l.contains(" b "));
    long fallback = r.timeOf("b", "enter filemap_fault");
    assertThat(r.events(e -> e.startsWith("set_pte_at(") && e.contains(", folio(data:0),")))
        .hasSize(2)
        .anyMatch(l -> l.startsWith("1105 a "))
        .anyMatch(l -> l.contains(" b ") && Long.parseLong(l.split(" ")[0]) > fallback);
  }

  // ---- VM_FAULT_RETRY: sleeping on a locked folio with mmap_lock dropped ---------------------

  @Test
  void filemapFault_folioLockedForRead_dropsMmapLockSleepsThenRetries() throws Exception {
    // Two processes map an uncached file; the device reads in exactly 20 us, one page at a time
    // (read_ahead_kb 0: no read-around, so the fault reads just its page). Both faults miss
    // fault-around and, in 6.6, retry from the VMA lock under mmap_lock (->fault needs it).
    //   a: filemap_fault misses, adds a locked folio for page 0, drops mmap_lock (1519) and
    //      reads it: 1524 -> I/O done at 21524, a wakes 2 us later and unlocks it at 23524.
    //   b (5 us later) runs on core 0 too -- a, asleep on the read, left it idle, and a task
    //      that starts takes the lowest idle core -- so a line a wrote or read last costs it 5
    //      or nothing, and a line of its own mm nobody touched yet 82 (from memory). Entry 150,
    //      PGFAULT 1, find_vma 40, its mm_lock_seq line 82, its VMA lock 82 -> 5355; its PTE
    //      page (330, then its PMD lock 82, pmd_install 10, unlock 5) -> 5782; fault-around's
    //      walk (20 + 30; the xarray node is on this core) finds folio 0 locked at 5832;
    //      VM_FAULT_RETRY (up_read 5, the event 1), mmap_lock (82) and find_vma (40) -> 5960;
    //      the walk again (50) -> 6010, where filemap_fault looks page 0 up (50 + 5 for the
    //      refcount) and finds the folio, not uptodate; invalidate_lock (a's line, 5) at 6065;
    //      folio_trylock (5) fails at 6070; lock_folio_maybe_drop_mmap drops mmap_lock (6075)
    //      and sleeps in folio_lock (6080).
    //      a's unlock wakes b (a then locks and unlocks the folio again in its own retry's
    //      fault-around); b runs after its wake-up, at 25524, and takes the lock (5): it
    //      dropped mmap_lock, so it unlocks (25529), releases invalidate_lock (5) and its
    //      reference (5) and returns VM_FAULT_RETRY (0x400 = 1024) at 25544;
    //      do_user_addr_fault retakes mmap_lock at once (5) and find_vma (40), and the retry
    //      maps the page with fault-around, now that it is uptodate: the walk (20 + 30; the
    //      node still shared) and folio_try_get and folio_trylock on the line b just wrote, 5
    //      each, to 25649; filemap_map_pmd 25, pte_offset_map 15 and its own PTL, never
    //      taken, 82 -> set_pte_at at 25771.
    String yaml = """
        machine:
          cores: 2
        devices:
          disk:
            read_latency: 20us
        kernel:
          read_ahead_kb: 0
        files:
          data:
            size: 64k
            cached: 0
        global:
          runtime: 100us
        jobs:
          a:
            rw: read
            file: data
            size: 4k
            loops: 1
            process: pa
          b:
            rw: read
            file: data
            size: 4k
            loops: 1
            process: pb
            start_delay: 5us
        """;
    TracedRuns.Traced r = TracedRuns.run(yaml, "linux_6_6");

    assertThat(r.log()).containsSubsequence(
        "1519 a up_read(&mm->mmap_lock)",
        "1524 a filemap_read_folio(folio(data:0))",
        "6010 b filemap_get_folio(data, 0)",
        "6065 b down_read(&mapping->invalidate_lock)",
        "6070 b folio_trylock(folio(data:0))",
        "6075 b up_read(&mm->mmap_lock)",
        "6080 b folio_lock(folio(data:0))",
        "23524 a folio_unlock(folio(data:0))",
        "25529 b folio_unlock(folio(data:0))",
        "25544 b exit filemap_fault = 1024",
        "25544 b down_read(&mm->mmap_lock)",
        "25649 b exit next_uptodate_folio = true");
    assertThat(r.log()).anyMatch(l -> l.startsWith("25771 b set_pte_at("));
    // b: one VMA-lock retry, one VM_FAULT_RETRY.
    assertThat(Examples.job(r.run(), "b").retries()).isEqualTo(2);
    assertThat(r.run().oracle().counts().values()).containsOnly(0L);
  }

  // ---- truncate removes the page a fault is about to map -------------------------------------

  @Test
  void frlock_truncateRemovesThePageAfterLookup_faultDropsItWaitsAndRetries() throws Exception {
    // 2003 (frlock_truncate_seq), one page fault on page 2 of a cached 4-page file and a
    // truncate to one page starting 763 ns later. A line no core has touched comes from memory
    // (82), one the other core wrote last is a transfer (47), one this core holds costs 5.
    //   reader: entry 150, PGFAULT 1, mmap_sem 82, find_vma 40 -> 273; 3.15's __handle_mm_fault
    //           allocates the PTE page first: pte_alloc_one (150 + 150 + 30) and pmd_install
    //           under the PMD lock (82 + 10 + 5) -> 700; sequence 0 read at 700 (82 -> 782),
    //           i_size checked (4 pages) and page 2 looked up at 782 (50 + 82 for the xarray
    //           node + 82 for the struct page) -> 996; pte_offset_map 15 and the PTL (never
    //           touched, 82) held at 1093, where the sequence is compared.
    //   truncate: i_sem 763 -> 845; i_size = 4096 and the write side opens at 845 (sequence 1;
    //           the write invalidates the reader's copy of the counter: 47 -> 892); i_mmap_mutex
    //           (82) and the tree step (30): the unmap finds the PTE page at 1004 and wants its
    //           PTL at 1019, while the reader's fetch of it is in flight: its xadd takes the line
    //           after it (1140) and spins behind the reader's hold.
    //   reader at 1093: the re-read of the counter (47, the truncate wrote it) finds it moved
    //           (0 -> 1) at 1140: it drops the PTL (5, 1145) and the page it was about to map
    //           (its own line: 5, 1150); it counts a retry and waits for the truncate on i_sem,
    //           spinning while the owner runs.
    //   truncate: takes the PTL after the reader's unlock (its copy invalidated, re-read, taken:
    //           3 x 47 -> 1281); nothing mapped (a step, 20), unlocks (5) and i_mmap_mutex (5);
    //           pass 1's walk (20 + 30 + 47 for the node the reader shares) trylocks page 2 at
    //           1408 (47: the reader's put had the line), i_pages (82) and the removal of page 2
    //           (60 + 47 for the node) at 1537; unlock and the empty pass 2 -> the write side
    //           closes at 1654 (47: the reader had re-read the counter); then journal handle and
    //           i_data_sem (82 each) and 5 us of extent removal holding i_sem, released at 6875.
    //   reader: takes i_sem when it is released (re-read and take, 2 x 47) and lets it go again,
    //           the truncate's next mutex_lock queued on the line meanwhile (-> 7110). The retry
    //           reads the counter at 7110 (47) and the file is one page long (the truncate's
    //           second call, back to 16 KiB, writes i_size only at 7204, once it has i_sem), so
    //           page 2 is beyond EOF: VM_FAULT_SIGBUS (2) at 7157, returned at 7162 after
    //           mmap_sem's up_read (5), and nothing is mapped.
    String yaml = """
        machine:
          cores: 2
        kernel:
          fault_around_bytes: 4k
        files:
          data:
            size: 16k
        global:
          runtime: 100us
        jobs:
          reader:
            rw: read
            file: data
            offset: 8k
            size: 4k
            loops: 1
          truncate:
            op: truncate
            file: data
            size: 4k
            loops: 1
            start_delay: 763ns
        """;
    TracedRuns.Traced r = TracedRuns.run(yaml, "frlock_truncate_seq");

    assertThat(r.log()).containsSubsequence(
        "700 reader raw_read_seqcount(&mapping->truncate_lock)",
        "782 reader filemap_get_folio(data, 2)",
        "845 truncate i_size_write(data, 4096)",
        "845 truncate write_seqcount_begin(&mapping->truncate_lock)",
        "1093 reader read_seqcount_retry(&mapping->truncate_lock, 0)",
        "1140 reader exit truncate_seq_retry = true",
        "1145 reader folio_put(folio(data:2))",
        "1150 reader count_retry()",
        "1150 reader mutex_lock(&inode->i_sem)",
        "1408 truncate folio_trylock(folio(data:2))",
        "1537 truncate __filemap_remove_folio(folio(data:2))",
        "1654 truncate write_seqcount_end(&mapping->truncate_lock)",
        "6875 truncate mutex_unlock(&inode->i_sem)",
        "7110 reader raw_read_seqcount(&mapping->truncate_lock)");
    // The removed page was never mapped, and the retry mapped nothing beyond EOF.
    assertThat(r.log()).containsSubsequence(
        "7162 reader exit do_user_addr_fault = 2",
        "7204 truncate i_size_write(data, 16384)");
    assertThat(r.events(e -> e.startsWith("set_pte_at("))).isEmpty();
    MmStruct mm = r.run().kernel().mms().get(0);
    assertThat(mm.pte(mm.vmas().get(0).start())).isNull();
    assertThat(Examples.job(r.run(), "reader").retries()).isEqualTo(1);
    assertThat(r.run().oracle().counts().values()).containsOnly(0L);
  }

  // ---- a swap entry turning back into a page during a tmpfs punch ----------------------------

  /**
   * Reclaim and a swap-in, scripted as the one "fault" of a task: lock pages 0 and 1 of the
   * file, 2 us of writeback preparation, put page 1 out to swap, read it back in (the swap
   * device reads in 10 us), then let go of page 0.
   */
  static final String RECLAIM_SCRIPT = """
      design swap_race extends shmem_punch_single_pass;
      // The fault job's only fault is a scripted reclaim of page 1 and its swap-in.
      vm_fault_t do_user_addr_fault(struct mm_struct *mm, unsigned long address,
                                    unsigned long flags) {
          struct address_space *inode = find_vma(mm, address)->vm_file;
          struct folio *f0 = filemap_get_folio(inode, 0);
          struct folio *f1 = filemap_get_folio(inode, 1);
          folio_lock(f0);
          folio_lock(f1);
          cpu(2us);
          spin_lock(&inode->i_pages);
          shmem_writeout(f1);
          spin_unlock(&inode->i_pages);
          folio_unlock(f1);
          folio_put(f1);
          struct folio *f = shmem_swapin_folio(inode, shmem_swap_lookup(inode, 1));
          folio_unlock(f);
          folio_put(f);
          folio_unlock(f0);
          folio_put(f0);
          return 0;
      }
      """;

  @Test
  void shmemSinglePass_swapEntryBecomesAPageAfterTheBatch_freeFailsAndTheIndexIsRetried()
      throws Exception {
    // Hugh's case in seed 001: a page the first loop meets locked (here by reclaim), which is
    // a swap entry when the second loop gathers its batch and a page again when it gets to it.
    // PG_locked is on each folio's struct page line, with its refcount; the xarray's leaf node
    // (pages 0..63) is one more line, read by lookups and walks, written by stores.
    //   reclaim: looks page 0 up at 40 (50, + 82 for the node's line and 82 for the struct
    //            page's, both never touched: from memory) -> 254, page 1 (50 + 82; the node is
    //            held) -> 386; locks them at 386 and 391, 5 each (the lock bit is on the line
    //            its own lookup just brought over); 2 us; i_pages (never touched, 82) at 2396;
    //            page 1 becomes a swap entry at 2478: the store (60) invalidates the punch's copy
    //            of the node (47) -> 2585.
    //   punch (from 2091): i_mutex and i_mmap_mutex (82 each, from memory) and the
    //            interval-tree step (30) -> shmem_undo_range at 2290; pass 1's walk starts (20 +
    //            30 + 47 for the node, shared from reclaim) and trylocks page 0 at 2387 and page
    //            1 at 2454 (20 later, plus the 47 of the failed trylock of page 0 on reclaim's
    //            line), 24 ns before the writeout: both fail; pass 2 gathers [page 0, swap entry
    //            1] at 2501, 23 ns after the writeout, its read of the node waiting for the
    //            writeout's transfer (2525) and taking the line from reclaim (2572), and sleeps
    //            on page 0 (2622).
    //            (start_delay places the punch so that both loops meet page 1 on the same sides
    //            of the writeout: pass 1's trylock of page 1 must come in the 47 ns before it,
    //            pass 2's gather after it.)
    //   reclaim: unlocks the old page 1 (2590, 47: the punch's trylock took the line) and puts
    //            it (5); looks the swap entry up (50; the node is shared) and swaps page 1 back
    //            in -- a new folio (150), __folio_set_locked at 2842 (82, a struct page never
    //            touched), read 2924 -> 12924, running again 2 us later -- replaces the entry at
    //            14929 (60 + 47 for the node the punch shares), unlocks the new page (5) and
    //            puts it (5: same line) and unlocks page 0 at 15051 (47, the punch's folio_lock
    //            has its line, + 47 for the punch's wait-queue bucket), handing it over.
    //   punch: woken 2 us after the handover, at 17098, holding page 0's lock; i_pages from
    //            reclaim (47) and the removal of page 0 (60 + 47 for the node) at 17145;
    //            shmem_free_swap on the entry it gathered fails at 17287 ("Swap was replaced by
    //            page"), it counts a retry at 17357 and walks again from index 1: the new page
    //            is locked at 17407 (47: reclaim put it last) and removed at 17459.
    String yaml = """
        machine:
          cores: 2
        devices:
          swap:
            read_latency: 10us
        files:
          shm:
            size: 16k
            fs: tmpfs
            device: swap
        global:
          runtime: 100us
        jobs:
          reclaim:
            rw: write
            file: shm
            size: 4k
            loops: 1
          punch:
            op: punch_hole
            file: shm
            size: 8k
            loops: 1
            start_delay: 2091ns
        """;
    TracedRuns.Traced r = TracedRuns.run(yaml, RECLAIM_SCRIPT);

    assertThat(r.log()).containsSubsequence(
        "2387 punch folio_trylock(folio(shm:0))",
        "2454 punch folio_trylock(folio(shm:1))",
        "2478 reclaim shmem_writeout(folio(shm:1))",
        "2501 punch find_get_entries(shm, 0, 2)",
        "2622 punch folio_lock(folio(shm:0))",
        "14929 reclaim shmem_replace_swap(PagecacheEntry[mapping=shm, index=1,"
            + " value=ValueEntry[swap=true], folio=null], folio(shm:1))",
        "15051 reclaim folio_unlock(folio(shm:0))",
        "17145 punch __filemap_remove_folio(folio(shm:0))",
        "17287 punch shmem_free_swap(PagecacheEntry[mapping=shm, index=1,"
            + " value=ValueEntry[swap=true], folio=null])",
        "17357 punch count_retry()",
        "17357 punch find_get_entries(shm, 1, 2)",
        "17459 punch __filemap_remove_folio(folio(shm:1))");
    faultsim.kernel.AddressSpace shm = r.run().kernel().file("shm");
    assertThat(shm.entry(0)).isNull();
    assertThat(shm.entry(1)).isNull();
    assertThat(Examples.job(r.run(), "punch").retries()).isEqualTo(1);
    assertThat(r.run().oracle().counts().values()).containsOnly(0L);
  }
}
