package faultsim.hunt;

import faultsim.kernel.AddressSpace;
import faultsim.kernel.Folio;
import faultsim.kernel.MmStruct;
import faultsim.kernel.Vma;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a primitive call touches of the state tasks share, as the {@code pairs} strategy pairs
 * them: a range of a mapping's page-cache indices (a folio, a lookup, a walk, the blocks
 * freed), a range of an mm's user addresses (a PTE looked at or set, a range zapped), a
 * mapping's {@code i_size}, or a lock. Two calls of different tasks conflict when they touch
 * overlapping ranges of the same object in the same space.
 *
 * @param space what kind of state
 * @param object the mapping, mm or lock, numbered by first appearance in the run
 * @param lo first index or address touched
 * @param hi one past the last
 * @param removes true for a call that takes state away or changes it under others (removes a
 *     folio from the page cache, frees blocks, zaps PTEs, changes {@code i_size}, publishes a
 *     hole punch) or takes a lock exclusively; false for one that reads, adds or maps
 */
record Access(Space space, int object, long lo, long hi, boolean removes) {
  /** The kinds of shared state. */
  enum Space { PAGE, PTE, ISIZE, LOCK }

  /** Whether the two touch overlapping state of the same object. */
  boolean overlaps(Access o) {
    return space == o.space && object == o.object && lo < o.hi && o.lo < hi;
  }

  /** Calls that take state away from others (mm/truncate.c, mm/memory.c, fs/ext4/inode.c). */
  private static final Set<String> REMOVING = Set.of("__filemap_remove_folio",
      "xa_erase_value", "free_blocks", "zap_pte_range", "i_size_write", "shmem_falloc_begin");
  /** Lock acquisitions that exclude every other holder. */
  private static final Set<String> EXCLUSIVE = Set.of("spin_lock", "mutex_lock", "down_write",
      "write_lock", "write_seqlock", "write_seqcount_begin", "filemap_invalidate_lock",
      "i_mmap_lock_write", "mmap_write_lock", "folio_lock", "__folio_set_locked");
  /** Lock acquisitions shared with other readers. */
  private static final Set<String> SHARED = Set.of("down_read", "read_lock",
      "filemap_invalidate_lock_shared", "i_mmap_lock_read", "mmap_read_lock");

  /** Numbers the objects of one run by first appearance (deterministic, as the run is). */
  static final class Ids {
    private final Map<Object, Integer> ids = new IdentityHashMap<>();

    int of(Object o) {
      return ids.computeIfAbsent(o, k -> ids.size());
    }
  }

  /** What a call of {@code primitive} with {@code args} touches; empty for none modelled. */
  static List<Access> of(String primitive, Object[] args, Ids ids) {
    List<Access> out = new ArrayList<>(2);
    boolean removes = REMOVING.contains(primitive);
    switch (primitive) {
      case "filemap_get_folio", "filemap_alloc_folio", "xa_is_value", "filemap_folio_present",
          "shmem_swap_lookup", "dax_insert_entry", "get_block", "shmem_falloc_waits",
          "xa_erase_value" -> page(out, args[0], (Long) args[1], (Long) args[1] + 1, removes,
              ids);
      case "pagecache_range", "find_get_entries", "free_blocks", "shmem_falloc_begin" ->
          page(out, args[0], (Long) args[1], (Long) args[2], removes, ids);
      case "__filemap_add_folio" -> folio(out, args[1], removes, ids);
      case "__filemap_remove_folio", "filemap_read_folio", "folio_mark_uptodate",
          "folio_zero_fill", "folio_try_get", "folio_trylock" -> folio(out, args[0], removes,
              ids);
      case "set_pte_at" -> {
        if (args[0] instanceof Vma v) {
          pte(out, v.mm(), (Long) args[1], (Long) args[1] + 1, false, ids);
        }
        folio(out, args[2], false, ids);
      }
      case "zap_pte_range" -> {
        if (args[0] instanceof Vma v) {
          pte(out, v.mm(), (Long) args[1], (Long) args[2], true, ids);
        }
      }
      case "pte_none", "pte_folio", "pte_write" -> pte(out, args[0], (Long) args[1],
          (Long) args[1] + 1, false, ids);
      case "i_size_read", "i_size_write" -> {
        if (args[0] instanceof AddressSpace m) {
          out.add(new Access(Space.ISIZE, ids.of(m), 0, 1, removes));
        }
      }
      default -> {
        // Folio locks are page-cache accesses too: the page a truncate waits on.
        if (primitive.equals("folio_lock")) {
          folio(out, args[0], false, ids);
        }
      }
    }
    boolean exclusive = EXCLUSIVE.contains(primitive);
    if ((exclusive || SHARED.contains(primitive)) && args.length > 0 && args[0] != null) {
      out.add(new Access(Space.LOCK, ids.of(args[0]), 0, 1, exclusive));
    }
    return out;
  }

  private static void page(List<Access> out, Object mapping, long lo, long hi, boolean removes,
      Ids ids) {
    if (mapping instanceof AddressSpace m && hi > lo) {
      out.add(new Access(Space.PAGE, ids.of(m), lo, hi, removes));
    }
  }

  private static void folio(List<Access> out, Object folio, boolean removes, Ids ids) {
    if (folio instanceof Folio f && !f.isAnon() && f.mapping() != null) {
      out.add(new Access(Space.PAGE, ids.of(f.mapping()), f.index(), f.index() + 1, removes));
    }
  }

  private static void pte(List<Access> out, Object mm, long lo, long hi, boolean removes,
      Ids ids) {
    if (mm instanceof MmStruct m && hi > lo) {
      out.add(new Access(Space.PTE, ids.of(m), lo, hi, removes));
    }
  }
}
