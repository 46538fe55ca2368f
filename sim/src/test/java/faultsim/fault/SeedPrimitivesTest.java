package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.kernel.AddressSpace;
import faultsim.kernel.Folio;
import org.junit.jupiter.api.Test;

/**
 * The kernel-host primitives the seed designs added: tmpfs swap entries (shmem_writeout,
 * find_get_entries, shmem_swap_lookup, shmem_replace_swap, shmem_free_swap) and
 * raw_read_seqcount, driven in a fixed order by one task through a test design whose hole punch
 * is a script; each step's result is the return value of a one-line design function, which the
 * event log shows.
 */
final class SeedPrimitivesTest {
  private static final String SCRIPT = """
      design swap_script extends shmem_punch_rescan;
      // vfs_fallocate runs a script of swap and sequence-count primitives on pages 0 and 1.
      long vfs_fallocate(struct address_space *inode, int mode, loff_t offset, loff_t len) {
          page_out(inode, 0);
          page_out(inode, 1);
          struct pagecache_entry *zero = first_entry(inode, 0);
          struct pagecache_entry *one = first_entry(inode, 1);
          is_swap(zero);
          struct folio *folio = shmem_swapin_folio(inode, shmem_swap_lookup(inode, 0));
          folio_unlock(folio);
          folio_put(folio);
          free_swap(inode, zero);
          free_swap(inode, one);
          swapin_after_free(inode, one);
          write_seqcount_begin(&inode->truncate_count);
          seq(inode);
          write_seqcount_end(&inode->truncate_count);
          seq(inode);
          return 0;
      }

      void page_out(struct address_space *inode, pgoff_t index) {
          struct folio *folio = filemap_get_folio(inode, index);
          folio_lock(folio);
          spin_lock(&inode->i_pages);
          shmem_writeout(folio);
          spin_unlock(&inode->i_pages);
          folio_unlock(folio);
          folio_put(folio);
      }

      struct pagecache_entry *first_entry(struct address_space *inode, pgoff_t index) {
          for e in find_get_entries(inode, index, index + 1) {
              return e;
          }
          return NULL;
      }

      bool is_swap(struct pagecache_entry *e) {
          return e->folio == NULL;
      }

      bool free_swap(struct address_space *inode, struct pagecache_entry *e) {
          spin_lock(&inode->i_pages);
          bool freed = shmem_free_swap(e);
          spin_unlock(&inode->i_pages);
          return freed;
      }

      bool swapin_after_free(struct address_space *inode, struct pagecache_entry *e) {
          struct folio *folio = filemap_alloc_folio(inode, e->index);
          __folio_set_locked(folio);
          spin_lock(&inode->i_pages);
          bool added = shmem_replace_swap(e, folio);
          spin_unlock(&inode->i_pages);
          folio_unlock(folio);
          folio_put(folio);
          return added;
      }

      long seq(struct address_space *inode) {
          return raw_read_seqcount(&inode->truncate_count);
      }
      """;

  @Test
  void swapEntries_pageOutSwapInAndFree_followTheEntryTheyLookedUp() throws Exception {
    // Pages 0 and 1 of a cached tmpfs file go out to swap; a batch lookup then sees swap
    // entries at both. Page 0 is swapped back in (a 10 us read) and replaces its entry; freeing
    // the swap entry gathered before that fails (-ENOENT: "Swap was replaced by page"), while
    // page 1's entry, untouched, is freed. A swap-in that finds its entry freed adds nothing.
    // A seqcount in a write section reads odd without waiting, even after it.
    String yaml = """
        machine:
          cores: 1
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
          script:
            op: punch_hole
            file: shm
            size: 8k
            loops: 1
        """;
    TracedRuns.Traced r = TracedRuns.run(yaml, SCRIPT);

    assertThat(r.events(e -> e.startsWith("exit ") && !e.startsWith("exit page_out")
        && !e.startsWith("exit vfs_fallocate")).stream().map(l -> l.split(" ", 3)[2]))
        .containsExactly(
            "exit first_entry = PagecacheEntry[mapping=shm, index=0, value=ValueEntry[swap=true],"
                + " folio=null]",
            "exit first_entry = PagecacheEntry[mapping=shm, index=1, value=ValueEntry[swap=true],"
                + " folio=null]",
            "exit is_swap = true",
            "exit shmem_swapin_folio = folio(shm:0)",
            "exit free_swap = false",
            "exit free_swap = true",
            "exit swapin_after_free = false",
            "exit seq = 1",
            "exit seq = 2");
    AddressSpace shm = r.run().kernel().file("shm");
    Folio zero = shm.folio(0);
    assertThat(zero).isNotNull();
    assertThat(zero.uptodate()).isTrue();
    assertThat(zero.lock().locked()).isFalse();
    assertThat(shm.entry(1)).isNull();
    assertThat(shm.folio(2)).isNotNull();
  }
}
