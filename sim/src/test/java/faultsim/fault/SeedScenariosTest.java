package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.kernel.MmStruct;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two tasks on a 2-core machine, one kernel primitive family each, hand-worked: the exact order
 * and times of what the design does, with the default costs (kernel-paths.md section C, as
 * {@link KernelCosts} and the machine's profile give them): an atomic on a line this core owns
 * 5 ns, a line last written by the other core (or never written) 47 ns, a wake-up 2 us; a fault's
 * entry 150 ns, find_vma 40 ns, a page-cache lookup 50 ns, an xarray step 20 ns, a PTE store
 * 40 ns, a PTE page 500 ns, a folio 150 ns and 150 ns more to zero it, anon_vma_prepare 200 ns.
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
    // same instant on two cores. Both run the same path: VMA lock (anon_vma not set yet:
    // VM_FAULT_RETRY at 242), mmap_lock read: a's atomic fetches the count's line (242 ->
    // 289), b's waits for it and then takes the line from a (289 -> 336), so b runs 47 ns
    // behind a from here: find_vma to 329, anon_vma_prepare to 529, a zeroed folio to 829, the
    // PTE page to 1329 (a) and 1376 (b). Then:
    //   1329 a spin_lock(&mm->page_table_lock): never written -> 47, a holds it at 1376
    //   1376 b spin_lock: its xadd takes the line from a (1423); held -> b spins on it
    //   1376 a set_pte_at: 40 + the folio's refcount atomic 47 -> 1463
    //   1463 a spin_unlock (a store): invalidates b's copy (1510); b re-reads (1557) and takes
    //        the word, invalidating a's copy (1604)
    //   1604 b set_pte_at: 40 + 47 -> 1691 b spin_unlock
    // b waited 228 ns for a lock a held for 87 ns.
    TracedRuns.Traced r = TracedRuns.run(TWO_ANON_FAULTS, "ptl_per_mm");

    assertThat(ptlEvents(r)).containsExactly(
        "1329 a spin_lock(&mm->page_table_lock)",
        "1376 b spin_lock(&mm->page_table_lock)",
        "1376 a set_pte_at",
        "1463 a spin_unlock(&mm->page_table_lock)",
        "1604 b set_pte_at",
        "1691 b spin_unlock(&mm->page_table_lock)");
    assertThat(KernelRuns.acquisitions(r.run(), "&mm->page_table_lock", true)).isEqualTo(2);
    assertThat(contentions(r.run(), "&mm->page_table_lock")).isEqualTo(1);
  }

  @Test
  void splitPtl_twoThreadsFaultAtOnce_neitherWaits() throws Exception {
    // The same two faults under 6.6: each VMA starts on its own 2 MiB boundary, so each page
    // is in its own PTE page with its own lock; b is 47 ns behind a since their down_read of
    // mmap_lock met on the count's line (above), and neither waits for a PTL: a stores its
    // PTE at 1376, b at 1423.
    TracedRuns.Traced r = TracedRuns.run(TWO_ANON_FAULTS, "linux_6_6");

    assertThat(ptlEvents(r)).containsExactly(
        "1329 a spin_lock(ptlock_ptr(ptdesc))",
        "1376 b spin_lock(ptlock_ptr(ptdesc))",
        "1376 a set_pte_at",
        "1423 b set_pte_at",
        "1463 a spin_unlock(ptlock_ptr(ptdesc))",
        "1510 b spin_unlock(ptlock_ptr(ptdesc))");
    assertThat(contentions(r.run(), "ptlock_ptr(ptdesc)")).isZero();
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
    // all pay 5 when this core holds the line and 47 to take it from the other core; the line
    // serves one of them at a time, in the order they are issued.
    // a: PTL at 737 (its PTE page took 500 ns), held at 784; the first xarray step to 804;
    // folio_try_get on a never-touched line, 47 -> 851; folio_trylock of folio 0 at 851 on the
    // line that try_get just brought over: 5 -> locked, checks pass at 856.
    // b, 50 ns behind: folio_try_get at 854 waits for a's trylock (856) and takes the line,
    // 47 -> 903. a's set_pte_at at 856: its folio_get waits for b's (903) and takes the line
    // back (950), 40 + 94 -> folio_unlock at 990. b's folio_trylock at 903 waits for a's
    // folio_get (950), takes the line (997) and finds PG_locked set by a at 851: fails.
    // a's folio_unlock at 990 waits for it: 997 -> 1044; b's folio_put at 997 then takes the
    // line back, 1044 -> 1091; next_uptodate_folio returns
    // false at 1091 and b skips page 0 -- its faulting page. Its batch maps other pages, and
    // since the faulting PTE is still none, b takes the ->fault path (filemap_fault), which
    // locks folio 0 with a sleeping lock and maps it.
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
        "851 a folio_trylock(folio(data:0))",
        "856 a exit next_uptodate_folio = true",
        "903 b folio_trylock(folio(data:0))",
        "990 a folio_unlock(folio(data:0))",
        "997 b folio_put(folio(data:0))",
        "1091 b exit next_uptodate_folio = false");
    assertThat(r.events(e -> e.equals("enter filemap_fault")))
        .as("only b falls back to ->fault").hasSize(1).allMatch(l -> l.contains(" b "));
    long fallback = r.timeOf("b", "enter filemap_fault");
    assertThat(r.events(e -> e.startsWith("set_pte_at(") && e.contains(", folio(data:0),")))
        .hasSize(2)
        .anyMatch(l -> l.startsWith("856 a "))
        .anyMatch(l -> l.contains(" b ") && Long.parseLong(l.split(" ")[0]) > fallback);
  }

  // ---- VM_FAULT_RETRY: sleeping on a locked folio with mmap_lock dropped ---------------------

  @Test
  void filemapFault_folioLockedForRead_dropsMmapLockSleepsThenRetries() throws Exception {
    // Two processes map an uncached file; the device reads in exactly 20 us, one page at a time
    // (read_ahead_kb 0: no read-around, so the fault reads just its page). Both faults miss
    // fault-around and, in 6.6, retry from the VMA lock under mmap_lock (->fault needs it).
    //   a: filemap_fault misses, adds a locked folio for page 0, drops mmap_lock (1245) and
    //      reads it: 1250 -> I/O done at 21250, a wakes 2 us later and unlocks it at 23250.
    //   b (5 us later) runs on core 0 too -- a, asleep on the read, left it idle, and a task
    //      that starts takes the lowest idle core -- so a line a wrote last costs it 5. Its
    //      filemap_fault looks page 0 up at 5869 and finds the folio, not uptodate: 50 + 5 for
    //      the refcount, whose line is PG_locked's and was last written by a's folio_trylock
    //      at 1240 (47 while the lock bit had a line of its own: the refcount line was still
    //      unwritten); invalidate_lock (a's line, 5) at 5924; folio_trylock (5) fails at 5929;
    //      lock_folio_maybe_drop_mmap drops mmap_lock (5934) and sleeps in folio_lock (5939).
    //      a's unlock wakes b (a then locks and unlocks the folio again in its own retry's
    //      fault-around); b runs after its wake-up, at 25250, and takes the lock (5): it
    //      dropped mmap_lock, so it unlocks (25255) and returns VM_FAULT_RETRY (0x400 = 1024)
    //      at 25270; do_user_addr_fault retakes mmap_lock at once and the retry maps the page
    //      with fault-around, now that it is uptodate: folio_try_get and folio_trylock on the
    //      line b just wrote, 5 each, to 25345; its own PTL, never taken, 47 -> set_pte_at at
    //      25392.
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
        "1245 a up_read(&mm->mmap_lock)",
        "1250 a filemap_read_folio(folio(data:0))",
        "5869 b filemap_get_folio(data, 0)",
        "5924 b down_read(&mapping->invalidate_lock)",
        "5929 b folio_trylock(folio(data:0))",
        "5934 b up_read(&mm->mmap_lock)",
        "5939 b folio_lock(folio(data:0))",
        "23250 a folio_unlock(folio(data:0))",
        "25255 b folio_unlock(folio(data:0))",
        "25270 b exit filemap_fault = 1024",
        "25270 b down_read(&mm->mmap_lock)",
        "25345 b exit next_uptodate_folio = true");
    assertThat(r.log()).anyMatch(l -> l.startsWith("25392 b set_pte_at("));
    // b: one VMA-lock retry, one VM_FAULT_RETRY.
    assertThat(Examples.job(r.run(), "b").retries()).isEqualTo(2);
    assertThat(r.run().oracle().counts().values()).containsOnly(0L);
  }

  // ---- truncate removes the page a fault is about to map -------------------------------------

  @Test
  void frlock_truncateRemovesThePageAfterLookup_faultDropsItWaitsAndRetries() throws Exception {
    // 2003 (frlock_truncate_seq), one page fault on page 2 of a cached 4-page file and a
    // truncate to one page starting 300 ns later.
    //   reader: sequence 0 read at 237 (the counter's line, never touched, comes from memory:
    //           47 -> 284), i_size checked (4 pages) and page 2 looked up at 284 (50 + 47 for the
    //           refcount) -> 381; the PTE page costs 500 ns, the PTL (never touched) is taken at
    //           881 and held at 928, where the sequence is compared.
    //   truncate: i_sem 300 -> 347; i_size = 4096 and the write side opens at 347 (sequence
    //           1; the write invalidates the reader's copy of the counter: 47 -> 394); the unmap
    //           finds no PTE yet; pass 1 trylocks page 2 at 568 (47: PG_locked shares page 2's
    //           struct page line with the refcount, which the reader's lookup took to its core)
    //           and removes it from the page cache at 662; its folio_unlock (5) leaves that line
    //           on the truncate's core; the write side closes at 732 (its own line: 5); then
    //           5 us of extent removal holding i_sem, which it releases at 5841.
    //   reader at 928: the re-read of the counter (47, the truncate wrote it) finds it moved
    //           (0 -> 2) at 975: it drops the PTL (a store: 5, 980) and the page it was about
    //           to map (980, by then detached): folio_put's atomic takes the line from the
    //           truncate's core, 47 -> 1027; it counts a retry and waits for the truncate on
    //           i_sem (1027), spinning while the owner runs. The unlock at 5841 (47, the reader's
    //           atomic had the line) hands it over: the reader re-reads the owner word (5935)
    //           and takes it (5982); its own unlock waits for the truncate's next mutex_lock,
    //           queued on the line meanwhile (5982 -> 6029), and moves the line back (6076).
    //           The retry reads the counter at 6076 from the copy it still shares: no cost;
    //           the file is still one page long (the truncate's second call, back to 16 KiB,
    //           writes i_size only at 6170, once it has i_sem), so page 2 is beyond EOF:
    //           VM_FAULT_SIGBUS (2) at 6081, and nothing is mapped.
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
            start_delay: 300ns
        """;
    TracedRuns.Traced r = TracedRuns.run(yaml, "frlock_truncate_seq");

    assertThat(r.log()).containsSubsequence(
        "237 reader raw_read_seqcount(&mapping->truncate_lock)",
        "284 reader filemap_get_folio(data, 2)",
        "347 truncate i_size_write(data, 4096)",
        "347 truncate write_seqcount_begin(&mapping->truncate_lock)",
        "568 truncate folio_trylock(folio(data:2))",
        "662 truncate __filemap_remove_folio(folio(data:2))",
        "732 truncate write_seqcount_end(&mapping->truncate_lock)",
        "928 reader read_seqcount_retry(&mapping->truncate_lock, 0)",
        "975 reader exit truncate_seq_retry = true",
        "980 reader folio_put(folio(detached:2))",
        "1027 reader count_retry()",
        "1027 reader mutex_lock(&inode->i_sem)",
        "5841 truncate mutex_unlock(&inode->i_sem)",
        "6076 reader raw_read_seqcount(&mapping->truncate_lock)");
    // The removed page was never mapped, and the retry mapped nothing beyond EOF.
    assertThat(r.log()).containsSubsequence(
        "6081 reader exit do_user_addr_fault = 2",
        "6170 truncate i_size_write(data, 16384)");
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
    // PG_locked is on each folio's struct page line, with its refcount.
    //   reclaim: looks pages 0 and 1 up (50 + 47 each, lines never written) -> 234; locks
    //            them at 234 and 239, 5 each: the lock bit is on the line its own lookup just
    //            brought over; 2 us; i_pages at 2244; page 1 becomes a swap entry at 2291.
    //   punch (from 2051): i_mutex, i_mmap_mutex and the interval-tree step -> shmem_undo_range
    //            at 2180; pass 1's trylocks of pages 0 (2200) and 1 (2267, 24 ns before the
    //            writeout) fail, 47 each on reclaim's lines; pass 2 gathers [page 0, swap entry
    //            1] at 2314, 23 ns after the writeout, and sleeps on page 0 (2334).
    //            (Reclaim's two local folio_locks bring the writeout 84 ns earlier than when the
    //            lock bit had a line of its own, 2 x (47 - 5); the punch starts 84 ns earlier
    //            than it did then, 2051 instead of 2135, so that both loops still meet page 1
    //            on the same sides of the writeout: from 2135, pass 1 would trylock page 1 at
    //            2351, after it had gone to swap.)
    //   reclaim: unlocks the old page 1 (2356, 47: the punch's trylock took the line) and puts
    //            it (5); swaps page 1 back in -- a new folio, __folio_set_locked at 2608 (47),
    //            read 2655 -> 12655, running again 2 us later -- replaces the entry at 14660,
    //            unlocks the new page (5) and puts it (5: same line) and unlocks page 0 at 14735
    //            (47, the punch's folio_lock has its line, + 47 for the punch's wait-queue
    //            bucket).
    //   punch: woken 2 us later, at 16735, holds page 0's lock at 16782 (47: reclaim put it
    //            last) and removes page 0 at 16829 (i_pages from reclaim, 47); shmem_free_swap
    //            on the entry it gathered fails at 16924 ("Swap was replaced by page"), it
    //            counts a retry at 16989 and walks again from index 1: the new page is locked
    //            at 17009 (47: reclaim put it last) and removed at 17061.
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
            start_delay: 2051ns
        """;
    TracedRuns.Traced r = TracedRuns.run(yaml, RECLAIM_SCRIPT);

    assertThat(r.log()).containsSubsequence(
        "2200 punch folio_trylock(folio(shm:0))",
        "2267 punch folio_trylock(folio(shm:1))",
        "2291 reclaim shmem_writeout(folio(shm:1))",
        "2314 punch find_get_entries(shm, 0, 2)",
        "2334 punch folio_lock(folio(shm:0))",
        "14660 reclaim shmem_replace_swap(PagecacheEntry[mapping=shm, index=1,"
            + " value=ValueEntry[swap=true], folio=null], folio(shm:1))",
        "14735 reclaim folio_unlock(folio(shm:0))",
        "16829 punch __filemap_remove_folio(folio(shm:0))",
        "16924 punch shmem_free_swap(PagecacheEntry[mapping=shm, index=1,"
            + " value=ValueEntry[swap=true], folio=null])",
        "16989 punch count_retry()",
        "16989 punch find_get_entries(shm, 1, 2)",
        "17061 punch __filemap_remove_folio(folio(shm:1))");
    faultsim.kernel.AddressSpace shm = r.run().kernel().file("shm");
    assertThat(shm.entry(0)).isNull();
    assertThat(shm.entry(1)).isNull();
    assertThat(Examples.job(r.run(), "punch").retries()).isEqualTo(1);
    assertThat(r.run().oracle().counts().values()).containsOnly(0L);
  }
}
