package faultsim.fault;

import faultsim.kernel.AddressSpace;
import faultsim.kernel.Folio;
import faultsim.lang.Host;
import faultsim.lang.Type;
import faultsim.locks.Seqcount;

import static faultsim.fault.KernelHost.*;
import static faultsim.fault.KernelCosts.Cost.*;

/**
 * Primitives of tmpfs swap entries (mm/shmem.c, mm/filemap.c) and raw sequence-count reads
 * (include/linux/seqlock.h), for the seed proposals. tmpfs keeps a swapped-out page as a swap
 * entry (a value entry) in i_pages: a fault swaps it back in by reading it into a new folio and
 * replacing the entry if it is still there; a hole punch gathers a batch of entries
 * (find_get_entries) and frees each swap entry with a compare-and-exchange that fails if the
 * entry has turned back into a page since (shmem_free_swap). Andrea Arcangeli's 2003 frlock and
 * 2.6's truncate_count are read without waiting for a writer: raw_read_seqcount.
 */
final class ShmemPrimitives {
  private ShmemPrimitives() {}

  static void addTo(KernelTypes k) {
    Host h = k.h();
    Type seqcount = k.seqcount();
    Type mm = k.mm();
    Type mapping = k.mapping();
    Type folio = k.folio();
    h.primitiveSource("mm/shmem.c, mm/filemap.c, include/linux/seqlock.h");
    Type entry = h.defineType("pagecache_entry", PagecacheEntry.class);
    h.intField(entry, "index", o -> ((PagecacheEntry) o).index());
    h.field(entry, "folio", folio, o -> ((PagecacheEntry) o).folio());
    Type entryCursor = h.cursorType("entry_batch", entry);
    // find_get_entries(): the folios and swap entries of [start, end) in index order, gathered
    // a batch at a time; each is as it was when its batch was gathered.
    h.primitive("find_get_entries").params(mapping, Type.INT, Type.INT).returns(entryCursor)
        .implSlots((env, t, a) -> new EntryBatchCursor((AddressSpace) a.ref(0), a.i(1),
            a.i(2))).add();
    // The swap entry at index, or NULL: the xa_load of shmem_get_folio.
    h.primitive("shmem_swap_lookup").params(mapping, Type.INT).returns(entry)
        .implSlots((env, t, a) -> {
          AddressSpace m = (AddressSpace) a.ref(0);
          long index = a.i(1);
          t.busy(xaLoadNs(env, t, m, index));
          return m.entry(index) instanceof AddressSpace.ValueEntry v && v.swap()
              ? new PagecacheEntry(m, index, v, null) : null;
        }).add();
    // shmem_free_swap(): erases a swap entry if it is still the one looked up; false (-ENOENT)
    // if it was swapped back in (or freed) since.
    h.primitive("shmem_free_swap").params(entry).returns(Type.BOOL).implSlots((env, t, a) -> {
      PagecacheEntry e = (PagecacheEntry) a.ref(0);
      if (e.value() == null) {
        throw t.fault("shmem_free_swap(" + e.index() + "): not a swap entry");
      }
      requireHeld(t, e.mapping().lock("i_pages"), null, "shmem_free_swap",
          "&mapping->i_pages");
      t.busy(xaStoreNs(env, t, e.mapping(), e.index()));
      if (e.mapping().entry(e.index()) != e.value()) {
        return false;
      }
      e.mapping().removeValueEntry(e.index());
      return true;
    }).add();
    // shmem_add_to_page_cache(expected = swap): the swapped-in folio (locked, read) replaces
    // the swap entry if it is still there; false if not (punched, or swapped in elsewhere).
    h.primitive("shmem_replace_swap").params(entry, folio).returns(Type.BOOL)
        .implSlots((env, t, a) -> {
          PagecacheEntry e = (PagecacheEntry) a.ref(0);
          Folio f = (Folio) a.ref(1);
          AddressSpace m = e.mapping();
          requireHeld(t, m.lock("i_pages"), null, "shmem_replace_swap", "&mapping->i_pages");
          requireFolioLocked(t, f, "shmem_replace_swap");
          if (e.value() == null || f.mapping() != m || f.index() != e.index()) {
            throw t.fault("shmem_replace_swap(" + f + "): not a folio for the swap entry at "
                + e.index() + " of " + m.name());
          }
          t.busy(xaStoreNs(env, t, m, e.index()));
          if (m.entry(e.index()) != e.value()) {
            return false;
          }
          m.removeValueEntry(e.index());
          m.insertFolio(f);
          f.get();
          return true;
        }).add();
    // shmem_writeout(): reclaim puts a locked, unmapped folio out to swap; its slot becomes a
    // swap entry (the write to the swap device is asynchronous and not modelled).
    h.primitive("shmem_writeout").params(folio).implSlots((env, t, a) -> {
      Folio f = (Folio) a.ref(0);
      AddressSpace m = f.mapping();
      if (m == null) {
        throw t.fault("shmem_writeout(" + f + "): not in a page cache");
      }
      requireHeld(t, m.lock("i_pages"), null, "shmem_writeout", "&mapping->i_pages");
      requireFolioLocked(t, f, "shmem_writeout");
      if (f.mapcount() > 0) {
        throw t.fault("shmem_writeout(" + f + "): the folio is still mapped");
      }
      long index = f.index();
      m.removeFolio(f);
      f.put();
      m.setValueEntry(index, new AddressSpace.ValueEntry(true));
      t.busy(xaStoreNs(env, t, m, index));
      return null;
    }).add();
    // raw_read_seqcount(): the count as it is, odd or even, without waiting for a writer; a
    // plain load of the counter's line.
    h.primitive("raw_read_seqcount").params(seqcount).returns(Type.INT)
        .implLong((env, t, a) -> {
          Seqcount s = (Seqcount) a.ref(0);
          t.busy(s.line().read(t.machine(), t.core()));
          return s.sequence();
        }).add();
  }
}
